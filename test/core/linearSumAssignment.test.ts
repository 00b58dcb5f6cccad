import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidParameterError, linearSumAssignment } from '../../src/index.js';

/** Minimal total cost over every assignment of min(rows, cols) pairs, by exhaustive enumeration. */
function bruteForceOptimum(cost: readonly (readonly number[])[], maximize: boolean): number {
  const nr = cost.length;
  const nc = cost[0]?.length ?? 0;
  if (nr === 0 || nc === 0) return 0;
  const sign = maximize ? -1 : 1;
  const at = (i: number, j: number): number => sign * (nr <= nc ? cost[i]![j]! : cost[j]![i]!);
  const small = Math.min(nr, nc);
  const large = Math.max(nr, nc);
  const used = new Array<boolean>(large).fill(false);
  let best = Infinity;
  const visit = (k: number, total: number): void => {
    if (k === small) {
      best = Math.min(best, total);
      return;
    }
    for (let j = 0; j < large; j++) {
      if (used[j]) continue;
      used[j] = true;
      visit(k + 1, total + at(k, j));
      used[j] = false;
    }
  };
  visit(0, 0);
  return sign * best;
}

function totalOf(cost: readonly (readonly number[])[], rows: number[], cols: number[]): number {
  return rows.reduce((sum, r, k) => sum + cost[r]![cols[k]!]!, 0);
}

function expectValidAssignment(cost: readonly (readonly number[])[], rows: number[], cols: number[]): void {
  const nr = cost.length;
  const nc = cost[0]?.length ?? 0;
  const expectedPairs = nr === 0 || nc === 0 ? 0 : Math.min(nr, nc);
  expect(rows).to.have.length(expectedPairs);
  expect(cols).to.have.length(expectedPairs);
  for (let k = 1; k < rows.length; k++) expect(rows[k]!).to.be.greaterThan(rows[k - 1]!);
  expect(new Set(cols).size).to.equal(cols.length);
  for (const r of rows) expect(r).to.be.within(0, nr - 1);
  for (const c of cols) expect(c).to.be.within(0, nc - 1);
}

const matrix = (values: fc.Arbitrary<number>): fc.Arbitrary<number[][]> =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
    .chain(([nr, nc]) => fc.array(fc.array(values, { minLength: nc, maxLength: nc }), { minLength: nr, maxLength: nr }));

describe('linearSumAssignment', () => {
  const families: ReadonlyArray<[string, fc.Arbitrary<number>]> = [
    ['small integers (many ties)', fc.integer({ min: 0, max: 3 })],
    ['signed integers', fc.integer({ min: -1000, max: 1000 })],
    ['large integers (up to 1e12)', fc.integer({ min: 0, max: 1000 }).map((x) => x * 1e9)],
    ['doubles in [0, 1]', fc.double({ min: 0, max: 1, noNaN: true })],
  ];
  for (const [name, values] of families) {
    for (const maximize of [false, true]) {
      it(`is optimal against brute force: ${name}, ${maximize ? 'maximize' : 'minimize'}`, () => {
        fc.assert(
          fc.property(matrix(values), (cost) => {
            const snapshot = JSON.stringify(cost);
            const { rows, cols } = linearSumAssignment(cost, { maximize });
            expect(JSON.stringify(cost)).to.equal(snapshot, 'input not mutated');
            expectValidAssignment(cost, rows, cols);
            const total = totalOf(cost, rows, cols);
            const best = bruteForceOptimum(cost, maximize);
            if (Number.isInteger(best)) expect(total).to.equal(best);
            else expect(total).to.be.closeTo(best, 1e-9);
          }),
          { seed: 20261125, numRuns: 300 },
        );
      });
    }
  }

  it('respects forbidden (+Infinity) cells when a feasible assignment exists', () => {
    const cell = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant(Infinity));
    fc.assert(
      fc.property(matrix(cell), (cost) => {
        const best = bruteForceOptimum(cost, false);
        if (best === Infinity) {
          expect(() => linearSumAssignment(cost)).to.throw(InvalidParameterError, /feasible/);
          return;
        }
        const { rows, cols } = linearSumAssignment(cost);
        expectValidAssignment(cost, rows, cols);
        expect(totalOf(cost, rows, cols)).to.equal(best);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  // Expected answers produced by scipy.optimize.linear_sum_assignment 1.17.1 (ties broken like scipy).
  const scipyCases: ReadonlyArray<{
    name: string;
    cost: number[][];
    maximize?: boolean;
    rows: number[];
    cols: number[];
  }> = [
    { name: 'constant square matrix → identity', cost: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], rows: [0, 1, 2], cols: [0, 1, 2] },
    { name: 'constant wide matrix', cost: [[0, 0, 0, 0], [0, 0, 0, 0]], rows: [0, 1], cols: [0, 1] },
    { name: 'constant tall matrix', cost: [[5], [5], [5]], rows: [0], cols: [0] },
    { name: 'docs example', cost: [[4, 1, 3], [2, 0, 5], [3, 2, 2]], rows: [0, 1, 2], cols: [1, 0, 2] },
    { name: 'tall, transposed', cost: [[1, 2], [0, 9], [3, 0]], rows: [1, 2], cols: [0, 1] },
    { name: 'maximize', cost: [[0.9, 0.8], [0.8, 0.1]], maximize: true, rows: [0, 1], cols: [1, 0] },
    { name: 'ties between two optima', cost: [[0, 0], [0, 0], [1, 1]], rows: [0, 1], cols: [0, 1] },
    { name: 'zero similarity rows still assigned', cost: [[0, 0, 0], [0, 0.7, 0]], maximize: true, rows: [0, 1], cols: [0, 1] },
  ];
  for (const c of scipyCases) {
    it(`matches scipy's choice: ${c.name}`, () => {
      const options = c.maximize === undefined ? {} : { maximize: c.maximize };
      expect(linearSumAssignment(c.cost, options)).to.deep.equal({ rows: c.rows, cols: c.cols });
    });
  }

  // 40 random tie-heavy matrices (entries 0..2) with scipy 1.17.1's answers (rows, cols).
  const scipyRandom: ReadonlyArray<readonly [number[][], boolean, number[], number[]]> = [
    [[[0, 1], [1, 1], [0, 1], [1, 1], [2, 2]], false, [0, 1], [0, 1]],
    [[[2, 0, 2, 1, 0], [0, 0, 2, 2, 2], [0, 1, 1, 2, 0], [1, 1, 2, 1, 1]], true, [0, 1, 2, 3], [0, 4, 3, 2]],
    [[[0, 0, 0], [0, 2, 1], [0, 1, 0]], false, [0, 1, 2], [1, 0, 2]],
    [[[0, 1, 1, 2, 1], [0, 0, 1, 1, 0], [1, 1, 0, 2, 0], [2, 2, 2, 2, 1]], true, [0, 1, 2, 3], [3, 2, 1, 0]],
    [[[1, 1], [2, 2], [1, 1], [1, 1]], false, [0, 2], [0, 1]],
    [[[0, 1], [2, 1], [0, 0], [0, 0], [2, 1]], true, [0, 1], [1, 0]],
    [[[1, 1, 1, 1], [0, 0, 2, 2]], false, [0, 1], [0, 1]],
    [[[1, 0, 1], [1, 1, 2], [1, 2, 1], [0, 2, 2]], true, [0, 1, 2], [0, 2, 1]],
    [[[1, 2, 0, 0, 2], [2, 1, 2, 0, 2], [1, 0, 0, 0, 2], [1, 2, 1, 0, 0]], false, [0, 1, 2, 3], [2, 3, 1, 4]],
    [[[2, 2, 0, 1], [1, 1, 1, 0], [2, 1, 2, 2]], true, [0, 1, 2], [0, 1, 2]],
    [[[1, 0, 0, 0, 2], [0, 0, 0, 0, 2], [0, 0, 2, 0, 1], [0, 0, 1, 0, 2], [1, 2, 1, 1, 1]], false, [0, 1, 2, 3, 4], [1, 2, 3, 0, 4]],
    [[[1, 2, 0, 2], [0, 0, 0, 2], [0, 2, 1, 1]], true, [0, 1, 2], [1, 3, 2]],
    [[[0, 1, 2, 2], [2, 0, 2, 1]], false, [0, 1], [0, 1]],
    [[[1, 0, 2, 1, 0], [1, 0, 2, 1, 0], [0, 1, 1, 2, 1], [1, 2, 0, 0, 1]], true, [0, 1, 2, 3], [2, 0, 3, 1]],
    [[[1, 2, 2], [0, 1, 0], [1, 0, 1], [0, 2, 1]], false, [1, 2, 3], [2, 1, 0]],
    [[[2, 1], [2, 1], [2, 2]], true, [0, 2], [0, 1]],
    [[[2, 0, 2], [0, 0, 0], [1, 1, 0], [2, 0, 1]], false, [0, 1, 2], [1, 0, 2]],
    [[[0, 2, 2, 2], [1, 2, 1, 2], [0, 0, 1, 1]], true, [0, 1, 2], [1, 3, 2]],
    [[[2, 2, 2, 1], [2, 2, 1, 1], [1, 1, 0, 0], [0, 1, 1, 2]], false, [0, 1, 2, 3], [3, 2, 1, 0]],
    [[[0, 0], [1, 1]], true, [0, 1], [0, 1]],
    [[[2, 0], [0, 2], [1, 0], [0, 1]], false, [0, 1], [1, 0]],
    [[[2, 2], [0, 0], [0, 2]], true, [0, 2], [0, 1]],
    [[[0, 0, 1], [2, 2, 1], [0, 1, 0]], false, [0, 1, 2], [1, 2, 0]],
    [[[2, 0, 1], [0, 0, 1]], true, [0, 1], [0, 2]],
    [[[0, 1, 0, 2], [1, 1, 0, 0], [1, 1, 1, 2], [2, 0, 2, 1], [0, 2, 2, 0]], false, [0, 1, 3, 4], [0, 2, 1, 3]],
    [[[2, 2, 0], [1, 2, 0]], true, [0, 1], [0, 1]],
    [[[2, 0], [2, 2], [0, 2], [1, 1]], false, [0, 2], [1, 0]],
    [[[0, 0, 1, 1], [0, 1, 0, 2], [1, 0, 1, 2], [1, 1, 1, 0]], true, [0, 1, 2, 3], [2, 1, 3, 0]],
    [[[2, 1, 0], [2, 0, 2], [1, 2, 2]], false, [0, 1, 2], [2, 1, 0]],
    [[[0, 0, 2, 2], [1, 2, 1, 2], [1, 0, 1, 0], [2, 2, 0, 2]], true, [0, 1, 2, 3], [2, 1, 0, 3]],
    [[[0, 1], [0, 0], [2, 1]], false, [0, 1], [0, 1]],
    [[[0, 0], [1, 0], [1, 2], [1, 1]], true, [1, 2], [0, 1]],
    [[[0, 1], [1, 1], [0, 1], [2, 1], [2, 1]], false, [0, 1], [0, 1]],
    [[[1, 1, 0], [2, 0, 1], [0, 2, 1]], true, [0, 1, 2], [1, 0, 2]],
    [[[0, 2], [2, 1]], false, [0, 1], [0, 1]],
    [[[1, 1, 1, 1], [0, 2, 2, 2], [1, 1, 1, 1], [2, 0, 2, 2]], true, [0, 1, 2, 3], [0, 1, 2, 3]],
    [[[1, 1, 0], [1, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 2]], false, [0, 1, 4], [2, 1, 0]],
    [[[0, 0], [0, 2]], true, [0, 1], [0, 1]],
    [[[2, 2, 0, 1], [0, 2, 1, 2]], false, [0, 1], [2, 0]],
    [[[0, 2, 2, 1], [0, 1, 1, 2], [0, 1, 2, 0]], true, [0, 1, 2], [1, 3, 2]],
  ];
  it('breaks ties exactly like scipy on 40 random tie-heavy matrices', () => {
    for (const [cost, maximize, rows, cols] of scipyRandom) {
      expect(linearSumAssignment(cost, { maximize }), JSON.stringify(cost)).to.deep.equal({ rows, cols });
    }
  });

  it('handles empty matrices', () => {
    expect(linearSumAssignment([])).to.deep.equal({ rows: [], cols: [] });
    expect(linearSumAssignment([[], []])).to.deep.equal({ rows: [], cols: [] });
  });

  it('rejects ragged rows, NaN and -Infinity with a clear error', () => {
    expect(() => linearSumAssignment([[1, 2], [3]])).to.throw(InvalidParameterError, /`cost\[1\]`.*2 numbers/);
    expect(() => linearSumAssignment([[1, Number.NaN]])).to.throw(InvalidParameterError, /`cost\[0\]\[1\]`/);
    expect(() => linearSumAssignment([[1], [-Infinity]])).to.throw(InvalidParameterError, /`cost\[1\]\[0\]`/);
    expect(() => linearSumAssignment([[Infinity]], { maximize: true })).to.throw(InvalidParameterError, /NaN and Infinity/);
    expect(() => linearSumAssignment([[Infinity, Infinity], [0, 1]])).to.throw(InvalidParameterError, /feasible/);
    expect(() => linearSumAssignment('x' as unknown as number[][])).to.throw(InvalidParameterError, /`cost`/);
    expect(() => linearSumAssignment([[1]], { maximize: 1 as unknown as boolean })).to.throw(InvalidParameterError, /`maximize`/);
  });

  it('solves a 200×300 random matrix to the same cost as its transpose', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const cost = Array.from({ length: 200 }, () => Array.from({ length: 300 }, random));
    const transposed = cost[0]!.map((_, j) => cost.map((row) => row[j]!));
    const a = linearSumAssignment(cost);
    const b = linearSumAssignment(transposed);
    expectValidAssignment(cost, a.rows, a.cols);
    expectValidAssignment(transposed, b.rows, b.cols);
    expect(totalOf(cost, a.rows, a.cols)).to.be.closeTo(totalOf(transposed, b.rows, b.cols), 1e-9);
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { gatedAssignment } from '../../../src/core/tracking/gatedAssignment.js';

/** Brute force: every partial matching; minimal Σ pair costs + unmatchedCost per unmatched row. */
function bruteForce(rows: number, cols: number, cost: Float64Array, unmatchedCost: number): number {
  let best = Infinity;
  const used = new Array<boolean>(cols).fill(false);
  const visit = (i: number, total: number): void => {
    if (i === rows) {
      best = Math.min(best, total);
      return;
    }
    visit(i + 1, total + unmatchedCost);
    for (let j = 0; j < cols; j++) {
      const c = cost[i * cols + j] as number;
      if (used[j] || !(c < unmatchedCost)) continue;
      used[j] = true;
      visit(i + 1, total + c);
      used[j] = false;
    }
  };
  visit(0, 0);
  return best;
}

function totalOf(match: Int32Array, cols: number, cost: Float64Array, unmatchedCost: number): number {
  let total = 0;
  match.forEach((j, i) => (total += j < 0 ? unmatchedCost : (cost[i * cols + j] as number)));
  return total;
}

describe('core/tracking/gatedAssignment', () => {
  it('prefers one good pair over two mediocre ones', () => {
    const match = gatedAssignment(2, 2, Float64Array.from([0.1, 1.5, 1.4, Infinity]), 2);
    expect([...match]).to.deep.equal([0, -1]);
  });

  it('never picks gated cells or cells at the unmatched cost', () => {
    const match = gatedAssignment(2, 2, Float64Array.from([Infinity, 2, 2.5, Infinity]), 2);
    expect([...match]).to.deep.equal([-1, -1]);
  });

  it('handles empty matrices', () => {
    expect([...gatedAssignment(0, 3, new Float64Array(0), 1)]).to.deep.equal([]);
    expect([...gatedAssignment(2, 0, new Float64Array(0), 1)]).to.deep.equal([-1, -1]);
  });

  it('is optimal and one-to-one (fast-check against brute force)', () => {
    const cell = fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 3, noNaN: true }));
    const arb = fc
      .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 5 }) })
      .chain(({ rows, cols }) =>
        fc.record({
          rows: fc.constant(rows),
          cols: fc.constant(cols),
          cells: fc.array(cell, { minLength: rows * cols, maxLength: rows * cols }),
          unmatched: fc.double({ min: 0.5, max: 2.5, noNaN: true }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ rows, cols, cells, unmatched }) => {
        const cost = Float64Array.from(cells);
        const match = gatedAssignment(rows, cols, cost, unmatched);
        const taken = [...match].filter((j) => j >= 0);
        expect(new Set(taken).size).to.equal(taken.length);
        match.forEach((j, i) => {
          if (j >= 0) expect(cost[i * cols + j]).to.be.lessThan(unmatched);
        });
        expect(totalOf(match, cols, cost, unmatched)).to.be.closeTo(bruteForce(rows, cols, cost, unmatched), 1e-9);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

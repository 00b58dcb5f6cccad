/**
 * Rectangular linear sum assignment (the "Hungarian" problem) with the same contract and the same answers as
 * `scipy.optimize.linear_sum_assignment`, including its tie-breaking, so metrics computed with it match
 * TrackEval to the last bit.
 *
 * The algorithm is the shortest augmenting path method with dual potentials (Jonker–Volgenant style) as
 * described by Crouse, "On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016 — the
 * method scipy implements. O(n²·m) for an n×m matrix with n ≤ m.
 *
 * @module
 */
import { InvalidParameterError } from '../errors/InvalidParameterError.js';

/** Options of {@link linearSumAssignment}. */
export interface LinearSumAssignmentOptions {
  /**
   * Find the assignment of maximal total weight instead of minimal total cost.
   * @default false
   */
  readonly maximize?: boolean;
}

/** An assignment: row `rows[k]` is assigned to column `cols[k]`; `rows` is strictly increasing. */
export interface LinearSumAssignment {
  /** Assigned row indices, ascending. */
  readonly rows: number[];
  /** Column assigned to the row at the same position. */
  readonly cols: number[];
}

/**
 * Solves the linear sum assignment problem for a rectangular cost matrix: picks `min(rows, columns)` cells,
 * at most one per row and per column, with minimal total cost (maximal with `maximize`).
 *
 * Same contract as `scipy.optimize.linear_sum_assignment`: `rows` is ascending, `cols[k]` is the column of
 * `rows[k]`; `+Infinity` marks a forbidden cell (`-Infinity` with `maximize`); an empty matrix gives empty
 * arrays. Ties are broken exactly as scipy breaks them. The input is never mutated.
 *
 * @param cost - the cost matrix, one array per row, all rows of the same length.
 * @throws {@link InvalidParameterError} if `cost` is ragged, holds NaN or a value that makes every cell
 *   attractive (`-Infinity`, or `+Infinity` with `maximize`), or if no complete assignment avoids forbidden cells.
 *
 * @example
 * ```ts
 * import { linearSumAssignment } from 'rekognition-face-stream';
 *
 * const { rows, cols } = linearSumAssignment([
 *   [4, 1, 3],
 *   [2, 0, 5],
 *   [3, 2, 2],
 * ]);
 * console.log(rows, cols); // [0, 1, 2] [1, 0, 2]  (total cost 5)
 * ```
 */
export function linearSumAssignment(
  cost: readonly (readonly number[])[],
  options: LinearSumAssignmentOptions = {},
): LinearSumAssignment {
  if (!Array.isArray(cost)) throw new InvalidParameterError('cost', 'an array of rows (a 2-D matrix)', cost);
  const nr = cost.length;
  const first = cost[0];
  const nc = first === undefined ? 0 : first.length;
  const flat = new Float64Array(nr * nc);
  for (let i = 0; i < nr; i++) {
    const row = cost[i];
    if (!Array.isArray(row) || row.length !== nc) {
      throw new InvalidParameterError(`cost[${i}]`, `an array of ${nc} numbers (rows of equal length)`, row);
    }
    for (let j = 0; j < nc; j++) {
      const value = row[j] as unknown;
      if (typeof value !== 'number') throw new InvalidParameterError(`cost[${i}][${j}]`, 'a number', value);
      flat[i * nc + j] = value;
    }
  }
  const { maximize = false } = options;
  if (typeof maximize !== 'boolean') throw new InvalidParameterError('maximize', 'a boolean', maximize);
  return solveAssignment(nr, nc, flat, maximize);
}

/**
 * The solver on a row-major `Float64Array` (`cost[i * nc + j]`, not mutated). Used internally by the metrics
 * to avoid building nested arrays.
 *
 * @internal
 */
export function solveAssignment(nr: number, nc: number, cost: Float64Array, maximize: boolean): LinearSumAssignment {
  if (nr === 0 || nc === 0) return { rows: [], cols: [] };
  const invalid = maximize ? Infinity : -Infinity;
  for (let k = 0; k < nr * nc; k++) {
    const value = cost[k] as number;
    if (Number.isNaN(value) || value === invalid) {
      throw new InvalidParameterError(
        `cost[${Math.floor(k / nc)}][${k % nc}]`,
        `a number other than NaN and ${invalid}`,
        value,
      );
    }
  }
  const transpose = nc < nr;
  let c = cost;
  if (transpose) {
    c = new Float64Array(nr * nc);
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) c[j * nr + i] = cost[i * nc + j] as number;
  } else if (maximize) {
    c = cost.slice();
  }
  const n = transpose ? nc : nr; // rows of the working matrix (n <= m)
  const m = transpose ? nr : nc;
  if (maximize) for (let k = 0; k < n * m; k++) c[k] = -(c[k] as number);

  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const shortest = new Float64Array(m);
  const path = new Int32Array(m).fill(-1);
  const col4row = new Int32Array(n).fill(-1);
  const row4col = new Int32Array(m).fill(-1);
  const inRows = new Uint8Array(n);
  const inCols = new Uint8Array(m);
  const remaining = new Int32Array(m);

  for (let curRow = 0; curRow < n; curRow++) {
    // Shortest augmenting path from curRow (Dijkstra on reduced costs).
    let minVal = 0;
    let numRemaining = m;
    // Reverse order: a constant matrix yields the identity, as in scipy.
    for (let it = 0; it < m; it++) remaining[it] = m - it - 1;
    inRows.fill(0);
    inCols.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      inRows[i] = 1;
      const base = i * m;
      const ui = u[i] as number;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it] as number;
        const r = minVal + (c[base + j] as number) - ui - (v[j] as number);
        if (r < (shortest[j] as number)) {
          path[j] = i;
          shortest[j] = r;
        }
        const s = shortest[j] as number;
        // On ties prefer a free column: it ends the search.
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) {
        throw new InvalidParameterError(
          'cost',
          'a feasible matrix (a complete assignment that avoids the infinite cells)',
          `an infeasible ${nr}×${nc} matrix`,
        );
      }
      const j = remaining[index] as number;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j] as number;
      inCols[j] = 1;
      remaining[index] = remaining[--numRemaining] as number;
    }

    // Update the dual variables.
    u[curRow] = (u[curRow] as number) + minVal;
    for (let r = 0; r < n; r++) {
      if (inRows[r] === 1 && r !== curRow) {
        u[r] = (u[r] as number) + minVal - (shortest[col4row[r] as number] as number);
      }
    }
    for (let j = 0; j < m; j++) {
      if (inCols[j] === 1) v[j] = (v[j] as number) - (minVal - (shortest[j] as number));
    }

    // Augment along the path.
    let j = sink;
    for (;;) {
      const r = path[j] as number;
      row4col[j] = r;
      const previous = col4row[r] as number;
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }

  const rows: number[] = new Array<number>(n);
  const cols: number[] = new Array<number>(n);
  if (transpose) {
    // Working rows are original columns; report in ascending original row order.
    const order = Array.from(col4row.keys()).sort((a, b) => (col4row[a] as number) - (col4row[b] as number));
    for (let k = 0; k < n; k++) {
      const w = order[k] as number;
      rows[k] = col4row[w] as number;
      cols[k] = w;
    }
  } else {
    for (let k = 0; k < n; k++) {
      rows[k] = k;
      cols[k] = col4row[k] as number;
    }
  }
  return { rows, cols };
}

/**
 * Optimal one-to-one assignment on a gated (sparse) cost matrix where leaving a row unmatched costs
 * `unmatchedCost`: pairs are chosen to minimise Σ(pair costs) + unmatchedCost · (unmatched rows). Gated
 * cells (`Infinity`) are never chosen.
 *
 * The matrix is split into connected components of admissible cells first (faces rarely compete, so most
 * components are a single pair); each larger component is solved exactly with the shared LAP solver on a
 * matrix extended by one "unmatched" column per row. Deterministic: ties resolve the same way every run.
 *
 * @module
 */
import { solveAssignment } from '../linearSumAssignment.js';

/** Cost written into forbidden cells of the extended matrices (finite, so every matrix stays feasible). */
const FORBIDDEN = 1e9;

let scratch = new Int32Array(256);

/**
 * Returns, for each row, the matched column or -1.
 *
 * @param rows - number of rows (tracks).
 * @param cols - number of columns (detections).
 * @param cost - row-major `rows × cols` costs; `Infinity` for gated cells. Not modified.
 * @param unmatchedCost - cost of leaving a row unmatched; cells at or above it are never chosen.
 *
 * @example
 * ```ts
 * // Row 0 prefers column 0, row 1 can only take column 0 but at a worse cost: row 0 keeps it.
 * gatedAssignment(2, 2, Float64Array.from([0.1, 1.5, 1.4, Infinity]), 2); // Int32Array [0, -1]
 * ```
 */
export function gatedAssignment(rows: number, cols: number, cost: Float64Array, unmatchedCost: number): Int32Array {
  const match = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return match;
  // Union-find over rows (0..rows-1) and columns (rows..rows+cols-1), joined by admissible cells.
  // parent, degree and slot live in one module-level scratch buffer (the function is not re-entrant).
  const size = rows + cols;
  if (scratch.length < size * 3) scratch = new Int32Array(size * 6);
  const parent = scratch.subarray(0, size);
  const degree = scratch.subarray(size, size * 2).fill(0);
  const slot = scratch.subarray(size * 2, size * 3).fill(-1);
  for (let k = 0; k < size; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) {
      const p = parent[parent[k] as number] as number;
      parent[k] = p;
      k = p;
    }
    return k;
  };
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if ((cost[i * cols + j] as number) < unmatchedCost) {
        degree[i] = (degree[i] as number) + 1;
        degree[rows + j] = (degree[rows + j] as number) + 1;
        const a = find(i);
        const b = find(rows + j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  // Group the components (by root, in order of their smallest member).
  let componentRows: number[][] | undefined;
  let componentCols: number[][] | undefined;
  for (let i = 0; i < rows; i++) {
    if (degree[i] === 0) continue;
    if (degree[i] === 1) {
      // Fast path: a row and a column that only see each other.
      const j = singleAdmissible(cost, i, cols, unmatchedCost);
      if (degree[rows + j] === 1) {
        match[i] = j;
        continue;
      }
    }
    componentRows ??= [];
    componentCols ??= [];
    const root = find(i);
    let s = slot[root] as number;
    if (s === -1) {
      s = componentRows.length;
      slot[root] = s;
      componentRows.push([]);
      componentCols.push([]);
    }
    (componentRows[s] as number[]).push(i);
  }
  if (!componentRows || !componentCols) return match;
  for (let j = 0; j < cols; j++) {
    if (degree[rows + j] === 0) continue;
    const s = slot[find(rows + j)] as number;
    if (s !== -1) (componentCols[s] as number[]).push(j);
  }
  for (let s = 0; s < componentRows.length; s++) {
    solveComponent(componentRows[s] as number[], componentCols[s] as number[], cost, cols, unmatchedCost, match);
  }
  return match;
}

function singleAdmissible(cost: Float64Array, i: number, cols: number, unmatchedCost: number): number {
  for (let j = 0; j < cols; j++) if ((cost[i * cols + j] as number) < unmatchedCost) return j;
  return -1;
}

function solveComponent(
  rowIds: readonly number[],
  colIds: readonly number[],
  cost: Float64Array,
  cols: number,
  unmatchedCost: number,
  match: Int32Array,
): void {
  const n = rowIds.length;
  const m = colIds.length;
  const width = m + n; // real columns, then one "unmatched" column per row
  const sub = new Float64Array(n * width).fill(FORBIDDEN);
  for (let a = 0; a < n; a++) {
    const i = rowIds[a] as number;
    for (let b = 0; b < m; b++) {
      const c = cost[i * cols + (colIds[b] as number)] as number;
      if (c < unmatchedCost) sub[a * width + b] = c;
    }
    sub[a * width + m + a] = unmatchedCost;
  }
  const { rows, cols: assigned } = solveAssignment(n, width, sub, false);
  for (let k = 0; k < rows.length; k++) {
    const b = assigned[k] as number;
    if (b < m) match[rowIds[rows[k] as number] as number] = colIds[b] as number;
  }
}

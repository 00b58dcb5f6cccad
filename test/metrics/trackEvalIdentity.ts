import { linearSumAssignment, type TrackingSequence } from '../../src/index.js';

/**
 * TrackEval's Identity formulation as written in identity.py: a square (G + T)² FN + FP assignment with dummy
 * rows and columns. The reference for the property test and the baseline of the metrics benchmark.
 */
export function trackEvalIdentity(seq: TrackingSequence): { IDTP: number; IDFN: number; IDFP: number } {
  const G = seq.numGtIds;
  const T = seq.numTrackerIds;
  const gtCount = new Array<number>(G).fill(0);
  const trCount = new Array<number>(T).fill(0);
  const potential = Array.from({ length: G }, () => new Array<number>(T).fill(0));
  seq.gtIds.forEach((gts, t) => {
    const trs = seq.trackerIds[t]!;
    gts.forEach((g, i) => {
      gtCount[g]!++;
      trs.forEach((tr, j) => {
        if (seq.similarity[t]![i]![j]! >= 0.5) potential[g]![tr]!++;
      });
    });
    for (const tr of trs) trCount[tr]!++;
  });
  const gtDets = gtCount.reduce((s, v) => s + v, 0);
  const trDets = trCount.reduce((s, v) => s + v, 0);
  if (trDets === 0 || gtDets === 0) return { IDTP: 0, IDFN: gtDets, IDFP: trDets };
  const n = G + T;
  const fn = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const fp = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let r = G; r < n; r++) for (let c = 0; c < T; c++) fp[r]![c] = 1e10;
  for (let r = 0; r < G; r++) for (let c = T; c < n; c++) fn[r]![c] = 1e10;
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < T; c++) fn[g]![c] = gtCount[g]! - potential[g]![c]!;
    fn[g]![T + g] = gtCount[g]!;
  }
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < G; r++) fp[r]![t] = trCount[t]! - potential[r]![t]!;
    fp[t + G]![t] = trCount[t]!;
  }
  const { rows: rs, cols } = linearSumAssignment(fn.map((row, r) => row.map((v, c) => v + fp[r]![c]!)));
  const IDFN = rs.reduce((s, r, k) => s + fn[r]![cols[k]!]!, 0);
  const IDFP = rs.reduce((s, r, k) => s + fp[r]![cols[k]!]!, 0);
  return { IDTP: gtDets - IDFN, IDFN, IDFP };
}

import { solveAssignment } from '../core/linearSumAssignment.js';
import type { IdentityMetrics } from './MotMetrics.js';
import type { PreparedSequence } from './TrackingSequence.js';

/** Identity counts a detection pair as matchable at similarity ≥ 0.5 (no epsilon, as in TrackEval). */
const THRESHOLD = 0.5;

/**
 * Identity metrics of one sequence. TrackEval solves a square (gt ids + tracker ids)² assignment of
 * IDFN + IDFP with dummy rows and columns; its optimum is exactly the maximum-weight matching between gt ids
 * and tracker ids on the number of frames where they overlap (IDTP), so this solves that smaller problem
 * (only ids with some overlap) and derives IDFN = gt dets − IDTP, IDFP = tracker dets − IDTP — the same
 * integers, much faster on sequences with many short tracks.
 *
 * @internal
 */
export function evaluateIdentity(seq: PreparedSequence): IdentityMetrics {
  if (seq.numTrackerDets === 0 || seq.numGtDets === 0) {
    return finalizeIdentity({ IDTP: 0, IDFN: seq.numGtDets, IDFP: seq.numTrackerDets });
  }
  // Frames in which each (gt id, tracker id) pair overlaps enough, sparse.
  const overlap = new Map<number, number>();
  const T = seq.numTrackerIds;
  for (const { gt, tracker, similarity } of seq.frames) {
    const nt = tracker.length;
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < nt; j++) {
        if ((similarity[i * nt + j] as number) >= THRESHOLD) {
          const cell = (gt[i] as number) * T + (tracker[j] as number);
          overlap.set(cell, (overlap.get(cell) ?? 0) + 1);
        }
      }
    }
  }
  const rowOf = new Map<number, number>();
  const colOf = new Map<number, number>();
  for (const cell of overlap.keys()) {
    const g = Math.floor(cell / T);
    const t = cell % T;
    if (!rowOf.has(g)) rowOf.set(g, rowOf.size);
    if (!colOf.has(t)) colOf.set(t, colOf.size);
  }
  const nr = rowOf.size;
  const nc = colOf.size;
  const weights = new Float64Array(nr * nc);
  for (const [cell, count] of overlap) {
    weights[(rowOf.get(Math.floor(cell / T)) as number) * nc + (colOf.get(cell % T) as number)] = count;
  }
  const { rows, cols } = solveAssignment(nr, nc, weights, true);
  let IDTP = 0;
  for (let k = 0; k < rows.length; k++) IDTP += weights[(rows[k] as number) * nc + (cols[k] as number)] as number;
  return finalizeIdentity({ IDTP, IDFN: seq.numGtDets - IDTP, IDFP: seq.numTrackerDets - IDTP });
}

/**
 * Combines Identity results as TrackEval's `Identity.combine_sequences`: counts summed, ratios recomputed.
 *
 * @internal
 */
export function combineIdentity(parts: readonly IdentityMetrics[]): IdentityMetrics {
  const total = (key: 'IDTP' | 'IDFN' | 'IDFP'): number => parts.reduce((sum, part) => sum + part[key], 0);
  return finalizeIdentity({ IDTP: total('IDTP'), IDFN: total('IDFN'), IDFP: total('IDFP') });
}

/** TrackEval's `Identity._compute_final_fields`. */
function finalizeIdentity(c: Pick<IdentityMetrics, 'IDTP' | 'IDFN' | 'IDFP'>): IdentityMetrics {
  const { IDTP, IDFN, IDFP } = c;
  return {
    IDF1: IDTP / Math.max(1, IDTP + 0.5 * IDFP + 0.5 * IDFN),
    IDR: IDTP / Math.max(1, IDTP + IDFN),
    IDP: IDTP / Math.max(1, IDTP + IDFP),
    IDTP,
    IDFN,
    IDFP,
  };
}

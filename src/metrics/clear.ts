import { solveAssignment } from '../core/linearSumAssignment.js';
import type { ClearMetrics } from './MotMetrics.js';
import type { PreparedSequence } from './TrackingSequence.js';

const EPS = Number.EPSILON; // np.finfo('float').eps
/** CLEAR and Identity count a match only at similarity ≥ 0.5. */
const THRESHOLD = 0.5;

/** The counts from which every CLEAR value derives (TrackEval's summed fields). @internal */
type ClearCounts = Pick<
  ClearMetrics,
  'CLR_TP' | 'CLR_FN' | 'CLR_FP' | 'IDSW' | 'MT' | 'PT' | 'ML' | 'Frag' | 'CLR_Frames' | 'MOTP_sum'
>;

const ZERO: ClearMetrics = {
  MOTA: 0,
  MOTP: 0,
  MODA: 0,
  CLR_Re: 0,
  CLR_Pr: 0,
  MTR: 0,
  PTR: 0,
  MLR: 0,
  sMOTA: 0,
  CLR_F1: 0,
  FP_per_frame: 0,
  MOTAL: 0,
  MOTP_sum: 0,
  CLR_TP: 0,
  CLR_FN: 0,
  CLR_FP: 0,
  IDSW: 0,
  MT: 0,
  PT: 0,
  ML: 0,
  Frag: 0,
  CLR_Frames: 0,
};

/**
 * CLEAR MOT metrics of one sequence, as TrackEval's `CLEAR.eval_sequence`: per frame, a Hungarian matching
 * that first keeps the previous frame's gt→tracker pairs (score 1000 + IoU) then maximises IoU, among pairs
 * with IoU ≥ 0.5.
 *
 * @internal
 */
export function evaluateClear(seq: PreparedSequence): ClearMetrics {
  // TrackEval returns these early, without the derived fields (and with CLR_Frames 0).
  if (seq.numTrackerDets === 0) return { ...ZERO, CLR_FN: seq.numGtDets, ML: seq.numGtIds, MLR: 1 };
  if (seq.numGtDets === 0) return { ...ZERO, CLR_FP: seq.numTrackerDets, MLR: 1 };

  const G = seq.numGtIds;
  const gtCount = new Float64Array(G);
  const gtMatched = new Float64Array(G);
  const gtFrag = new Float64Array(G);
  const lastTracker = new Int32Array(G).fill(-1); // last tracker id ever matched (for IDSW)
  const prevTracker = new Int32Array(G).fill(-1); // tracker id matched at the previous non-empty timestep
  let prevMatchedGts: number[] = [];
  let TP = 0;
  let FN = 0;
  let FP = 0;
  let IDSW = 0;
  let motpSum = 0;
  for (const { gt, tracker, similarity } of seq.frames) {
    const ng = gt.length;
    const nt = tracker.length;
    if (ng === 0) {
      FP += nt;
      continue;
    }
    if (nt === 0) {
      FN += ng;
      for (const g of gt) gtCount[g] = (gtCount[g] as number) + 1;
      continue;
    }
    const score = new Float64Array(ng * nt);
    for (let i = 0; i < ng; i++) {
      const previous = prevTracker[gt[i] as number] as number;
      for (let j = 0; j < nt; j++) {
        const s = similarity[i * nt + j] as number;
        score[i * nt + j] = s < THRESHOLD - EPS ? 0 : (tracker[j] === previous ? 1000 : 0) + s;
      }
    }
    const { rows, cols } = solveAssignment(ng, nt, score, true);
    const matchedGts: number[] = [];
    let frameSim = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      const j = cols[k] as number;
      if (!((score[i * nt + j] as number) > 0 + EPS)) continue;
      const g = gt[i] as number;
      const t = tracker[j] as number;
      const last = lastTracker[g] as number;
      if (last !== -1 && last !== t) IDSW++;
      lastTracker[g] = t;
      gtMatched[g] = (gtMatched[g] as number) + 1;
      matchedGts.push(g);
      frameSim += similarity[i * nt + j] as number;
    }
    for (const g of gt) gtCount[g] = (gtCount[g] as number) + 1;
    // A fragment starts where a gt is tracked now but was not at the previous non-empty timestep.
    for (const g of matchedGts) if (prevTracker[g] === -1) gtFrag[g] = (gtFrag[g] as number) + 1;
    for (const g of prevMatchedGts) prevTracker[g] = -1;
    for (const g of matchedGts) prevTracker[g] = lastTracker[g] as number;
    prevMatchedGts = matchedGts;
    TP += matchedGts.length;
    FN += ng - matchedGts.length;
    FP += nt - matchedGts.length;
    if (matchedGts.length > 0) motpSum += frameSim;
  }

  let MT = 0;
  let PT = 0;
  let Frag = 0;
  for (let g = 0; g < G; g++) {
    const count = gtCount[g] as number;
    if (count > 0) {
      const ratio = (gtMatched[g] as number) / count;
      if (ratio > 0.8) MT++;
      else if (ratio >= 0.2) PT++;
    }
    if ((gtFrag[g] as number) > 0) Frag += (gtFrag[g] as number) - 1;
  }
  return finalizeClear({
    CLR_TP: TP,
    CLR_FN: FN,
    CLR_FP: FP,
    IDSW,
    MT,
    PT,
    ML: G - MT - PT,
    Frag,
    CLR_Frames: seq.numTimesteps,
    MOTP_sum: motpSum,
  });
}

/**
 * Combines CLEAR results as TrackEval's `CLEAR.combine_sequences`: counts summed, ratios recomputed.
 *
 * @internal
 */
export function combineClear(parts: readonly ClearMetrics[]): ClearMetrics {
  const total = (key: keyof ClearCounts): number => parts.reduce((sum, part) => sum + part[key], 0);
  return finalizeClear({
    CLR_TP: total('CLR_TP'),
    CLR_FN: total('CLR_FN'),
    CLR_FP: total('CLR_FP'),
    IDSW: total('IDSW'),
    MT: total('MT'),
    PT: total('PT'),
    ML: total('ML'),
    Frag: total('Frag'),
    CLR_Frames: total('CLR_Frames'),
    MOTP_sum: total('MOTP_sum'),
  });
}

/** TrackEval's `CLEAR._compute_final_fields`. */
function finalizeClear(c: ClearCounts): ClearMetrics {
  const { CLR_TP: TP, CLR_FN: FN, CLR_FP: FP, IDSW, MT, PT, ML, MOTP_sum } = c;
  const numGtIds = MT + ML + PT;
  const gtDets = Math.max(1, TP + FN);
  const safeLogIdsw = IDSW > 0 ? Math.log10(IDSW) : IDSW;
  return {
    ...c,
    MTR: MT / Math.max(1, numGtIds),
    MLR: ML / Math.max(1, numGtIds),
    PTR: PT / Math.max(1, numGtIds),
    CLR_Re: TP / gtDets,
    CLR_Pr: TP / Math.max(1, TP + FP),
    MODA: (TP - FP) / gtDets,
    MOTA: (TP - FP - IDSW) / gtDets,
    MOTP: MOTP_sum / Math.max(1, TP),
    sMOTA: (MOTP_sum - FP - IDSW) / gtDets,
    CLR_F1: TP / Math.max(1, TP + 0.5 * FN + 0.5 * FP),
    FP_per_frame: FP / Math.max(1, c.CLR_Frames),
    MOTAL: (TP - FP - safeLogIdsw) / gtDets,
  };
}

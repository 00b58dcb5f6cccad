import { solveAssignment } from '../core/linearSumAssignment.js';
import type { HotaMetrics, HotaPerAlpha } from './MotMetrics.js';
import { numpyMean, numpySum } from './numpySum.js';
import type { PreparedSequence } from './TrackingSequence.js';

const EPS = Number.EPSILON; // np.finfo('float').eps

/**
 * The 19 localisation thresholds of HOTA, α = 0.05, 0.10, …, 0.95 (TrackEval's `np.arange(0.05, 0.99, 0.05)`,
 * bit for bit).
 *
 * @example
 * ```ts
 * import { HOTA_ALPHAS } from 'rekognition-face-stream';
 *
 * console.log(HOTA_ALPHAS.length, HOTA_ALPHAS[0]); // 19 0.05
 * ```
 */
export const HOTA_ALPHAS: readonly number[] = Object.freeze(Array.from({ length: 19 }, (_, k) => 0.05 + k * 0.05));

const A = HOTA_ALPHAS.length;
/** Above this many (gt id × tracker id) cells, association sums skip the zero cells (last-bit differences). */
const DENSE_SUM_LIMIT = 1 << 22;

/** The per-α accumulators from which every HOTA value derives. @internal */
interface HotaBase {
  readonly TP: Float64Array;
  readonly FN: Float64Array;
  readonly FP: Float64Array;
  readonly AssA: Float64Array;
  readonly AssRe: Float64Array;
  readonly AssPr: Float64Array;
  readonly LocA: Float64Array;
}

/**
 * HOTA of one sequence, as TrackEval's `HOTA.eval_sequence`.
 *
 * @internal
 */
export function evaluateHota(seq: PreparedSequence): HotaMetrics {
  const base: HotaBase = {
    TP: new Float64Array(A),
    FN: new Float64Array(A),
    FP: new Float64Array(A),
    AssA: new Float64Array(A),
    AssRe: new Float64Array(A),
    AssPr: new Float64Array(A),
    LocA: new Float64Array(A),
  };
  // TrackEval returns early when either side is empty: every detection of the other side is an error.
  if (seq.numTrackerDets === 0) {
    base.FN.fill(seq.numGtDets);
    base.LocA.fill(1);
    return finalizeHota(base);
  }
  if (seq.numGtDets === 0) {
    base.FP.fill(seq.numTrackerDets);
    base.LocA.fill(1);
    return finalizeHota(base);
  }
  const G = seq.numGtIds;
  const T = seq.numTrackerIds;
  // Global association: soft (similarity-weighted) co-occurrence of every gt id with every tracker id.
  const potential = new Float64Array(G * T);
  const gtCount = new Float64Array(G);
  const trCount = new Float64Array(T);
  for (const { gt, tracker, similarity } of seq.frames) {
    const ng = gt.length;
    const nt = tracker.length;
    const colSum = new Float64Array(nt);
    for (let i = 0; i < ng; i++) for (let j = 0; j < nt; j++) colSum[j] = (colSum[j] as number) + (similarity[i * nt + j] as number);
    for (let i = 0; i < ng; i++) {
      const rowSum = numpySum(similarity, i * nt, nt);
      const rowBase = (gt[i] as number) * T;
      for (let j = 0; j < nt; j++) {
        const s = similarity[i * nt + j] as number;
        const denom = (colSum[j] as number) + rowSum - s;
        const k = rowBase + (tracker[j] as number);
        potential[k] = (potential[k] as number) + (denom > 0 + EPS ? s / denom : 0);
      }
    }
    for (const g of gt) gtCount[g] = (gtCount[g] as number) + 1;
    for (const t of tracker) trCount[t] = (trCount[t] as number) + 1;
  }
  const alignment = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const k = g * T + t;
      alignment[k] = (potential[k] as number) / ((gtCount[g] as number) + (trCount[t] as number) - (potential[k] as number));
    }
  }

  // Per-frame matching maximising alignment × similarity; a match counts at every α it clears.
  // matches.get(cell)[a] = number of frames where the pair (gt id, tracker id) is a true positive at α_a.
  const matches = new Map<number, Float64Array>();
  const { TP, FN, FP, LocA } = base;
  for (const { gt, tracker, similarity } of seq.frames) {
    const ng = gt.length;
    const nt = tracker.length;
    if (ng === 0 || nt === 0) {
      const target = ng === 0 ? FP : FN;
      for (let a = 0; a < A; a++) target[a] = (target[a] as number) + (ng === 0 ? nt : ng);
      continue;
    }
    const score = new Float64Array(ng * nt);
    for (let i = 0; i < ng; i++) {
      const rowBase = (gt[i] as number) * T;
      for (let j = 0; j < nt; j++) {
        score[i * nt + j] = (alignment[rowBase + (tracker[j] as number)] as number) * (similarity[i * nt + j] as number);
      }
    }
    const { rows, cols } = solveAssignment(ng, nt, score, true);
    for (let a = 0; a < A; a++) {
      const threshold = (HOTA_ALPHAS[a] as number) - EPS;
      let count = 0;
      let locSum = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k] as number;
        const j = cols[k] as number;
        const s = similarity[i * nt + j] as number;
        if (!(s >= threshold)) continue;
        count++;
        locSum += s;
        const cell = (gt[i] as number) * T + (tracker[j] as number);
        let counts = matches.get(cell);
        if (counts === undefined) matches.set(cell, (counts = new Float64Array(A)));
        counts[a] = (counts[a] as number) + 1;
      }
      TP[a] = (TP[a] as number) + count;
      FN[a] = (FN[a] as number) + (ng - count);
      FP[a] = (FP[a] as number) + (nt - count);
      if (count > 0) LocA[a] = (LocA[a] as number) + locSum;
    }
  }

  // Association scores, summed over every (gt id, tracker id) cell in numpy's order.
  const dense = G * T <= DENSE_SUM_LIMIT ? new Float64Array(G * T) : undefined;
  const cells = [...matches.keys()].sort((x, y) => x - y);
  const sumOver = (a: number, term: (mc: number, g: number, t: number) => number): number => {
    if (dense === undefined) {
      let sum = 0;
      for (const cell of cells) sum += term((matches.get(cell) as Float64Array)[a] as number, Math.floor(cell / T), cell % T);
      return sum;
    }
    dense.fill(0);
    for (const cell of cells) dense[cell] = term((matches.get(cell) as Float64Array)[a] as number, Math.floor(cell / T), cell % T);
    return numpySum(dense);
  };
  for (let a = 0; a < A; a++) {
    const tp = Math.max(1, TP[a] as number);
    const gc = (g: number): number => gtCount[g] as number;
    const tc = (t: number): number => trCount[t] as number;
    base.AssA[a] = sumOver(a, (mc, g, t) => mc * (mc / Math.max(1, gc(g) + tc(t) - mc))) / tp;
    base.AssRe[a] = sumOver(a, (mc, g) => mc * (mc / Math.max(1, gc(g)))) / tp;
    base.AssPr[a] = sumOver(a, (mc, _g, t) => mc * (mc / Math.max(1, tc(t)))) / tp;
    LocA[a] = Math.max(1e-10, LocA[a] as number) / Math.max(1e-10, TP[a] as number);
  }
  return finalizeHota(base);
}

/**
 * Combines the HOTA of several sequences as TrackEval's `HOTA.combine_sequences`: counts summed, AssA/AssRe/
 * AssPr and LocA weighted by each sequence's true positives, then every derived value recomputed.
 *
 * @internal
 */
export function combineHota(parts: readonly HotaMetrics[]): HotaMetrics {
  const sum = (pick: (p: HotaPerAlpha) => readonly number[], weight?: (p: HotaPerAlpha) => readonly number[]): Float64Array => {
    const out = new Float64Array(A);
    for (const part of parts) {
      const values = pick(part.perAlpha);
      const weights = weight?.(part.perAlpha);
      for (let a = 0; a < A; a++) out[a] = (out[a] as number) + (values[a] as number) * (weights ? (weights[a] as number) : 1);
    }
    return out;
  };
  const TP = sum((p) => p.HOTA_TP);
  const tpWeighted = (pick: (p: HotaPerAlpha) => readonly number[]): Float64Array =>
    sum(pick, (p) => p.HOTA_TP).map((v, a) => v / Math.max(1, TP[a] as number));
  const locSum = sum((p) => p.LocA, (p) => p.HOTA_TP);
  return finalizeHota({
    TP,
    FN: sum((p) => p.HOTA_FN),
    FP: sum((p) => p.HOTA_FP),
    AssA: tpWeighted((p) => p.AssA),
    AssRe: tpWeighted((p) => p.AssRe),
    AssPr: tpWeighted((p) => p.AssPr),
    LocA: locSum.map((v, a) => Math.max(1e-10, v) / Math.max(1e-10, TP[a] as number)),
  });
}

/** TrackEval's `HOTA._compute_final_fields`, plus the means over α. */
function finalizeHota(base: HotaBase): HotaMetrics {
  const { TP, FN, FP, AssA, AssRe, AssPr, LocA } = base;
  const DetRe = TP.map((tp, a) => tp / Math.max(1, tp + (FN[a] as number)));
  const DetPr = TP.map((tp, a) => tp / Math.max(1, tp + (FP[a] as number)));
  const DetA = TP.map((tp, a) => tp / Math.max(1, tp + (FN[a] as number) + (FP[a] as number)));
  const HOTA = DetA.map((d, a) => Math.sqrt(d * (AssA[a] as number)));
  const OWTA = DetRe.map((d, a) => Math.sqrt(d * (AssA[a] as number)));
  const perAlpha: HotaPerAlpha = {
    HOTA: [...HOTA],
    DetA: [...DetA],
    AssA: [...AssA],
    DetRe: [...DetRe],
    DetPr: [...DetPr],
    AssRe: [...AssRe],
    AssPr: [...AssPr],
    LocA: [...LocA],
    OWTA: [...OWTA],
    HOTA_TP: [...TP],
    HOTA_FN: [...FN],
    HOTA_FP: [...FP],
  };
  const HOTA0 = HOTA[0] as number;
  const LocA0 = LocA[0] as number;
  return {
    HOTA: numpyMean(HOTA),
    DetA: numpyMean(DetA),
    AssA: numpyMean(AssA),
    DetRe: numpyMean(DetRe),
    DetPr: numpyMean(DetPr),
    AssRe: numpyMean(AssRe),
    AssPr: numpyMean(AssPr),
    LocA: numpyMean(LocA),
    OWTA: numpyMean(OWTA),
    HOTA0,
    LocA0,
    HOTALocA0: HOTA0 * LocA0,
    perAlpha,
  };
}

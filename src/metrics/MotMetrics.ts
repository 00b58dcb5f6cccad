/**
 * HOTA values at each localisation threshold α of {@link HOTA_ALPHAS} (TrackEval's per-α arrays).
 *
 * @example
 * ```ts
 * import { evaluateMot, parseMot } from 'rekognition-face-stream';
 *
 * const gt = parseMot('1,1,0,0,10,10,1\n');
 * const { perAlpha } = evaluateMot(gt, gt);
 * console.log(perAlpha.HOTA.length, perAlpha.HOTA_TP[0]); // 19 1
 * ```
 */
export interface HotaPerAlpha {
  /** HOTA_α = √(DetA_α · AssA_α). */
  readonly HOTA: readonly number[];
  /** Detection accuracy TP / (TP + FN + FP). */
  readonly DetA: readonly number[];
  /** Association accuracy, averaged over true positives. */
  readonly AssA: readonly number[];
  /** Detection recall TP / (TP + FN). */
  readonly DetRe: readonly number[];
  /** Detection precision TP / (TP + FP). */
  readonly DetPr: readonly number[];
  /** Association recall. */
  readonly AssRe: readonly number[];
  /** Association precision. */
  readonly AssPr: readonly number[];
  /** Localisation accuracy: mean similarity of the true positives. */
  readonly LocA: readonly number[];
  /** Open-world tracking accuracy √(DetRe · AssA). */
  readonly OWTA: readonly number[];
  /** True positives (matched detections with similarity ≥ α). */
  readonly HOTA_TP: readonly number[];
  /** False negatives. */
  readonly HOTA_FN: readonly number[];
  /** False positives. */
  readonly HOTA_FP: readonly number[];
}

/**
 * HOTA family (Luiten et al., IJCV 2020) as TrackEval reports it: scalars are means over the 19 α values.
 * TrackEval's `HOTA(0)`, `LocA(0)` and `HOTALocA(0)` are named `HOTA0`, `LocA0` and `HOTALocA0`.
 */
export interface HotaMetrics {
  /** Higher Order Tracking Accuracy, mean over α. */
  readonly HOTA: number;
  /** Detection accuracy, mean over α. */
  readonly DetA: number;
  /** Association accuracy, mean over α. */
  readonly AssA: number;
  /** Detection recall, mean over α. */
  readonly DetRe: number;
  /** Detection precision, mean over α. */
  readonly DetPr: number;
  /** Association recall, mean over α. */
  readonly AssRe: number;
  /** Association precision, mean over α. */
  readonly AssPr: number;
  /** Localisation accuracy, mean over α. */
  readonly LocA: number;
  /** Open-world tracking accuracy, mean over α. */
  readonly OWTA: number;
  /** HOTA at the lowest α (0.05). */
  readonly HOTA0: number;
  /** LocA at the lowest α. */
  readonly LocA0: number;
  /** HOTA0 · LocA0. */
  readonly HOTALocA0: number;
  /** Per-α values, aligned with {@link HOTA_ALPHAS}. */
  readonly perAlpha: HotaPerAlpha;
}

/**
 * CLEAR MOT metrics (Bernardin & Stiefelhagen 2008) as TrackEval computes them, at similarity ≥ 0.5.
 * Ratios are fractions (MOTA 0.55, not 55).
 */
export interface ClearMetrics {
  /** Multiple Object Tracking Accuracy (TP − FP − IDSW) / (TP + FN). */
  readonly MOTA: number;
  /** Multiple Object Tracking Precision: mean IoU of the matches (not py-motmetrics' distance 1 − IoU). */
  readonly MOTP: number;
  /** Multiple Object Detection Accuracy (TP − FP) / (TP + FN). */
  readonly MODA: number;
  /** Recall TP / (TP + FN). */
  readonly CLR_Re: number;
  /** Precision TP / (TP + FP). */
  readonly CLR_Pr: number;
  /** Fraction of ground-truth tracks mostly tracked. */
  readonly MTR: number;
  /** Fraction of ground-truth tracks partially tracked. */
  readonly PTR: number;
  /** Fraction of ground-truth tracks mostly lost. */
  readonly MLR: number;
  /** Soft MOTA (MOTP_sum − FP − IDSW) / (TP + FN). */
  readonly sMOTA: number;
  /** Detection F1 TP / (TP + (FN + FP) / 2). */
  readonly CLR_F1: number;
  /** False positives per frame. */
  readonly FP_per_frame: number;
  /** MOTA with log10(IDSW) in place of IDSW. */
  readonly MOTAL: number;
  /** Sum of the IoU of every match. */
  readonly MOTP_sum: number;
  /** Matches (true positives). */
  readonly CLR_TP: number;
  /** Misses (false negatives). */
  readonly CLR_FN: number;
  /** False positives. */
  readonly CLR_FP: number;
  /** Identity switches. */
  readonly IDSW: number;
  /** Mostly tracked ground-truth tracks (matched in more than 80 % of their frames). */
  readonly MT: number;
  /** Partially tracked ground-truth tracks (20 % to 80 %). */
  readonly PT: number;
  /** Mostly lost ground-truth tracks (less than 20 %). */
  readonly ML: number;
  /** Fragmentations: untracked→tracked transitions after a track's first. */
  readonly Frag: number;
  /** Frames in the sequence (0 when the sequence has no tracker or no ground-truth detections, as in TrackEval). */
  readonly CLR_Frames: number;
}

/** Identity metrics (Ristani et al. 2016) as TrackEval computes them, at similarity ≥ 0.5. */
export interface IdentityMetrics {
  /** ID F1 score 2·IDTP / (2·IDTP + IDFP + IDFN). */
  readonly IDF1: number;
  /** ID recall IDTP / (IDTP + IDFN). */
  readonly IDR: number;
  /** ID precision IDTP / (IDTP + IDFP). */
  readonly IDP: number;
  /** Identity true positives. */
  readonly IDTP: number;
  /** Identity false negatives. */
  readonly IDFN: number;
  /** Identity false positives. */
  readonly IDFP: number;
}

/**
 * Every metric of one sequence (or of several combined), with TrackEval's names and values.
 *
 * @example
 * ```ts
 * import { evaluateMot, parseMot, type MotMetrics } from 'rekognition-face-stream';
 *
 * const gt = parseMot('1,1,0,0,10,10,1\n2,1,1,0,10,10,1\n');
 * const metrics: MotMetrics = evaluateMot(gt, gt);
 * console.log(metrics.HOTA, metrics.IDF1, metrics.MOTA); // 1 1 1
 * ```
 */
export interface MotMetrics extends HotaMetrics, ClearMetrics, IdentityMetrics {}

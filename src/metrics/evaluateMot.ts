import { evaluatePrepared } from './evaluateSequence.js';
import type { MotMetrics } from './MotMetrics.js';
import type { MotRow } from './MotRow.js';
import { prepareMot, type MotSequenceOptions } from './prepareMot.js';

/** Options of {@link evaluateMot}. */
export type EvaluateMotOptions = MotSequenceOptions;

/**
 * Scores tracker output against ground truth, both as MOT rows of one sequence, with TrackEval's metrics:
 * HOTA (DetA, AssA, LocA, …, per α), CLEAR (MOTA, MOTP, IDSW, Frag, MT/PT/ML, …) and Identity (IDF1, IDP, IDR).
 * Values are fractions, identical to TrackEval's MOTChallenge 2D box evaluation (MOT15 rules: no classes;
 * zero-marked ground truth ignored).
 *
 * Pure and deterministic; rows within a frame are used in input order (it decides ties, as in TrackEval).
 * Combine several sequences with {@link combineMetrics}, never by averaging.
 *
 * @param gt - ground-truth rows.
 * @param pred - tracker rows (ids are track ids).
 * @throws {@link InvalidParameterError} for a malformed row (frame not an integer >= 1 or beyond `numFrames`,
 *   id not an integer >= 0, non-finite box) or an id repeated within a frame.
 *
 * @example
 * ```ts
 * import { evaluateMot, parseMot } from 'rekognition-face-stream';
 *
 * const gt = parseMot('1,1,10,10,20,40,1\n2,1,12,10,20,40,1\n3,1,14,10,20,40,1\n');
 * const pred = parseMot('1,7,10,11,20,40,-1\n2,7,12,11,20,40,-1\n3,8,14,11,20,40,-1\n');
 * const m = evaluateMot(gt, pred);
 * console.log(m.MOTA.toFixed(3), m.IDSW, m.IDF1.toFixed(3)); // 0.667 1 0.667
 * ```
 */
export function evaluateMot(
  gt: readonly MotRow[],
  pred: readonly MotRow[],
  options: EvaluateMotOptions = {},
): MotMetrics {
  return evaluatePrepared(prepareMot(gt, pred, options));
}

import { evaluateClear } from './clear.js';
import { evaluateHota } from './hota.js';
import { evaluateIdentity } from './identity.js';
import type { MotMetrics } from './MotMetrics.js';
import { prepareSequence, type PreparedSequence, type TrackingSequence } from './TrackingSequence.js';

/**
 * Computes HOTA, CLEAR and Identity metrics of one sequence given in TrackEval's own input form (ids present
 * per timestep and their similarity matrices), exactly as TrackEval's metric classes do. For MOT-format boxes
 * use {@link evaluateMot}.
 *
 * @throws {@link InvalidParameterError} when ids are out of range or repeated within a timestep, or when a
 *   similarity matrix has the wrong shape or a value outside `[0, 1]`.
 *
 * @example
 * ```ts
 * import { evaluateSequence } from 'rekognition-face-stream';
 *
 * // One object, tracked by tracker id 0 and then by tracker id 1: one identity switch.
 * const metrics = evaluateSequence({
 *   numGtIds: 1,
 *   numTrackerIds: 2,
 *   gtIds: [[0], [0]],
 *   trackerIds: [[0], [1]],
 *   similarity: [[[0.9]], [[0.8]]],
 * });
 * console.log(metrics.IDSW, metrics.MOTA, metrics.IDF1); // 1 0.5 0.5
 * ```
 */
export function evaluateSequence(sequence: TrackingSequence): MotMetrics {
  return evaluatePrepared(prepareSequence(sequence));
}

/** All metrics of a prepared sequence. @internal */
export function evaluatePrepared(sequence: PreparedSequence): MotMetrics {
  return { ...evaluateHota(sequence), ...evaluateClear(sequence), ...evaluateIdentity(sequence) };
}

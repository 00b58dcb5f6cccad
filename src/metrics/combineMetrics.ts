import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { combineClear } from './clear.js';
import { combineHota } from './hota.js';
import { combineIdentity } from './identity.js';
import type { MotMetrics } from './MotMetrics.js';

/**
 * Combines the metrics of several sequences into TrackEval's `COMBINED_SEQ`: detection and identity counts
 * are summed and every ratio recomputed from the sums; HOTA's AssA, AssRe, AssPr and LocA are averaged per α
 * weighted by each sequence's true positives. This is not the mean of the per-sequence scores.
 *
 * @param parts - per-sequence metrics from {@link evaluateMot} or {@link evaluateSequence}.
 * @throws {@link InvalidParameterError} when `parts` is not an array.
 *
 * @example
 * ```ts
 * import { combineMetrics, evaluateMot, parseMot } from 'rekognition-face-stream';
 *
 * const a = parseMot('1,1,0,0,10,10,1\n');
 * const b = parseMot('1,1,0,0,10,10,1\n2,1,0,0,10,10,1\n');
 * const combined = combineMetrics([evaluateMot(a, a), evaluateMot(b, [])]);
 * console.log(combined.CLR_TP, combined.CLR_FN, combined.MOTA.toFixed(3)); // 1 2 0.333
 * ```
 */
export function combineMetrics(parts: readonly MotMetrics[]): MotMetrics {
  if (!Array.isArray(parts)) throw new InvalidParameterError('parts', 'an array of metrics', parts);
  return { ...combineHota(parts), ...combineClear(parts), ...combineIdentity(parts) };
}

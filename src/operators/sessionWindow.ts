import type { OperatorFunction } from 'rxjs';
import { expectInteger } from '../internal/validate.js';
import { SessionWindowEngine } from '../core/windows/SessionWindowEngine.js';
import { resolveWindowOptions } from '../core/windows/windowOptions.js';
import type { SessionWindowOptions, WindowResult } from '../core/windows/windowTypes.js';
import type { FaceDetection } from '../types.js';
import { windowOperator } from './windowOperator.js';

/**
 * Groups items into sessions of activity separated by at least `gap` ms of **event time** without items.
 *
 * <span class="informal">Scenes: runs of detections with no silence of `gap` ms or more inside.</span>
 *
 * ```text
 * Timestamp:  0   500  900           4000 4200 |
 * sessionWindow(2000)
 * output:                   [0,2900)             ([4000,6200)|)
 * ```
 *
 * Each item at `t` opens the session `[t, t + gap)`; overlapping sessions merge, so a session spans
 * `[first, last + gap)` of its items and consecutive items in it are less than `gap` apart (items exactly
 * `gap` apart start a new session). A session fires when the watermark reaches its end, i.e. with sorted
 * input when an item `gap` or more after its last item arrives, or on completion. With out-of-order input
 * (`maxOutOfOrderness`, `allowedLateness`) a late item can extend a session or bridge two sessions into one;
 * the merged session then fires again and supersedes both. As in Beam, lateness is judged on the item's own
 * session before merging: an item is late when `t + gap + allowedLateness ≤ watermark`, or when it would merge
 * into a session that has already closed (closed sessions are remembered for `gap` more ms for that check, so
 * output sessions of a key never overlap). With a `key`, every key has its own sessions (per track, per
 * person). Ordering and errors are as in {@link tumblingWindow}.
 *
 * Sessions merge, so a custom `aggregate` must have `merge` (checked at call time).
 *
 * ## Example
 * Scenes separated by 2 s without faces:
 * ```ts
 * import { from } from 'rxjs';
 * import { countAggregate, sessionWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0 }, { Timestamp: 500 }, { Timestamp: 4000 }])
 *   .pipe(sessionWindow(2000, { aggregate: countAggregate }))
 *   .subscribe(({ start, end, value }) => console.log(start, end, value)); // 0 2500 2, then 4000 6000 1
 * ```
 *
 * @see {@link tumblingWindow}, {@link hoppingWindow}
 * @param gap Inactivity gap in ms that separates sessions: an integer ≥ 1.
 * @param options Event time, key, aggregation, watermark and lateness options.
 * @return An operator emitting one {@link WindowResult} per session firing.
 * @throws InvalidParameterError At call time, for a bad `gap` or option (e.g. an `aggregate` without `merge`).
 */
export function sessionWindow<T = FaceDetection, K = undefined, R = T[]>(
  gap: number,
  options?: SessionWindowOptions<T, K, R>,
): OperatorFunction<T, WindowResult<R, K>> {
  expectInteger('gap', gap, 1);
  const resolved = resolveWindowOptions<T, K, R>({ kind: 'session', gap }, options);
  return windowOperator((emit) => new SessionWindowEngine(gap, resolved, emit));
}

import type { OperatorFunction } from 'rxjs';
import { expectInteger } from '../internal/validate.js';
import { FixedWindowEngine } from '../core/windows/FixedWindowEngine.js';
import { resolveWindowOptions } from '../core/windows/windowOptions.js';
import type { FixedWindowOptions, WindowResult } from '../core/windows/windowTypes.js';
import type { FaceDetection } from '../types.js';
import { windowOperator } from './windowOperator.js';

/**
 * Groups items into consecutive, non-overlapping windows of `size` ms of **event time** (video time).
 *
 * <span class="informal">`bufferTime` on the items' own timestamps: faces per second of video, however fast the
 * pages arrive.</span>
 *
 * ```text
 * Timestamp:  0   400  900 1000 1700        3100 |
 * tumblingWindow(1000)
 * output:                 [0,1000)  [1000,2000)  ([3000,4000)|)
 *                          3 items   2 items       1 item
 * ```
 *
 * Each item belongs to the one window `[start, start + size)` with `start = offset + k · size ≤ t`
 * (non-negative modulo, so negative timestamps and offsets are fine). A window fires when the watermark —
 * the largest timestamp seen minus `maxOutOfOrderness` — reaches its `end`; with sorted input (Rekognition's
 * order) that is as soon as an item at or after `end` arrives. On completion every open window fires.
 * Windows fire in `end` order (ties: the window whose first item came first). Windows with no items are skipped
 * unless `emptyWindows` is set. Items arriving after their window closed (`end + allowedLateness ≤ watermark`)
 * go to `onLate`, or error the stream with `LateItemError` when there is no `onLate`.
 *
 * The operator is synchronous and keeps one record per open window (with `aggregate`, one accumulator).
 * Errors from the source or from user callbacks (`timestamp`, `key`, `aggregate`, `onLate`) discard all state
 * and are propagated.
 *
 * ## Example
 * Faces per second of video:
 * ```ts
 * import { from } from 'rxjs';
 * import { countAggregate, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0 }, { Timestamp: 400 }, { Timestamp: 1700 }])
 *   .pipe(tumblingWindow(1000, { aggregate: countAggregate }))
 *   .subscribe(({ start, value }) => console.log(start, value)); // 0 2, then 1000 1
 * ```
 *
 * @see {@link hoppingWindow} for overlapping windows, {@link sessionWindow} for activity-based windows.
 * @param size Window length in ms: an integer ≥ 1.
 * @param options Event time, key, aggregation, watermark, lateness and empty-window options.
 * @return An operator emitting one {@link WindowResult} per window firing.
 * @throws InvalidParameterError At call time, for a bad `size` or option.
 */
export function tumblingWindow<T = FaceDetection, K = undefined, R = T[]>(
  size: number,
  options?: FixedWindowOptions<T, K, R>,
): OperatorFunction<T, WindowResult<R, K>> {
  expectInteger('size', size, 1);
  const offset = expectInteger('offset', options?.offset ?? 0);
  const grid = { size, slide: size, offset };
  const resolved = resolveWindowOptions<T, K, R>({ kind: 'fixed', ...grid }, options);
  return windowOperator((emit) => new FixedWindowEngine(grid, resolved, emit));
}

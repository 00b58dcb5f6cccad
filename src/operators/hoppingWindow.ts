import type { OperatorFunction } from 'rxjs';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectInteger } from '../internal/validate.js';
import { FixedWindowEngine } from '../core/windows/FixedWindowEngine.js';
import { resolveWindowOptions } from '../core/windows/windowOptions.js';
import type { FixedWindowOptions, WindowResult } from '../core/windows/windowTypes.js';
import type { FaceDetection } from '../types.js';
import { windowOperator } from './windowOperator.js';

/**
 * Groups items into overlapping windows of `size` ms of **event time**, one starting every `slide` ms
 * (Flink's sliding windows, Kafka Streams' hopping windows).
 *
 * <span class="informal">A moving window over video time: "faces in the last 5 s, every second".</span>
 *
 * ```text
 * Timestamp:  0        1500       2500 |
 * hoppingWindow(2000, 1000)
 * output:   [-1000,1000) [0,2000) ([1000,3000) [2000,4000)|)
 *             1 item      2 items    2 items     1 item
 * ```
 *
 * Windows are `[start, start + size)` with `start = offset + k · slide`; each item belongs to the
 * `size / slide` windows that contain it (rounded up or down when `slide` does not divide `size`). `slide` must
 * not exceed `size`: with larger slides items between windows would belong to no window and vanish (use
 * {@link tumblingWindow} and sample instead). `slide === size` is {@link tumblingWindow}. Firing, lateness,
 * ordering, empty windows and errors are as in {@link tumblingWindow}. An item can be too late for some of its
 * windows but not for others: it is then added to the open ones and also reported to `onLate`.
 *
 * Memory is one record per open window, i.e. about `size / slide` per key for sorted input.
 *
 * ## Example
 * Detections in the last 5 s of video, every second:
 * ```ts
 * import { from } from 'rxjs';
 * import { countAggregate, hoppingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0 }, { Timestamp: 1500 }])
 *   .pipe(hoppingWindow(5000, 1000, { aggregate: countAggregate }))
 *   .subscribe(({ start, end, value }) => console.log(start, end, value));
 * ```
 *
 * @see {@link tumblingWindow}, {@link sessionWindow}
 * @param size Window length in ms: an integer ≥ 1.
 * @param slide Distance between window starts in ms: an integer from 1 to `size`.
 * @param options Event time, key, aggregation, watermark, lateness and empty-window options.
 * @return An operator emitting one {@link WindowResult} per window firing.
 * @throws InvalidParameterError At call time, for a bad `size`, `slide` or option.
 */
export function hoppingWindow<T = FaceDetection, K = undefined, R = T[]>(
  size: number,
  slide: number,
  options?: FixedWindowOptions<T, K, R>,
): OperatorFunction<T, WindowResult<R, K>> {
  expectInteger('size', size, 1);
  expectInteger('slide', slide, 1);
  if (slide > size) throw new InvalidParameterError('slide', `an integer from 1 to size (${size})`, slide);
  const offset = expectInteger('offset', options?.offset ?? 0);
  const grid = { size, slide, offset };
  const resolved = resolveWindowOptions<T, K, R>({ kind: 'fixed', ...grid }, options);
  return windowOperator((emit) => new FixedWindowEngine(grid, resolved, emit));
}

/**
 * Window assignment math for event-time windows (pure, no RxJS).
 *
 * Windows are half-open `[start, end)`. Fixed windows (tumbling and hopping) lie on a grid: their starts are
 * `offset + k · slide` for every integer `k`, so the formulas below use a non-negative modulo and stay correct
 * for negative timestamps and offsets (Flink's `TimeWindow.getWindowStartWithOffset`, newer form).
 *
 * @module
 */

/**
 * The largest grid start `offset + k · slide` that is `<= timestamp`.
 *
 * For tumbling windows (`slide = size`) this is the start of the only window containing `timestamp`; for
 * hopping windows it is the start of the last (latest-starting) window containing it.
 *
 * @example
 * ```ts
 * import { lastWindowStart } from './windowAssignment.js';
 *
 * lastWindowStart(1500, 1000, 0); // 1000
 * lastWindowStart(-1, 1000, 0); // -1000
 * lastWindowStart(1500, 1000, -300); // 700
 * ```
 */
export function lastWindowStart(timestamp: number, slide: number, offset: number): number {
  const r = (timestamp - offset) % slide;
  return r < 0 ? timestamp - r - slide : timestamp - r;
}

/**
 * The smallest grid start whose window `[start, start + size)` contains `timestamp`: with
 * {@link lastWindowStart}, the window starts containing `timestamp` are `first, first + slide, …, last`. There
 * are `size / slide` of them when `slide` divides `size`, and `floor` or `ceil` of `size / slide` otherwise.
 *
 * Steps back from the last start (exact for any finite timestamp, allocates nothing).
 *
 * @example
 * ```ts
 * import { firstWindowStart } from './windowAssignment.js';
 *
 * firstWindowStart(2500, 3000, 1000, 0); // 0: the windows [0, 3000), [1000, 4000), [2000, 5000)
 * ```
 */
export function firstWindowStart(timestamp: number, size: number, slide: number, offset: number): number {
  let first = lastWindowStart(timestamp, slide, offset);
  while (first - slide > timestamp - size) first -= slide;
  return first;
}

/**
 * Start of the first grid window that ends after `time`: the earliest window overlapping `[time, ∞)`.
 *
 * @example
 * ```ts
 * import { firstWindowEndingAfter } from './windowAssignment.js';
 *
 * firstWindowEndingAfter(0, 5000, 1000, 0); // -4000, the window [-4000, 1000)
 * ```
 */
export function firstWindowEndingAfter(time: number, size: number, slide: number, offset: number): number {
  return lastWindowStart(time - size, slide, offset) + slide;
}

/**
 * Watermark and window-lifecycle rules for event-time windows (pure, no RxJS).
 *
 * The watermark is the event time up to which the input is taken to be complete: `max timestamp seen −
 * maxOutOfOrderness` (Flink's bounded out-of-orderness strategy; `0` is the monotonic strategy). It is
 * `-Infinity` before the first item and `+Infinity` once the input completes. An item whose timestamp is below
 * the watermark is out of order beyond the bound.
 *
 * A window `[start, end)` fires on time once the watermark reaches `end` (no on-time item can still fall into
 * it) and is closed — its state dropped, later items rejected as late — once the watermark reaches
 * `end + allowedLateness`. This is Flink's `maxTimestamp() <= watermark` and `cleanupTime <= watermark` with
 * `maxTimestamp = end − 1` and a watermark one lower than ours.
 *
 * @module
 */

/** The watermark after seeing `maxTimestamp` with a bound of `maxOutOfOrderness` ms. */
export function watermarkOf(maxTimestamp: number, maxOutOfOrderness: number): number {
  return maxTimestamp - maxOutOfOrderness;
}

/** Whether a window ending at `end` is due to fire on time at `watermark`. */
export function isWindowDue(end: number, watermark: number): boolean {
  return end <= watermark;
}

/** Whether a window ending at `end` is closed (no longer accepts late items) at `watermark`. */
export function isWindowClosed(end: number, allowedLateness: number, watermark: number): boolean {
  return end + allowedLateness <= watermark;
}

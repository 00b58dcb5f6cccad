/**
 * Session-window merging (pure, no RxJS).
 *
 * Each item at `t` proposes the session `[t, t + gap)`; sessions that overlap merge into their cover, so a
 * session is a maximal run of items in which consecutive timestamps are less than `gap` apart, spanning
 * `[first, last + gap)`. Half-open intervals that merely touch do not overlap: items exactly `gap` apart start
 * a new session. A late item can bridge two sessions (Kafka Streams' javadoc example).
 *
 * @module
 */

/** A half-open interval `[start, end)`. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/**
 * The index range `[from, to)` of the intervals in `sorted` (disjoint, ordered by start) that overlap
 * `[start, end)`. The range is empty (`from === to`) when none do; `from` is then the insertion index.
 *
 * Scans from the end, because in-order input touches only the last session.
 *
 * @example
 * ```ts
 * import { overlappingRange } from './sessionMerge.js';
 *
 * overlappingRange([{ start: 0, end: 5 }, { start: 10, end: 15 }], 4, 11); // { from: 0, to: 2 }
 * overlappingRange([{ start: 0, end: 5 }], 5, 8); // { from: 1, to: 1 }
 * ```
 */
export function overlappingRange(
  sorted: readonly Interval[],
  start: number,
  end: number,
): { from: number; to: number } {
  let to = sorted.length;
  while (to > 0 && sorted[to - 1]!.start >= end) to--;
  let from = to;
  while (from > 0 && sorted[from - 1]!.end > start) from--;
  return { from, to };
}

/**
 * Types shared by the event-time window operators ({@link tumblingWindow}, {@link hoppingWindow},
 * {@link sessionWindow}).
 *
 * @module
 */

/**
 * Why a pane was emitted (Beam's `PaneInfo.Timing`):
 * - `EARLY`: before the watermark reached the window's end (only with `earlyFiringEvery`);
 * - `ON_TIME`: when the watermark reached the window's end, or when the input completed;
 * - `LATE`: a late item, accepted within `allowedLateness`, updated a window that had already fired.
 */
export type PaneTiming = 'EARLY' | 'ON_TIME' | 'LATE';

/** Which firing of its window a result is. Panes accumulate: each carries every item accepted so far. */
export interface WindowPane {
  /** Why this pane was emitted. */
  readonly timing: PaneTiming;
  /** 0-based firing number within the window (after a session merge, continues the highest merged index). */
  readonly index: number;
  /** `true` when no further pane will be emitted for this window (it was closed as it fired). */
  readonly isLast: boolean;
}

/**
 * One firing of an event-time window `[start, end)` (milliseconds of event time, half-open).
 *
 * When panes of one window repeat (early or late firings, `allowedLateness`), later panes supersede earlier
 * ones: upsert by `(key, start, end)`. For chaining windowed operations use `end - 1` as the result's event time.
 */
export interface WindowResult<R, K = undefined> {
  /** Inclusive start of the window (ms). */
  readonly start: number;
  /** Exclusive end of the window (ms). */
  readonly end: number;
  /** The key selected by the `key` option; `undefined` for unkeyed windows. */
  readonly key: K;
  /** Which firing this is. */
  readonly pane: WindowPane;
  /** The window's contents: every item (in arrival order) by default, or the `aggregate`'s result. */
  readonly value: R;
}

/**
 * An incremental window function (Flink's `AggregateFunction`): windows keep only an accumulator, so memory
 * stays proportional to the number of open windows, not to the number of items.
 *
 * `add` and `merge` may mutate and return their first argument, or return a new value (e.g. numbers).
 * `result` must not return the accumulator itself when a window can fire more than once (early firings,
 * `allowedLateness`), because later items would change the emitted value.
 *
 * @example
 * ```ts
 * import type { FaceDetection } from '@aws-sdk/client-rekognition';
 * import type { WindowAggregate } from 'rekognition-face-stream';
 *
 * const maxConfidence: WindowAggregate<FaceDetection, number, number> = {
 *   create: () => 0,
 *   add: (acc, d) => Math.max(acc, d.Face?.Confidence ?? 0),
 *   merge: (a, b) => Math.max(a, b),
 *   result: (acc) => acc,
 * };
 * ```
 */
export interface WindowAggregate<T, A, R> {
  /** A fresh accumulator for a new, empty window. */
  create(): A;
  /** Adds one item; returns the new accumulator. */
  add(accumulator: A, item: T): A;
  /** Combines two accumulators (needed by session windows, which merge). */
  merge?(a: A, b: A): A;
  /** The window's value from its accumulator. */
  result(accumulator: A): R;
}

/** An item that arrived after every window it belongs to had closed. */
export interface LateItem<T, K = undefined> {
  /** The item, unchanged. */
  readonly item: T;
  /** Its event time (ms). */
  readonly timestamp: number;
  /** The watermark when it arrived (ms). */
  readonly watermark: number;
  /** Its key (keyed windows), else `undefined`. */
  readonly key: K;
}

/**
 * Receives late items: a function, or an observer such as a `Subject`. Only `next` is called: the operator
 * never completes or errors it, so one `Subject` can collect the late items of several runs.
 */
export type LateItemHandler<T, K = undefined> =
  | ((late: LateItem<T, K>) => void)
  | { next(late: LateItem<T, K>): void };

/** Options common to every event-time window operator. Durations are milliseconds of event time. */
export interface WindowOptions<T, K = undefined, R = T[]> {
  /**
   * The item's event time in ms. A result that is not a finite number errors the stream with an
   * `InvalidTimestampError`.
   * @default (item) => item.Timestamp
   */
  readonly timestamp?: (item: T) => number;
  /**
   * Key selector for keyed windows: every key has its own windows (e.g. one session per track id).
   * Keys are compared with SameValueZero, like `Map` keys.
   * @default undefined (one sequence of windows for all items)
   */
  readonly key?: (item: T) => K;
  /**
   * Incremental aggregation; keeps one accumulator per open window instead of its items. Session windows need
   * `merge`. See the ready-made aggregations (`countAggregate`, `meanConfidence`, `combineAggregates`, …).
   * @default every item of the window, as an array in arrival order (a merged session concatenates its parts)
   */
  readonly aggregate?: WindowAggregate<NoInfer<T>, any, R>;
  /**
   * Bounded out-of-orderness: the watermark trails the largest timestamp seen by this many ms, so items up to
   * this much out of order are still on time. `0` is the monotonic watermark (sorted input, like Rekognition's).
   * @default 0
   */
  readonly maxOutOfOrderness?: number;
  /**
   * How long (ms of event time) a window stays open after it fired. Late items within it update the window
   * and re-fire it with a `LATE` pane; items later than that go to `onLate`.
   * @default 0
   */
  readonly allowedLateness?: number;
  /**
   * Emit an `EARLY` pane each time a window that has not fired yet has received this many items since its
   * previous pane (Beam's `AfterPane.elementCountAtLeast`).
   * @default undefined (no early firings)
   */
  readonly earlyFiringEvery?: number;
  /**
   * Receives items that arrived after all their windows had closed (the late side output). A function or an
   * observer such as a `Subject`. Without it, a late item errors the stream with a `LateItemError`: late items
   * are never dropped silently.
   * @default undefined (late items are an error)
   */
  readonly onLate?: LateItemHandler<T, K>;
}

/** Options of the fixed-grid window operators ({@link tumblingWindow}, {@link hoppingWindow}). */
export interface FixedWindowOptions<T, K = undefined, R = T[]> extends WindowOptions<T, K, R> {
  /**
   * Shifts the window grid: windows start at `offset + k · slide` for every integer `k`. Any integer (negative
   * too) is allowed; offsets congruent modulo the slide give the same grid.
   * @default 0
   */
  readonly offset?: number;
  /**
   * Also emit windows that received no item (value: the aggregate of nothing, e.g. count 0, or `[]`), so a
   * per-second chart has no holes. Covers the grid from the first window overlapping time 0 to the last
   * window before `durationMillis` (when given), else to the last non-empty window. Unkeyed windows only.
   * @default false
   */
  readonly emptyWindows?: boolean;
  /**
   * The video's length (`VideoMetadata.DurationMillis`), bounding `emptyWindows`: empty windows are emitted
   * for every window starting before it, even after the last item.
   * @default undefined (no trailing empty windows)
   */
  readonly durationMillis?: number;
}

/** Options of {@link sessionWindow}. `aggregate`, when given, must have `merge`. */
export type SessionWindowOptions<T, K = undefined, R = T[]> = WindowOptions<T, K, R>;

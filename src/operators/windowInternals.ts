/**
 * The engine shared by {@link tumblingWindow}, {@link hoppingWindow} and {@link sessionWindow}: a synchronous
 * event-time state machine (Flink/Beam semantics) wrapped in a public-API RxJS operator.
 *
 * Per item it reads the event time and key, adds the item to each of its windows (creating them, or rejecting
 * it as late when they have closed), then advances the watermark; timers ordered by `(due, seq)` fire windows
 * on time and close them after `allowedLateness`. Memory is one record per open window.
 *
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { TimerQueue } from '../core/windows/TimerQueue.js';
import { firstWindowEndingAfter, lastWindowStart } from '../core/windows/windowAssignment.js';
import { overlappingRange } from '../core/windows/sessionMerge.js';
import { isWindowClosed, isWindowDue, watermarkOf } from '../core/windows/watermark.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { InvalidTimestampError } from '../errors/InvalidTimestampError.js';
import { LateItemError } from '../errors/LateItemError.js';
import { expectFunction, expectInteger, expectNumber, expectObject } from '../internal/validate.js';
import type {
  FixedWindowOptions,
  LateItem,
  LateItemHandler,
  PaneTiming,
  WindowAggregate,
  WindowOptions,
  WindowResult,
} from './windowTypes.js';

/** How items map to windows. */
export type WindowAssigner =
  | { readonly kind: 'fixed'; readonly size: number; readonly slide: number; readonly offset: number }
  | { readonly kind: 'session'; readonly gap: number };

/** Validated engine configuration. */
interface EngineConfig<T, K, A, R> {
  readonly assigner: WindowAssigner;
  readonly timestamp: ((item: T) => number) | undefined;
  readonly key: ((item: T) => K) | undefined;
  readonly aggregate: WindowAggregate<T, A, R>;
  readonly maxOutOfOrderness: number;
  readonly allowedLateness: number;
  readonly earlyFiringEvery: number;
  readonly onLate: ((late: LateItem<T, K>) => void) | undefined;
  readonly emptyWindows: boolean;
  readonly durationMillis: number;
}

/** The default window function: every item, in arrival order. `result` copies, as windows may fire again. */
const itemsAggregate: WindowAggregate<unknown, unknown[], unknown[]> = {
  create: () => [],
  add: (acc, item) => {
    acc.push(item);
    return acc;
  },
  merge: (a, b) => {
    for (const item of b) a.push(item);
    return a;
  },
  result: (acc) => acc.slice(),
};

/**
 * Validates the options shared by all window operators and builds the operator. Throws
 * `InvalidParameterError` eagerly, at operator creation.
 */
export function windowOperator<T, K, R>(
  assigner: WindowAssigner,
  options: FixedWindowOptions<T, K, R> | undefined,
): OperatorFunction<T, WindowResult<R, K>> {
  const config = validateOptions(assigner, options);
  return (source) =>
    new Observable<WindowResult<R, K>>((subscriber) => {
      const engine: WindowEngine<T, K, unknown, R> = new WindowEngine(config, (result) => {
        subscriber.next(result);
        // An early unsubscribe during a synchronous source's subscribe call closes `subscriber` before our
        // teardown is registered: stop here, the engine checks `disposed` after every emission.
        if (subscriber.closed) engine.dispose();
      });
      const fail = (error: unknown) => {
        engine.dispose();
        subscriber.error(error);
      };
      // A synchronous source keeps calling `next` after an early unsubscribe until its own loop ends (the
      // public API gives no way to close it sooner); the disposed engine ignores those calls.
      const subscription = source.subscribe({
        next: (item) => {
          try {
            engine.push(item);
          } catch (error) {
            fail(error);
          }
        },
        error: fail,
        complete: () => {
          try {
            engine.flush();
          } catch (error) {
            fail(error);
            return;
          }
          engine.dispose();
          subscriber.complete();
        },
      });
      return () => {
        engine.dispose();
        subscription.unsubscribe();
      };
    });
}

function validateOptions<T, K, R>(
  assigner: WindowAssigner,
  options: FixedWindowOptions<T, K, R> | undefined,
): EngineConfig<T, K, unknown, R> {
  const o = options === undefined ? {} : (expectObject('options', options) as FixedWindowOptions<T, K, R>);
  const timestamp = o.timestamp === undefined ? undefined : expectFunction<(item: T) => number>('timestamp', o.timestamp);
  const key = o.key === undefined ? undefined : expectFunction<(item: T) => K>('key', o.key);
  let aggregate = itemsAggregate as unknown as WindowAggregate<T, unknown, R>;
  if (o.aggregate !== undefined) {
    const agg = expectObject('aggregate', o.aggregate);
    expectFunction('aggregate.create', agg['create']);
    expectFunction('aggregate.add', agg['add']);
    expectFunction('aggregate.result', agg['result']);
    if (assigner.kind === 'session' || agg['merge'] !== undefined) {
      expectFunction('aggregate.merge', agg['merge']);
    }
    aggregate = o.aggregate as WindowAggregate<T, unknown, R>;
  }
  const maxOutOfOrderness = expectNumber('maxOutOfOrderness', o.maxOutOfOrderness ?? 0, 0);
  const allowedLateness = expectNumber('allowedLateness', o.allowedLateness ?? 0, 0);
  const earlyFiringEvery = o.earlyFiringEvery === undefined ? 0 : expectInteger('earlyFiringEvery', o.earlyFiringEvery, 1);
  const onLate = o.onLate === undefined ? undefined : lateHandler('onLate', o.onLate);
  if (o.emptyWindows !== undefined && typeof o.emptyWindows !== 'boolean') {
    throw new InvalidParameterError('emptyWindows', 'a boolean', o.emptyWindows);
  }
  const emptyWindows = o.emptyWindows === true;
  if (emptyWindows && assigner.kind === 'session') {
    throw new InvalidParameterError('emptyWindows', 'unset for session windows (sessions are never empty)', true);
  }
  if (emptyWindows && key !== undefined) {
    throw new InvalidParameterError('emptyWindows', 'false or unset when `key` is given (empty windows are unkeyed)', true);
  }
  const durationMillis =
    o.durationMillis === undefined ? Infinity : expectNumber('durationMillis', o.durationMillis, 0);
  return {
    assigner,
    timestamp,
    key,
    aggregate,
    maxOutOfOrderness,
    allowedLateness,
    earlyFiringEvery,
    onLate,
    emptyWindows,
    durationMillis,
  };
}

function lateHandler<T, K>(parameter: string, handler: LateItemHandler<T, K>): (late: LateItem<T, K>) => void {
  if (typeof handler === 'function') return handler;
  if (typeof handler === 'object' && handler !== null && typeof handler.next === 'function') {
    return (late) => handler.next(late);
  }
  throw new InvalidParameterError(parameter, 'a function or an observer with a `next` method', handler);
}

/** One open window. */
interface Win<K, A> {
  start: number;
  end: number;
  readonly key: K;
  acc: A;
  /** Arrival number of the window's first item: breaks ties between windows with the same end. */
  seq: number;
  /** Panes emitted so far. */
  panes: number;
  /** Items added since the last pane (for early firings). */
  pending: number;
  /** Whether its on-time (or first late) pane was emitted. */
  fired: boolean;
  /** A closed session kept for `gap` more ms so that late items cannot start an overlapping session. */
  tomb: boolean;
  alive: boolean;
  /** Due time of this window's live timer; queue entries with another due time are stale. */
  timerDue: number;
}

type FixedIndex<K, A> = Map<number, Win<K, A>>;

/** The synchronous state machine. `push` per item, `flush` on completion, `dispose` on teardown. */
class WindowEngine<T, K, A, R> {
  private readonly timestampOf: ((item: T) => number) | undefined;
  private readonly keyOf: ((item: T) => K) | undefined;
  private readonly agg: WindowAggregate<T, A, R>;
  private readonly bound: number;
  private readonly lateness: number;
  private readonly early: number;
  private readonly isFixed: boolean;
  private readonly size: number;
  private readonly slide: number;
  private readonly offset: number;
  private readonly gap: number;

  private emit: ((result: WindowResult<R, K>) => void) | undefined;
  private disposed = false;
  private count = 0;
  private maxTimestamp = -Infinity;
  private watermark = -Infinity;
  private readonly timers = new TimerQueue<Win<K, A>>();
  private nextDue = Infinity;

  /** Fixed windows by start, per key (unkeyed: the single index under key `undefined`). */
  private readonly fixed = new Map<K | undefined, FixedIndex<K, A>>();
  /** Session windows sorted by start, per key. */
  private readonly sessions = new Map<K | undefined, Win<K, A>[]>();
  /**
   * Assignment cache: the windows of the last item, reused for items of the same key with a timestamp in
   * `[cacheLo, cacheHi)`, the interval over which the set of windows containing a timestamp is constant.
   */
  private cacheKey: K | undefined = undefined;
  private cacheLo = Infinity;
  private cacheHi = -Infinity;
  private readonly cacheWins: Win<K, A>[] = [];
  /** Next grid start to consider for an empty window. */
  private gridNext: number;

  constructor(
    private readonly config: EngineConfig<T, K, A, R>,
    emit: (result: WindowResult<R, K>) => void,
  ) {
    this.emit = emit;
    this.timestampOf = config.timestamp;
    this.keyOf = config.key;
    this.agg = config.aggregate;
    this.bound = config.durationMillis;
    this.lateness = config.allowedLateness;
    this.early = config.earlyFiringEvery;
    const a = config.assigner;
    this.isFixed = a.kind === 'fixed';
    this.size = a.kind === 'fixed' ? a.size : 0;
    this.slide = a.kind === 'fixed' ? a.slide : 0;
    this.offset = a.kind === 'fixed' ? a.offset : 0;
    this.gap = a.kind === 'session' ? a.gap : 0;
    this.gridNext = this.isFixed ? firstWindowEndingAfter(0, this.size, this.slide, this.offset) : 0;
  }

  push(item: T): void {
    if (this.disposed) return;
    const index = this.count++;
    const ts = this.timestampOf === undefined ? (item as { Timestamp?: unknown }).Timestamp : this.timestampOf(item);
    if (typeof ts !== 'number' || ts - ts !== 0) {
      throw new InvalidTimestampError(this.timestampOf === undefined ? 'Timestamp' : 'timestamp(item)', index, ts);
    }
    const key = this.keyOf === undefined ? (undefined as K) : this.keyOf(item);
    if (this.isFixed) this.assignFixed(item, ts, key, index);
    else this.assignSession(item, ts, key, index);
    if (ts > this.maxTimestamp) {
      this.maxTimestamp = ts;
      this.watermark = watermarkOf(ts, this.config.maxOutOfOrderness);
      if (this.watermark >= this.nextDue && !this.disposed) this.advance();
    }
  }

  /** The input completed: the watermark jumps to +∞ and every window fires and closes. */
  flush(): void {
    if (this.disposed) return;
    this.watermark = Infinity;
    this.advance();
  }

  dispose(): void {
    this.disposed = true;
    this.emit = undefined;
    this.timers.clear();
    this.fixed.clear();
    this.sessions.clear();
    this.cacheWins.length = 0;
    this.cacheLo = Infinity;
  }

  // ---- assignment -------------------------------------------------------------------------------------

  private assignFixed(item: T, ts: number, key: K, seq: number): void {
    const cached = this.cacheWins;
    if (ts >= this.cacheLo && ts < this.cacheHi && key === this.cacheKey) {
      for (let i = 0; i < cached.length; i++) {
        this.add(cached[i]!, item);
        if (this.disposed) return;
      }
      return;
    }
    const { size, slide } = this;
    const last = lastWindowStart(ts, slide, this.offset);
    let index = this.fixed.get(key);
    if (index === undefined) {
      index = new Map();
      this.fixed.set(key, index);
    }
    cached.length = 0;
    let late = false;
    let first = last;
    while (first - slide > ts - size) first -= slide;
    for (let start = first; start <= last; start += slide) {
      let w = index.get(start);
      if (w === undefined) {
        const end = start + size;
        if (isWindowClosed(end, this.lateness, this.watermark)) {
          late = true;
          continue;
        }
        w = this.open(start, end, key, seq);
        index.set(start, w);
      }
      cached.push(w);
    }
    // Cache only a complete assignment: a closed window must not be skipped silently by later items.
    if (late) {
      this.cacheLo = Infinity;
      if (index.size === 0) this.fixed.delete(key);
    } else {
      this.cacheLo = Math.max(last, first - slide + size);
      this.cacheHi = Math.min(last + slide, first + size);
      this.cacheKey = key;
    }
    for (let i = 0; i < cached.length; i++) {
      this.add(cached[i]!, item);
      if (this.disposed) return;
    }
    if (late) this.late(item, ts, key);
  }

  private assignSession(item: T, ts: number, key: K, seq: number): void {
    let list = this.sessions.get(key);
    if (list === undefined) {
      list = [];
      this.sessions.set(key, list);
    }
    const end = ts + this.gap;
    const { from, to } = overlappingRange(list, ts, end);
    // Late (as in Beam, before merging): the item's own session [ts, ts + gap) has closed, or the item would
    // merge into a closed session.
    if (isWindowClosed(end, this.lateness, this.watermark) || this.anyClosed(list, from, to)) {
      if (list.length === 0) this.sessions.delete(key);
      this.late(item, ts, key);
      return;
    }
    if (from === to) {
      const w = this.open(ts, end, key, seq);
      list.splice(from, 0, w);
      this.add(w, item);
      return;
    }
    const w = list[from]!;
    if (to - from > 1 || ts < w.start || end > w.end) {
      const merge = this.agg.merge!;
      for (let i = from + 1; i < to; i++) {
        const other = list[i]!;
        w.acc = merge(w.acc, other.acc);
        w.seq = Math.min(w.seq, other.seq);
        w.panes = Math.max(w.panes, other.panes);
        w.pending += other.pending;
        w.fired ||= other.fired;
        other.alive = false;
      }
      w.start = Math.min(w.start, ts);
      w.end = Math.max(list[to - 1]!.end, end);
      if (to - from > 1) list.splice(from + 1, to - from - 1);
      // A session that grew past the watermark is open again: it fires on time when the watermark gets there.
      if (w.fired && w.end > this.watermark) w.fired = false;
      this.schedule(w);
    }
    this.add(w, item);
  }

  private anyClosed(list: readonly Win<K, A>[], from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (list[i]!.tomb) return true;
    return false;
  }

  private open(start: number, end: number, key: K, seq: number, fired = false): Win<K, A> {
    const w: Win<K, A> = {
      start,
      end,
      key,
      acc: this.agg.create(),
      seq,
      panes: 0,
      pending: 0,
      fired,
      tomb: false,
      alive: true,
      timerDue: Infinity,
    };
    this.schedule(w);
    return w;
  }

  /** Adds an item to an open window and fires it if it is already past the watermark (a late firing). */
  private add(w: Win<K, A>, item: T): void {
    w.acc = this.agg.add(w.acc, item);
    w.pending++;
    if (isWindowDue(w.end, this.watermark)) {
      if (!w.fired) {
        w.fired = true;
        this.schedule(w);
      }
      this.pane(w, 'LATE', false);
    } else if (this.early !== 0 && w.pending >= this.early) {
      this.pane(w, 'EARLY', false);
    }
  }

  private late(item: T, timestamp: number, key: K): void {
    const watermark = this.watermark;
    if (this.config.onLate === undefined) throw new LateItemError(timestamp, watermark);
    this.config.onLate({ item, timestamp, watermark, key });
  }

  // ---- timers and firing ------------------------------------------------------------------------------

  /** Makes sure the window has a timer no later than its due time (fire time, then close time). */
  private schedule(w: Win<K, A>): void {
    const due = this.dueOf(w);
    if (due < w.timerDue) {
      w.timerDue = due;
      this.timers.push(due, w.seq, w);
      if (due < this.nextDue) this.nextDue = due;
    }
  }

  private advance(): void {
    const timers = this.timers;
    const watermark = this.watermark;
    while (timers.size > 0 && timers.peekDue() <= watermark) {
      const entryDue = timers.peekDue();
      const w = timers.pop();
      if (!w.alive || entryDue !== w.timerDue) continue;
      w.timerDue = Infinity;
      if (this.dueOf(w) > entryDue) {
        // Set before the window was due (a session that grew, a window that fired late): re-queue at its real
        // due time, so windows still fire in (end, seq) order.
        this.schedule(w);
        continue;
      }
      if (w.tomb) {
        this.forget(w);
        continue;
      }
      if (!w.fired) {
        if (this.config.emptyWindows) {
          this.fillEmpty(w.start, watermark);
          if (this.disposed) return;
        }
        w.fired = true;
        this.pane(w, 'ON_TIME', isWindowClosed(w.end, this.lateness, watermark));
        if (this.disposed) return;
        if (this.config.emptyWindows && w.start + this.slide > this.gridNext) this.gridNext = w.start + this.slide;
      }
      if (isWindowClosed(w.end, this.lateness, watermark)) this.close(w);
      else this.schedule(w);
    }
    if (this.config.emptyWindows && (watermark !== Infinity || this.bound !== Infinity)) {
      this.fillEmpty(Infinity, watermark);
      if (this.disposed) return;
    }
    this.nextDue = timers.peekDue();
  }

  private pane(w: Win<K, A>, timing: PaneTiming, isLast: boolean): void {
    w.pending = 0;
    const result: WindowResult<R, K> = {
      start: w.start,
      end: w.end,
      key: w.key,
      pane: { timing, index: w.panes++, isLast },
      value: this.agg.result(w.acc),
    };
    this.emit?.(result);
  }

  /** Fire time, then close time, then (sessions) the time a closed session is forgotten. */
  private dueOf(w: Win<K, A>): number {
    if (!w.fired) return w.end;
    return w.tomb ? w.end + this.lateness + this.gap : w.end + this.lateness;
  }

  /**
   * Closes a window: no more panes, late items rejected. A closed session stays as a tombstone until the
   * watermark passes `end + allowedLateness + gap`: until then an item could still reach into it, and must be
   * rejected rather than start a session overlapping it; after that the item's own session is closed anyway.
   */
  private close(w: Win<K, A>): void {
    w.acc = undefined as A;
    if (this.isFixed) {
      w.alive = false;
      const index = this.fixed.get(w.key);
      if (index !== undefined) {
        index.delete(w.start);
        if (index.size === 0) this.fixed.delete(w.key);
      }
      this.cacheLo = Infinity;
    } else {
      w.tomb = true;
      this.schedule(w);
    }
  }

  private forget(w: Win<K, A>): void {
    w.alive = false;
    const list = this.sessions.get(w.key);
    if (list !== undefined) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.sessions.delete(w.key);
    }
  }

  /**
   * Emits empty on-time windows for the grid slots from `gridNext` that start before `before` and before the
   * `durationMillis` bound, and that the watermark has passed. Slots holding a real window are skipped.
   */
  private fillEmpty(before: number, watermark: number): void {
    const index = this.fixed.get(undefined);
    const limit = Math.min(before, this.bound);
    while (this.gridNext < limit && this.gridNext + this.size <= watermark) {
      const start = this.gridNext;
      this.gridNext += this.slide;
      if (index?.has(start)) continue;
      const end = start + this.size;
      if (!isWindowClosed(end, this.lateness, watermark)) {
        // Keep it open for late items, like any fired window.
        const w = this.open(start, end, undefined as K, this.count, true);
        this.fixedIndex().set(start, w);
        this.pane(w, 'ON_TIME', false);
      } else {
        this.emit?.({
          start,
          end,
          key: undefined as K,
          pane: { timing: 'ON_TIME', index: 0, isLast: true },
          value: this.agg.result(this.agg.create()),
        });
      }
      if (this.disposed) return;
    }
  }

  private fixedIndex(): FixedIndex<K, A> {
    let index = this.fixed.get(undefined);
    if (index === undefined) {
      index = new Map();
      this.fixed.set(undefined, index);
    }
    return index;
  }
}

/**
 * The part of an event-time window engine (Flink/Beam semantics) that fixed windows and sessions share: event
 * time and key per item, the watermark, timers ordered by `(due, seq)`, panes, and late items. Synchronous and
 * pure (no RxJS): `push` per item, `flush` on completion, `dispose` on teardown; results go to `emit`.
 *
 * How items map to windows — and what closing a window means — is the subclass's:
 * {@link FixedWindowEngine} (tumbling and hopping) and {@link SessionWindowEngine}.
 *
 * @module
 */
import { InvalidTimestampError } from '../../errors/InvalidTimestampError.js';
import { LateItemError } from '../../errors/LateItemError.js';
import { TimerQueue } from './TimerQueue.js';
import { isWindowClosed, isWindowDue, watermarkOf } from './watermark.js';
import type { ResolvedWindowOptions } from './windowOptions.js';
import type { PaneTiming, WindowAggregate, WindowResult } from './windowTypes.js';

/** One open window. */
export interface OpenWindow<K, A> {
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
  /** Sessions only: a closed session kept for `gap` more ms so that late items cannot start an overlapping one. */
  tomb: boolean;
  alive: boolean;
  /** Due time of this window's live timer; queue entries with another due time are stale. */
  timerDue: number;
}

/** Receives every pane; `undefined` once the engine is disposed. */
export type EmitWindow<R, K> = (result: WindowResult<R, K>) => void;

/**
 * The shared state machine. Subclasses implement `assign` (add an item to its windows, or report it late),
 * `close` and `clearState`, and may extend `fire` and `afterTimers`.
 */
export abstract class WindowEngine<T, K, A, R> {
  protected readonly agg: WindowAggregate<T, A, R>;
  protected readonly lateness: number;
  private readonly timestampOf: ((item: T) => number) | undefined;
  private readonly keyOf: ((item: T) => K) | undefined;
  private readonly early: number;

  protected emit: EmitWindow<R, K> | undefined;
  protected disposed = false;
  /** Items pushed so far. */
  protected count = 0;
  protected watermark = -Infinity;
  private maxTimestamp = -Infinity;
  private readonly timers = new TimerQueue<OpenWindow<K, A>>();
  private nextDue = Infinity;

  constructor(
    protected readonly options: ResolvedWindowOptions<T, K, A, R>,
    emit: EmitWindow<R, K>,
  ) {
    this.emit = emit;
    this.timestampOf = options.timestamp;
    this.keyOf = options.key;
    this.agg = options.aggregate;
    this.lateness = options.allowedLateness;
    this.early = options.earlyFiringEvery;
  }

  /** Adds one item; may emit panes. Throws `InvalidTimestampError`, `LateItemError` or a callback's error. */
  push(item: T): void {
    if (this.disposed) return;
    const index = this.count++;
    const ts = this.timestampOf === undefined ? (item as { Timestamp?: unknown }).Timestamp : this.timestampOf(item);
    if (typeof ts !== 'number' || ts - ts !== 0) {
      throw new InvalidTimestampError(this.timestampOf === undefined ? 'Timestamp' : 'timestamp(item)', index, ts);
    }
    const key = this.keyOf === undefined ? (undefined as K) : this.keyOf(item);
    this.assign(item, ts, key, index);
    if (ts > this.maxTimestamp) {
      this.maxTimestamp = ts;
      this.watermark = watermarkOf(ts, this.options.maxOutOfOrderness);
      if (this.watermark >= this.nextDue && !this.disposed) this.advance();
    }
  }

  /** The input completed: the watermark jumps to +∞ and every window fires and closes. */
  flush(): void {
    if (this.disposed) return;
    this.watermark = Infinity;
    this.advance();
  }

  /** Drops all state; later calls are ignored and nothing more is emitted. */
  dispose(): void {
    this.disposed = true;
    this.emit = undefined;
    this.timers.clear();
    this.clearState();
  }

  /** Adds `item` (event time `ts`, arrival number `seq`) to its windows, or reports it late. */
  protected abstract assign(item: T, ts: number, key: K, seq: number): void;

  /** The window's state is no longer needed: no more panes, late items rejected. */
  protected abstract close(w: OpenWindow<K, A>): void;

  /** Drops every window (on dispose). */
  protected abstract clearState(): void;

  /** Runs after the due timers at each watermark advance. */
  protected afterTimers(_watermark: number): void {}

  /** A new window with a timer at its due time. */
  protected open(start: number, end: number, key: K, seq: number, fired = false): OpenWindow<K, A> {
    const w: OpenWindow<K, A> = {
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
  protected add(w: OpenWindow<K, A>, item: T): void {
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

  /** Sends a late item to `onLate`, or throws `LateItemError` without one. */
  protected late(item: T, timestamp: number, key: K): void {
    const watermark = this.watermark;
    if (this.options.onLate === undefined) throw new LateItemError(timestamp, watermark);
    this.options.onLate({ item, timestamp, watermark, key });
  }

  /** Makes sure the window has a timer no later than its due time (fire time, then close time). */
  protected schedule(w: OpenWindow<K, A>): void {
    const due = this.dueOf(w);
    if (due < w.timerDue) {
      w.timerDue = due;
      this.timers.push(due, w.seq, w);
      if (due < this.nextDue) this.nextDue = due;
    }
  }

  /** Fire time, then close time. */
  protected dueOf(w: OpenWindow<K, A>): number {
    return w.fired ? w.end + this.lateness : w.end;
  }

  /** A window's timer is due: fire it on time if it has not fired, then close it or wait for its close time. */
  protected fire(w: OpenWindow<K, A>, watermark: number): void {
    if (!w.fired) {
      w.fired = true;
      this.pane(w, 'ON_TIME', isWindowClosed(w.end, this.lateness, watermark));
      if (this.disposed) return;
    }
    if (isWindowClosed(w.end, this.lateness, watermark)) this.close(w);
    else this.schedule(w);
  }

  protected pane(w: OpenWindow<K, A>, timing: PaneTiming, isLast: boolean): void {
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
      this.fire(w, watermark);
      if (this.disposed) return;
    }
    this.afterTimers(watermark);
    if (this.disposed) return;
    this.nextDue = timers.peekDue();
  }
}

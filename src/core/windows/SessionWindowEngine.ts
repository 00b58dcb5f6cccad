/**
 * The engine of {@link sessionWindow}: per key, a list of disjoint sessions sorted by start; an item at `t`
 * proposes `[t, t + gap)` and merges every session it overlaps. Closed sessions stay as tombstones for `gap`
 * more ms so that a late item cannot start a session overlapping one already emitted.
 *
 * @module
 */
import { overlappingRange } from './sessionMerge.js';
import { isWindowClosed } from './watermark.js';
import type { EmitWindow, OpenWindow } from './WindowEngine.js';
import { WindowEngine } from './WindowEngine.js';
import type { ResolvedWindowOptions } from './windowOptions.js';

/**
 * Session windows separated by at least `gap` ms of event time without items.
 *
 * @example
 * ```ts
 * import { SessionWindowEngine } from './SessionWindowEngine.js';
 * import { resolveWindowOptions } from './windowOptions.js';
 *
 * const engine = new SessionWindowEngine(2000, resolveWindowOptions({ kind: 'session', gap: 2000 }, {}), (r) =>
 *   console.log(r.start, r.end),
 * );
 * engine.push({ Timestamp: 0 });
 * engine.push({ Timestamp: 500 });
 * engine.flush(); // logs 0 2500
 * ```
 */
export class SessionWindowEngine<T, K, A, R> extends WindowEngine<T, K, A, R> {
  /** Sessions sorted by start, per key. */
  private readonly sessions = new Map<K | undefined, OpenWindow<K, A>[]>();

  constructor(
    private readonly gap: number,
    options: ResolvedWindowOptions<T, K, A, R>,
    emit: EmitWindow<R, K>,
  ) {
    super(options, emit);
  }

  protected assign(item: T, ts: number, key: K, seq: number): void {
    let list = this.sessions.get(key);
    if (list === undefined) {
      list = [];
      this.sessions.set(key, list);
    }
    const end = ts + this.gap;
    const { from, to } = overlappingRange(list, ts, end);
    // Late (as in Beam, before merging): the item's own session [ts, ts + gap) has closed, or the item would
    // merge into a closed session.
    if (isWindowClosed(end, this.lateness, this.watermark) || anyClosed(list, from, to)) {
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
      // The common case, an in-order item extending an unfired session, moves its due time later: its timer
      // stays (it re-queues itself when it comes due), so skip the call.
      if (w.fired || w.end < w.timerDue) this.schedule(w);
    }
    this.add(w, item);
  }

  /** Fire time, then close time, then the time a closed session is forgotten. */
  protected override dueOf(w: OpenWindow<K, A>): number {
    if (!w.fired) return w.end;
    return w.tomb ? w.end + this.lateness + this.gap : w.end + this.lateness;
  }

  protected override fire(w: OpenWindow<K, A>, watermark: number): void {
    if (w.tomb) this.forget(w);
    else super.fire(w, watermark);
  }

  /**
   * Closes a session: no more panes, late items rejected. It stays as a tombstone until the watermark passes
   * `end + allowedLateness + gap`: until then an item could still reach into it, and must be rejected rather
   * than start a session overlapping it; after that the item's own session is closed anyway.
   */
  protected close(w: OpenWindow<K, A>): void {
    w.acc = undefined as A;
    w.tomb = true;
    this.schedule(w);
  }

  protected clearState(): void {
    this.sessions.clear();
  }

  private forget(w: OpenWindow<K, A>): void {
    w.alive = false;
    const list = this.sessions.get(w.key);
    if (list !== undefined) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.sessions.delete(w.key);
    }
  }
}

function anyClosed<K, A>(list: readonly OpenWindow<K, A>[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (list[i]!.tomb) return true;
  return false;
}

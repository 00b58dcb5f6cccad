/**
 * The engine of the fixed-grid windows ({@link tumblingWindow}, {@link hoppingWindow}): windows
 * `[start, start + size)` with `start = offset + k · slide`, kept in a map by start per key, with optional empty
 * windows for grid slots that received no item.
 *
 * @module
 */
import { isWindowClosed } from './watermark.js';
import { firstWindowEndingAfter, firstWindowStart, lastWindowStart } from './windowAssignment.js';
import type { EmitWindow, OpenWindow } from './WindowEngine.js';
import { WindowEngine } from './WindowEngine.js';
import type { ResolvedWindowOptions } from './windowOptions.js';

/** The grid of a fixed-window engine, in ms (validated integers, `1 ≤ slide ≤ size`). */
export interface WindowGrid {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
}

type FixedIndex<K, A> = Map<number, OpenWindow<K, A>>;

/**
 * Tumbling (`slide === size`) and hopping windows.
 *
 * @example
 * ```ts
 * import { FixedWindowEngine } from './FixedWindowEngine.js';
 * import { resolveWindowOptions } from './windowOptions.js';
 *
 * const grid = { size: 1000, slide: 1000, offset: 0 };
 * const engine = new FixedWindowEngine(grid, resolveWindowOptions({ kind: 'fixed', ...grid }, {}), (r) => console.log(r));
 * engine.push({ Timestamp: 400 });
 * engine.flush(); // logs the window [0, 1000) with its one item
 * ```
 */
export class FixedWindowEngine<T, K, A, R> extends WindowEngine<T, K, A, R> {
  private readonly size: number;
  private readonly slide: number;
  private readonly offset: number;
  /** `durationMillis`: the end of the grid for empty windows. */
  private readonly bound: number;
  private readonly emptyWindows: boolean;
  /** Windows by start, per key (unkeyed: the single index under key `undefined`). */
  private readonly fixed = new Map<K | undefined, FixedIndex<K, A>>();
  /**
   * Assignment cache: the windows of the last item, reused for items of the same key with a timestamp in
   * `[cacheLo, cacheHi)`, the interval over which the set of windows containing a timestamp is constant.
   */
  private cacheKey: K | undefined = undefined;
  private cacheLo = Infinity;
  private cacheHi = -Infinity;
  private readonly cacheWins: OpenWindow<K, A>[] = [];
  /** Next grid start to consider for an empty window. */
  private gridNext: number;

  constructor(grid: WindowGrid, options: ResolvedWindowOptions<T, K, A, R>, emit: EmitWindow<R, K>) {
    super(options, emit);
    this.size = grid.size;
    this.slide = grid.slide;
    this.offset = grid.offset;
    this.bound = options.durationMillis;
    this.emptyWindows = options.emptyWindows;
    this.gridNext = firstWindowEndingAfter(0, this.size, this.slide, this.offset);
  }

  protected assign(item: T, ts: number, key: K, seq: number): void {
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
    const first = firstWindowStart(ts, size, slide, this.offset);
    let index = this.fixed.get(key);
    if (index === undefined) {
      index = new Map();
      this.fixed.set(key, index);
    }
    cached.length = 0;
    let late = false;
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

  protected override fire(w: OpenWindow<K, A>, watermark: number): void {
    const onTime = !w.fired;
    if (onTime && this.emptyWindows) {
      this.fillEmpty(w.start, watermark);
      if (this.disposed) return;
    }
    super.fire(w, watermark);
    if (onTime && this.emptyWindows && w.start + this.slide > this.gridNext) this.gridNext = w.start + this.slide;
  }

  protected override afterTimers(watermark: number): void {
    if (this.emptyWindows && (watermark !== Infinity || this.bound !== Infinity)) this.fillEmpty(Infinity, watermark);
  }

  protected close(w: OpenWindow<K, A>): void {
    w.acc = undefined as A;
    w.alive = false;
    const index = this.fixed.get(w.key);
    if (index !== undefined) {
      index.delete(w.start);
      if (index.size === 0) this.fixed.delete(w.key);
    }
    this.cacheLo = Infinity;
  }

  protected clearState(): void {
    this.fixed.clear();
    this.cacheWins.length = 0;
    this.cacheLo = Infinity;
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
        this.unkeyedIndex().set(start, w);
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

  private unkeyedIndex(): FixedIndex<K, A> {
    let index = this.fixed.get(undefined);
    if (index === undefined) {
      index = new Map();
      this.fixed.set(undefined, index);
    }
    return index;
  }
}

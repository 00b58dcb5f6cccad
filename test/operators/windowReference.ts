/**
 * Brute-force references for the window operators, written from the semantics in docs/windows.md (Flink's
 * and Beam's event-time model) with none of the operator's machinery (no timer queue, no assignment cache, no
 * modulo arithmetic): a straightforward per-item simulation over plain arrays.
 */
import type { PaneTiming } from '../../src/index.js';

export interface RefItem {
  readonly t: number;
  readonly k: number;
  readonly id: number;
}

export interface RefPane {
  start: number;
  end: number;
  key: number | undefined;
  timing: PaneTiming;
  index: number;
  isLast: boolean;
  ids: number[];
}

export interface RefOptions {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  readonly maxOutOfOrderness: number;
  readonly allowedLateness: number;
  readonly keyed: boolean;
  /** 0 = no early firings. */
  readonly earlyFiringEvery: number;
}

interface RefWindow {
  start: number;
  end: number;
  key: number | undefined;
  ids: number[];
  first: number;
  panes: number;
  pending: number;
  fired: boolean;
}

/** Grid starts containing t, by enumerating k (no modulo). */
function startsContaining(t: number, size: number, slide: number, offset: number): number[] {
  const starts: number[] = [];
  for (let k = Math.floor((t - offset - size) / slide) - 1; offset + k * slide <= t; k++) {
    const s = offset + k * slide;
    if (t < s + size) starts.push(s);
  }
  return starts;
}

/** Reference for tumbling/hopping windows: returns every pane, in emission order, plus the late item ids. */
export function referenceFixed(items: readonly RefItem[], o: RefOptions): { panes: RefPane[]; late: number[] } {
  const panes: RefPane[] = [];
  const late: number[] = [];
  let windows: RefWindow[] = [];
  let watermark = -Infinity;
  const emit = (w: RefWindow, timing: PaneTiming, isLast: boolean) => {
    w.pending = 0;
    panes.push({ start: w.start, end: w.end, key: w.key, timing, index: w.panes++, isLast, ids: [...w.ids] });
  };
  const fireAndClose = () => {
    const due = windows.filter((w) => !w.fired && w.end <= watermark).sort((a, b) => a.end - b.end || a.first - b.first);
    for (const w of due) {
      w.fired = true;
      emit(w, 'ON_TIME', w.end + o.allowedLateness <= watermark);
    }
    windows = windows.filter((w) => w.end + o.allowedLateness > watermark);
  };
  items.forEach((item, arrival) => {
    const key = o.keyed ? item.k : undefined;
    let isLate = false;
    for (const start of startsContaining(item.t, o.size, o.slide, o.offset)) {
      const end = start + o.size;
      if (end + o.allowedLateness <= watermark) {
        isLate = true;
        continue;
      }
      let w = windows.find((x) => x.start === start && x.key === key);
      if (!w) {
        w = { start, end, key, ids: [], first: arrival, panes: 0, pending: 0, fired: false };
        windows.push(w);
      }
      w.ids.push(item.id);
      w.pending++;
      if (end <= watermark) {
        w.fired = true;
        emit(w, 'LATE', false);
      } else if (o.earlyFiringEvery > 0 && w.pending >= o.earlyFiringEvery) {
        emit(w, 'EARLY', false);
      }
    }
    if (isLate) late.push(item.id);
    watermark = Math.max(watermark, item.t - o.maxOutOfOrderness);
    fireAndClose();
  });
  watermark = Infinity;
  fireAndClose();
  return { panes, late };
}

/** Sessions of a set of timestamps: sorted, split where consecutive timestamps are `gap` or more apart. */
export function sessionsOf(timestamps: readonly number[], gap: number): { start: number; end: number }[] {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const sessions: { start: number; end: number }[] = [];
  sorted.forEach((t, i) => {
    if (i === 0 || t - sorted[i - 1]! >= gap) sessions.push({ start: t, end: t + gap });
    else sessions[sessions.length - 1]!.end = t + gap;
  });
  return sessions;
}

/** Items arriving out of order by at most `bound` ms (relative to the largest timestamp seen before them). */
export function jitter<T extends { t: number }>(sorted: readonly T[], shifts: readonly number[], bound: number): T[] {
  return sorted
    .map((item, i) => ({ item, at: item.t + ((shifts[i] ?? 0) % (bound + 1)), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.item);
}

/**
 * The batch list and the makespan bounds shared by the "Batches" and "Fleet" benchmarks, and a measure of where
 * a run loses time against them (job slots left empty between a job's end and the next Start).
 *
 * @module
 */
import type { Emulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/log/RequestLog.js';

/** A video of the batch list. */
export interface BenchVideo {
  readonly uri: string;
  readonly bucket: string;
  readonly name: string;
  /** Nominal minutes (the synthetic content lasts this many seconds; processing is proportional to it). */
  readonly minutes: number;
}

/** `count` videos with seeded durations, uniform in 1–60 min (`preset=meeting`, bucket `bench`). */
export function benchVideos(count: number): BenchVideo[] {
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, (_, i) => {
    const minutes = 1 + Math.floor(random() * 60);
    const name = `cam${i}/preset=meeting,duration=${minutes}s.mp4`;
    return { uri: `s3://bench/${name}`, bucket: 'bench', name, minutes };
  });
}

/** Longest-processing-time-first makespan of `times` on `slots` machines. */
export function lptBound(times: readonly number[], slots: number): number {
  return greedyMakespan([...times].sort((a, b) => b - a), slots);
}

/** Makespan of a greedy list schedule of `times`, in the given order, on `slots` machines. */
export function greedyMakespan(times: readonly number[], slots: number): number {
  const loads = new Array<number>(slots).fill(0);
  for (const t of times) {
    let min = 0;
    for (let i = 1; i < slots; i++) if (loads[i]! < loads[min]!) min = i;
    loads[min]! += t;
  }
  return Math.max(...loads);
}

/** The bounds of one run (ms). */
export interface ScheduleBounds {
  /** Longest-first schedule of the processing times on the job slots. */
  readonly jobBound: number;
  /** Pages / TPS (0 when `pages` is not known yet). */
  readonly pageBound: number;
  /** The lower bound: the larger of the two. */
  readonly bound: number;
  /** A zero-overhead greedy schedule in input order: the best a client that cannot know durations can do. */
  readonly inputOrder: number;
  /**
   * A zero-overhead greedy schedule in size order (largest first, ties by input index): the best a client that
   * orders by a size hint can do (sizes only approximate durations). NaN without `sizes`.
   */
  readonly sizeOrder: number;
}

/**
 * The bounds of processing `times` (ms, input order) on `slots` job slots, reading `pages` at `tps`; with the
 * videos' `sizes` (bytes, input order), also the greedy schedule in size order.
 */
export function scheduleBounds(options: {
  readonly times: readonly number[];
  readonly slots: number;
  readonly pages: number;
  readonly tps: number;
  readonly sizes?: readonly number[];
}): ScheduleBounds {
  const { times, sizes } = options;
  const jobBound = lptBound(times, options.slots);
  const pageBound = (options.pages / options.tps) * 1000;
  const bySize = sizes === undefined ? undefined : times.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  return {
    jobBound,
    pageBound,
    bound: Math.max(jobBound, pageBound),
    inputOrder: greedyMakespan(times, options.slots),
    sizeOrder: bySize === undefined ? Number.NaN : greedyMakespan(bySize.map((i) => times[i]!), options.slots),
  };
}

/**
 * Records, from the emulator's request log, when each job was started (`StartFaceDetection` answered with a new
 * JobId), so that {@link slotGaps} can tell how long slots stayed empty. Pass `observe` as the emulator's
 * `onRequest`.
 */
export function startRecorder(): { readonly observe: (entry: RequestLogEntry) => void; readonly starts: Map<string, number> } {
  const starts = new Map<string, number>();
  return {
    starts,
    observe: (entry) => {
      if (entry.operation === 'StartFaceDetection' && entry.status === 200 && entry.jobId !== undefined && !starts.has(entry.jobId)) {
        starts.set(entry.jobId, entry.time);
      }
    },
  };
}

/** Where the slots' time went (ms). */
export interface SlotGaps {
  /** Mean time from a job's end (start + processing) to the Start that took its slot. */
  readonly meanRefill: number;
  /** The same, 90th percentile. */
  readonly p90Refill: number;
  /** Time from the first Start to the last job's end (the emulator-side makespan, without the reading after it). */
  readonly jobSpan: number;
}

/**
 * Slot refill latency of a run: each Start beyond the first `slots` took the slot of the earliest job that had
 * ended by then (end = its Start + `processingMs` of its video); the gap is what completion detection, page
 * reading that holds a slot, and the scheduler's reaction cost.
 */
export function slotGaps(emu: Emulator, starts: ReadonlyMap<string, number>, processingMs: (name: string) => number, slots: number): SlotGaps {
  const jobs = emu
    .jobStats()
    .byObject.flatMap((o) => o.jobIds.map((id) => ({ start: starts.get(id), end: (starts.get(id) ?? 0) + processingMs(o.name) })))
    .filter((j): j is { start: number; end: number } => j.start !== undefined)
    .sort((a, b) => a.start - b.start);
  const ends = jobs.slice(0, slots).map((j) => j.end);
  const gaps: number[] = [];
  for (const job of jobs.slice(slots)) {
    ends.sort((a, b) => a - b);
    const freed = ends.shift()!;
    gaps.push(Math.max(0, job.start - freed));
    ends.push(job.end);
  }
  gaps.sort((a, b) => a - b);
  const first = jobs[0]?.start ?? 0;
  return {
    meanRefill: gaps.length === 0 ? 0 : gaps.reduce((s, g) => s + g, 0) / gaps.length,
    p90Refill: gaps[Math.floor(gaps.length * 0.9)] ?? 0,
    jobSpan: Math.max(0, ...jobs.map((j) => j.end)) - first,
  };
}

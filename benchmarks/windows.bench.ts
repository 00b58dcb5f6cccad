/**
 * Event-time window throughput and memory: `tumblingWindow` and `hoppingWindow` (size/slide = 5) counting
 * detections, against the RxJS `groupBy` + `reduce` composition doing the same work, in the same run.
 *
 * Throughput: a pre-built array of detections (5 faces every 200 ms of video) piped through `from(array)`;
 * medians of several runs. Memory: detections generated lazily (nothing pre-built), peak `heapUsed` growth
 * sampled (after a forced GC) every 65,536 detections while streaming: ours keeps the open windows only, `groupBy` keeps a group per
 * window until the source completes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { count, from, groupBy, map, mergeMap, Observable, reduce, type OperatorFunction } from 'rxjs';
import { countAggregate, hoppingWindow, sessionWindow, tumblingWindow } from '../src/index.js';
import type { FaceDetection } from '../src/types.js';
import { fmt, median, mib, ratio, table } from './lib/stats.js';
import type { Benchmark, BenchmarkContext } from './lib/types.js';

const FACES_PER_FRAME = 5;
const FRAME_MS = 200;
const SIZE = 1000;
const HOP_SIZE = 5000;
const HOP_SLIDE = 1000;

/** Detection `i` of the synthetic video: `FACES_PER_FRAME` faces per frame, a frame every `FRAME_MS`. */
function detection(i: number): FaceDetection {
  return {
    Timestamp: Math.floor(i / FACES_PER_FRAME) * FRAME_MS,
    Face: { Confidence: 90 + (i % 10), BoundingBox: { Left: 0.1, Top: 0.1, Width: 0.2, Height: 0.3 } },
  };
}

interface Counted {
  readonly start: number;
  readonly value: number;
}

/** Ours. */
const oursTumbling = (): OperatorFunction<FaceDetection, Counted> => tumblingWindow(SIZE, { aggregate: countAggregate });
const oursHopping = (): OperatorFunction<FaceDetection, Counted> =>
  hoppingWindow(HOP_SIZE, HOP_SLIDE, { aggregate: countAggregate });
const oursSession = (): OperatorFunction<FaceDetection, Counted> => sessionWindow(1000, { aggregate: countAggregate });

/** The RxJS composition: one group per window, counted when the source completes. */
const groupByTumbling = (): OperatorFunction<FaceDetection, Counted> => (source) =>
  source.pipe(
    groupBy((d) => Math.floor(d.Timestamp! / SIZE) * SIZE),
    mergeMap((group) => group.pipe(count(), map((value) => ({ start: group.key, value })))),
  );
const groupByHopping = (): OperatorFunction<FaceDetection, Counted> => (source) =>
  source.pipe(
    mergeMap((d) => {
      const starts: number[] = [];
      const last = Math.floor(d.Timestamp! / HOP_SLIDE) * HOP_SLIDE;
      for (let s = last; s > d.Timestamp! - HOP_SIZE; s -= HOP_SLIDE) starts.push(s);
      return starts;
    }),
    groupBy((start) => start),
    mergeMap((group) => group.pipe(reduce((n) => n + 1, 0), map((value) => ({ start: group.key, value })))),
  );

/** Detections per second through `op`, and a checksum of the counts. */
function throughput(data: readonly FaceDetection[], op: () => OperatorFunction<FaceDetection, Counted>): { rate: number; total: number } {
  let total = 0;
  const started = process.hrtime.bigint();
  from(data)
    .pipe(op())
    .subscribe((w) => (total += w.value));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: data.length / seconds, total };
}

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Peak heap growth while streaming `n` lazily generated detections through `op`. */
function peakHeap(n: number, op: () => OperatorFunction<FaceDetection, Counted>): number {
  gc();
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  // Live heap only: collect garbage (the consumed detections) before each sample.
  const sample = () => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  };
  const lazy = new Observable<FaceDetection>((subscriber) => {
    for (let i = 0; i < n && !subscriber.closed; i++) {
      subscriber.next(detection(i));
      if ((i & 0xffff) === 0xffff) sample();
    }
    sample();
    subscriber.complete();
  });
  lazy.pipe(op()).subscribe();
  return peak;
}

const benchmark: Benchmark = {
  title: 'Event-time windows',
  order: 40,
  async run(context: BenchmarkContext): Promise<string> {
    const n = context.quick ? 200_000 : 1_000_000;
    const runs = context.quick ? 3 : 5;
    const data = Array.from({ length: n }, (_, i) => detection(i));
    const contenders = [
      { name: 'tumblingWindow(1 s), count', op: oursTumbling, goal: 5e6, work: 'tumbling' },
      { name: 'groupBy + count (tumbling)', op: groupByTumbling, goal: 0, work: 'tumbling' },
      { name: 'hoppingWindow(5 s, 1 s), count', op: oursHopping, goal: 2e6, work: 'hopping' },
      { name: 'mergeMap + groupBy + reduce (hopping)', op: groupByHopping, goal: 0, work: 'hopping' },
      { name: 'sessionWindow(1 s), count', op: oursSession, goal: 0, work: 'session' },
    ] as const;
    // Smoke check before timing: both sides count the same.
    const expected = { tumbling: n, hopping: n * (HOP_SIZE / HOP_SLIDE), session: n };
    const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (const c of contenders) throughput(data, c.op); // warm-up (JIT), not timed
    for (let r = 0; r < runs; r++) {
      for (const c of contenders) {
        const { rate, total } = throughput(data, c.op);
        if (total !== expected[c.work]) throw new Error(`${c.name}: counted ${total}, expected ${expected[c.work]}`);
        rates.get(c.name)!.push(rate);
      }
    }
    const med = (name: string) => median(rates.get(name)!);
    const baseline = { tumbling: med(contenders[1].name), hopping: med(contenders[3].name), session: med(contenders[1].name) };
    const rows = contenders.map((c) => {
      const rate = med(c.name);
      context.log(`${c.name}: ${fmt(rate)} detections/s`);
      return [
        c.name,
        fmt(rate),
        c.goal ? ratio(rate, baseline[c.work]) : c.work === 'session' ? ratio(rate, baseline.session) : '1.00×',
        c.goal ? `${fmt(c.goal)} → ${rate >= c.goal ? 'met' : 'NOT met'}` : '',
      ];
    });

    const memN = context.quick ? 300_000 : 1_500_000;
    const memory = [
      ['tumblingWindow(1 s), count', peakHeap(memN, oursTumbling)],
      ['groupBy + count (tumbling)', peakHeap(memN, groupByTumbling)],
      ['hoppingWindow(5 s, 1 s), count', peakHeap(memN, oursHopping)],
      ['mergeMap + groupBy + reduce (hopping)', peakHeap(memN, groupByHopping)],
    ] as const;
    const kib = (bytes: number) => (bytes < 1048576 ? `${fmt(Math.max(0, bytes) / 1024)} KiB` : mib(bytes));
    for (const [name, bytes] of memory) context.log(`${name}: peak heap +${kib(bytes)}`);
    const videoHours = ((memN / FACES_PER_FRAME) * FRAME_MS) / 3_600_000;

    return [
      `${fmt(n)} detections (${FACES_PER_FRAME} faces every ${FRAME_MS} ms of video), pre-built, piped through`,
      `\`from(array)\`; median of ${runs} runs. Ratios are to the RxJS \`groupBy\` composition doing the same work in`,
      'the same run (the session row is compared with the tumbling baseline).',
      '',
      table(['Operator', 'detections/s', 'vs groupBy', 'goal'], rows),
      '',
      `Peak heap growth while streaming ${fmt(memN)} lazily generated detections (${videoHours.toFixed(1)} h of video):`,
      '',
      table(
        ['Operator', 'peak heap growth'],
        memory.map(([name, bytes]) => [name, kib(bytes)]),
      ),
      '',
      'Ours holds only the open windows (one accumulator each: 1–2 tumbling, 5 hopping); `groupBy` keeps a',
      'group per window of the whole video until the source completes.',
    ].join('\n');
  },
};

export default benchmark;

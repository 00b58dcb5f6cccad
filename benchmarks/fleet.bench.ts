/**
 * Fleet: the batch of the "Batches" section (videos of 1–60 min, job quota 20, processing proportional to
 * duration, GetFaceDetection TPS quota 100 here, so that the job quota binds) run by 1, 2 and 3 `face-stream worker` processes on one queue
 * (a private redis-server), with the single-process `face-stream batch --out` as the baseline in the same run.
 * Every contender writes the real outputs (`DIR/<bucket>/<key>.ndjson`, fsynced per page).
 *
 * (a) quota-bound: processing time dominates; the makespan is compared with the batch bench's lower bound (the
 *     larger of the longest-first schedule of the processing times on 20 slots and pages / TPS,
 *     benchmarks/lib/schedule.ts), and the slot refill latency (a job's end to the Start that takes its slot) says
 *     where time goes.
 * (b) CPU-bound: `--tracks` over longer synthetic videos whose jobs finish at once (50 ms), TPS not binding:
 *     throughput (videos/s) of 1, 2, 3 worker processes and of the single-process `face-stream batch --tracks`.
 *
 * The workers are started and connected before the videos are enqueued (their start-up is not counted); the
 * makespan runs from the enqueue to the last video finished (BullMQ's `finishedOn`), and for the baseline from
 * the process start to its exit (its start-up, ~1 s under tsx, is counted: it is part of a run).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { S3Client } from '@aws-sdk/client-s3';
import { enqueueBatch } from '../src/fleet/enqueueBatch.js';
import { readsQueueName } from '../src/fleet/FleetOptions.js';
import { objectSize } from '../src/emulator/s3/objectSize.js';
import { s3ObjectSizes } from '../src/jobs/videoSizes.js';
import { TEST_CREDENTIALS } from '../test/helpers/emulator.js';
import { fleetStatus } from '../src/fleet/fleetStatus.js';
import { listFiles } from '../test/helpers/listFiles.js';
import { startRedisServer } from '../test/resilience/redisServer.js';
import { spawnCli } from '../test/fleet/workerProcess.js';
import { type BenchVideo, benchVideos, scheduleBounds, slotGaps, startRecorder } from './lib/schedule.js';
import { fmt, table } from './lib/stats.js';
import type { Benchmark } from './lib/types.js';

const QUOTA = 20;
/** GetFaceDetection TPS quota: high enough that the job quota binds (quota-bound case); workers use --tps TPS - 1. */
const TPS = 100;
const MAX_RESULTS = 1000;
const MS_PER_VIDEO_MINUTE = 200;
/**
 * Status polls (no SQS on the workers: they poll): 100 ms growing to 250 ms. Scaled like the processing times
 * (1/150), that is one poll every 15–37 s per job, well under 1 TPS for 20 jobs in real time; here at most 80
 * polls/s of the 99 TPS budget while the 20 jobs run. A slower schedule (to 600 ms) cost ~0.5 s per slot
 * refill, the largest part of the gap to the input-order schedule.
 */
const POLL = '100ms';
const MAX_POLL = '250ms';

type Video = BenchVideo;

/** Processing time of a video of the list, from its object name (the emulator's `processingTimeMs`). */
const processingOf = (name: string): number => Number(/duration=(\d+)s/.exec(name)?.[1] ?? 0) * MS_PER_VIDEO_MINUTE;

/** (b): the CPU-bound list: `count` videos of 4–6 min of `preset=meeting` content, processed in 50 ms each. */
function cpuVideos(count: number): Video[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `cpu${i}/preset=meeting,duration=${240 + (i % 5) * 30}s.mp4`;
    return { uri: `s3://bench/${name}`, bucket: 'bench', name, minutes: 0 };
  });
}
const CPU_PROCESSING_MS = 50;
/** (b): TPS quota far above what the tracker lets the workers read. */
const CPU_TPS = 2000;

/** Development aid: `BENCH_CONTENDERS=worker` runs only the contenders whose name contains it. */
const selected = (name: string): boolean => process.env.BENCH_CONTENDERS === undefined || name.includes(process.env.BENCH_CONTENDERS);

/** The settings of one part of the bench. */
interface Scenario {
  readonly tps: number;
  readonly processingMs: (name: string) => number;
  /** Extra flags of every contender (e.g. `--tracks`). */
  readonly flags: readonly string[];
}

const QUOTA_BOUND: Scenario = { tps: TPS, processingMs: processingOf, flags: [] };
const CPU_BOUND: Scenario = { tps: CPU_TPS, processingMs: () => CPU_PROCESSING_MS, flags: ['--tracks'] };

/** The emulator's seed (also of its HeadObject sizes). */
const SEED = 5;

async function emulator(scenario: Scenario, recorder: ReturnType<typeof startRecorder>): Promise<Emulator> {
  return startEmulator({
    seed: SEED,
    maxConcurrentJobs: QUOTA,
    // The synthetic duration's seconds are the nominal minutes: processingOf(name) for the quota-bound list.
    processingTimeMs: (video) => (scenario === CPU_BOUND ? CPU_PROCESSING_MS : (video.durationMs / 1000) * MS_PER_VIDEO_MINUTE),
    faults: { tps: { GetFaceDetection: { rate: scenario.tps, burst: scenario.tps } } },
    requestLogSize: 10,
    onRequest: recorder.observe,
  });
}

function cli(args: string[], emu: Emulator, key: string): { exited: Promise<unknown> } {
  return spawnCli({ key, endpoint: emu.endpoint, args, stderr: 'inherit' });
}

/** The flags every contender of `scenario` gets (pages, polls, the shared TPS budget). */
function commonFlags(scenario: Scenario): string[] {
  const tps = String(scenario.tps - 1);
  return ['--max-results', String(MAX_RESULTS), '--poll-interval', POLL, '--max-poll-interval', MAX_POLL, '--tps', tps, '--burst', tps, ...scenario.flags];
}

interface Outcome {
  readonly makespan: number;
  readonly failed: number;
}


async function fleet(
  scenario: Scenario,
  workers: number,
  list: readonly Video[],
  redisUrl: string,
  emu: Emulator,
  out: string,
  order: 'size' | 'input',
): Promise<Outcome> {
  const queueName = `bench-${scenario.flags.join('')}${workers}-${order}`.replace(/\W+/g, '-');
  const procs = Array.from({ length: workers }, (_, i) =>
    cli(['worker', '--queue', redisUrl, '--queue-name', queueName, '--out', out, '--exit-when-drained', '--name', `w${i + 1}`, ...commonFlags(scenario)], emu, `AKIDW${i + 1}`),
  );
  // Wait until every worker is connected (start-up not counted).
  for (;;) {
    const status = await fleetStatus({ connection: redisUrl, queueName, maxFailures: 0 });
    if (status.workers.length >= workers) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Sizes by S3 HeadObject from the emulator (duration × a per-object bitrate, log-normal: an imperfect proxy of
  // the processing time, as real sizes are), looked up as part of the enqueue (timed).
  const s3 = new S3Client({ endpoint: emu.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
  const sizes = s3ObjectSizes({ client: s3 });
  const started = Date.now();
  try {
    await enqueueBatch(
      list.map((v) => v.uri),
      { connection: redisUrl, queueName, maxConcurrentJobs: QUOTA, ...(order === 'size' ? { order: { largestFirst: sizes } } : {}) },
    );
  } finally {
    s3.destroy();
  }
  await Promise.all(procs.map((p) => p.exited));
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Two stages: a video is finished when its read-stage job is (the job stage ends with the Rekognition job).
  const stages = [new Queue(queueName, { connection }), new Queue(readsQueueName(queueName), { connection })];
  try {
    let last = 0;
    let failed = 0;
    for (const queue of stages) {
      const failedJobs = await queue.getFailed(0, -1);
      failed += failedJobs.length;
      for (const job of [...(await queue.getCompleted(0, -1)), ...failedJobs]) last = Math.max(last, job.finishedOn ?? 0);
    }
    // Every video not failed must have its complete output.
    const outputs = listFiles(out).filter((f) => f.endsWith('.ndjson')).length;
    return { makespan: last - started, failed: Math.max(failed, list.length - outputs) };
  } finally {
    await Promise.all(stages.map((queue) => queue.close()));
    connection.disconnect();
  }
}

async function single(scenario: Scenario, list: readonly Video[], emu: Emulator, out: string, work: string): Promise<Outcome> {
  const file = join(work, 'videos.txt');
  writeFileSync(file, `${list.map((v) => v.uri).join('\n')}\n`);
  const started = Date.now();
  const run = cli(['batch', '--videos', file, '--out', out, ...commonFlags(scenario)], emu, 'AKIDSINGLE');
  const [code] = (await run.exited) as [number | null];
  return { makespan: Date.now() - started, failed: code === 0 ? 0 : -1 };
}

/** Pages of `MAX_RESULTS` detections in the outputs under `dir` (at least one per video). */
function countPages(dir: string): number {
  let pages = 0;
  for (const file of listFiles(dir).filter((f) => f.endsWith('.ndjson'))) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').length - 1;
    pages += Math.max(1, Math.ceil(lines / MAX_RESULTS));
  }
  return pages;
}

const benchmark: Benchmark = {
  title: 'Fleet',
  order: 75,
  async run({ quick, log }) {
    const count = quick ? 40 : 200;
    const list = benchVideos(count);
    const times = list.map((v) => v.minutes * MS_PER_VIDEO_MINUTE);
    // The emulator's HeadObject sizes (its default bitrate model): the order of the size-ordered rows.
    const sizes = list.map((v) => objectSize(v, SEED, { median: 2_500_000, sigma: 0.25 }));
    const cpuList = cpuVideos(quick ? 12 : 40);
    const redis = await startRedisServer();
    const work = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
    const rows: string[][] = [];
    const cpuRows: string[][] = [];
    let bounds = scheduleBounds({ times, slots: QUOTA, pages: 0, tps: TPS, sizes });
    let pages = 0;
    let cpuBaseline = 0;
    type Run = (scenario: Scenario, list: readonly Video[], emu: Emulator, out: string) => Promise<Outcome>;
    const contenders: [string, Run][] = [
      ['face-stream batch (one process, baseline)', (sc, l, emu, out) => single(sc, l, emu, out, work)],
      ['1 worker process, input order', (sc, l, emu, out) => fleet(sc, 1, l, redis.url, emu, out, 'input')],
      ['1 worker process', (sc, l, emu, out) => fleet(sc, 1, l, redis.url, emu, out, 'size')],
      ['2 worker processes', (sc, l, emu, out) => fleet(sc, 2, l, redis.url, emu, out, 'size')],
      ['3 worker processes', (sc, l, emu, out) => fleet(sc, 3, l, redis.url, emu, out, 'size')],
    ];
    try {
      for (const [part, scenario, videos] of [['a', QUOTA_BOUND, list], ['b', CPU_BOUND, cpuList]] as const) {
        // The CPU-bound list is uniform: its order does not matter.
        for (const [name, run] of contenders.filter(([name]) => selected(`(${part}) ${name}`) && !(part === 'b' && name.includes('input order')))) {
          log(`fleet (${part}): ${name} (${videos.length} videos)`);
          const recorder = startRecorder();
          const emu = await emulator(scenario, recorder);
          try {
            const out = join(work, `${part}-${name.replace(/\W+/g, '-')}`);
            const outcome = await run(scenario, videos, emu, out);
            const stats = emu.jobStats();
            const counters = emu.counters();
            const duplicates = stats.byObject.filter((o) => o.jobIds.length > 1).length;
            const failed = outcome.failed < 0 ? 'exit ≠ 0' : `${outcome.failed}`;
            if (part === 'a') {
              if (pages === 0) {
                pages = countPages(out);
                bounds = scheduleBounds({ times, slots: QUOTA, pages, tps: TPS, sizes });
              }
              const gaps = slotGaps(emu, recorder.starts, scenario.processingMs, QUOTA);
              rows.push([
                name,
                `${fmt(outcome.makespan / 1000, 1)} s`,
                `${(outcome.makespan / bounds.bound).toFixed(2)}×`,
                `${(outcome.makespan / bounds.inputOrder).toFixed(2)}×`,
                `${fmt(gaps.meanRefill)} / ${fmt(gaps.p90Refill)} ms`,
                failed,
                `${duplicates}`,
                `${fmt(stats.limitExceeded)}`,
                `${fmt(counters.throttled)}`,
                `${stats.peakInProgress.total}`,
              ]);
            } else {
              const throughput = videos.length / (outcome.makespan / 1000);
              if (name.includes('baseline')) cpuBaseline = throughput;
              cpuRows.push([
                name,
                `${fmt(outcome.makespan / 1000, 1)} s`,
                `${throughput.toFixed(2)}`,
                cpuBaseline > 0 ? `${(throughput / cpuBaseline).toFixed(2)}×` : '–',
                failed,
                `${duplicates}`,
              ]);
            }
            log(`fleet (${part}): ${name}: ${(outcome.makespan / 1000).toFixed(1)} s`);
          } finally {
            await emu.close();
          }
        }
      }
    } finally {
      redis.stop();
      rmSync(work, { recursive: true, force: true });
    }
    const { bound, jobBound, pageBound, inputOrder, sizeOrder } = bounds;
    return [
      `(a) Quota-bound. ${count} videos of 1–60 min (the "Batches" list), job quota ${QUOTA}, processing ${MS_PER_VIDEO_MINUTE} ms per`,
      `minute of video, GetFaceDetection TPS quota ${TPS}, pages of ${MAX_RESULTS}, status polls from ${POLL} (growing 1.5× to ${MAX_POLL}),`,
      `\`--tps ${TPS - 1}\` shared through Redis by all workers. Emulator in the bench process, a private redis-server, real`,
      'worker processes writing real files. Workers are connected before the enqueue (start-up not counted); the',
      'baseline is timed from its process start. The workers\' batches are enqueued longest first (`enqueueBatch`',
      '`order: { largestFirst: s3ObjectSizes() }`: the emulator\'s HeadObject sizes, duration × a log-normal bitrate,',
      'an imperfect proxy of processing time; looked up within the timed enqueue), except the "input order" row.',
      '',
      `Lower bound: ${fmt(bound / 1000, 1)} s = max(job-quota bound ${fmt(jobBound / 1000, 1)} s, page bound ${fmt(pageBound / 1000, 1)} s (${fmt(pages)} pages`,
      `/ ${TPS} TPS; status polls not counted)).`,
      '',
      `For reference, a zero-overhead greedy schedule in input order (the best any client can do without knowing the`,
      `processing times): ${fmt(inputOrder / 1000, 1)} s (${(inputOrder / bound).toFixed(2)}× the bound); in the HeadObject-size order of the`,
      `size-ordered rows (sizes a noisy proxy of processing time): ${fmt(sizeOrder / 1000, 1)} s (${(sizeOrder / bound).toFixed(2)}× the bound).`,
      '',
      table(['contender', 'makespan', 'vs bound', 'vs input order', 'slot refill mean / p90', 'failed videos', 'duplicate jobs', 'LimitExceeded', 'throttled', 'peak jobs'], rows),
      '',
      'Goal: ≤ 1.10× the bound whatever the worker count, 0 LimitExceeded (the global concurrency keeps the fleet',
      'under the quota), 0 throttled (the shared limiter), 0 duplicate jobs. Slot refill: from a job\'s end in the',
      'emulator to the Start that took its slot (completion detection by polling, BullMQ handing the slot on; the',
      'workers free the slot when the job ends, before its pages are read), over the Starts after the first 20.',
      '',
      `(b) CPU-bound. ${cpuList.length} videos of 4–6 min of \`preset=meeting\` content, each job done in ${CPU_PROCESSING_MS} ms, TPS quota ${CPU_TPS}, every`,
      'contender with `--tracks` (track summaries beside the detections). Throughput = videos / makespan (the baseline',
      'includes its process start-up, the workers do not). Same machine as the emulator and Redis.',
      '',
      table(['contender', 'makespan', 'videos/s', 'vs baseline', 'failed videos', 'duplicate jobs'], cpuRows),
    ].join('\n');
  },
};

export default benchmark;

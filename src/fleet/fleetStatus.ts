import { type Clock, systemClock } from '../core/Clock.js';
import { expectInteger, expectObject } from '../internal/validate.js';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { closeRedis, connectRedis, expectFleetFormat, expectQueueName, expectRedisUrl, loadBullmq, ignoreConnectionError } from './fleetRuntime.js';
import { type FleetConnectionOptions, type FleetJobData, type FleetReadData, readsQueueName } from './FleetOptions.js';

/** A failed video and why. */
export interface FleetFailure {
  readonly uri: string;
  /** Its index in the enqueued list (e.g. the line of FILE). */
  readonly index: number;
  readonly reason: string;
}

/** BullMQ jobs of one stage per state: `waiting` (incl. prioritized and rate-limited), `active` (on a worker), `delayed` (a retry's backoff), `completed`, `failed`. */
export interface FleetStageCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
}

/** The state of a fleet's queue (see {@link fleetStatus}). */
export interface FleetStatus {
  /**
   * Videos per state: `waiting` (no Rekognition job yet), `active` (running: its Rekognition job in progress, or
   * its pages waiting to be read or being read), `delayed` (a retry's backoff, either stage), `completed` (done),
   * `failed` (either stage).
   */
  readonly counts: FleetStageCounts;
  /**
   * The two stages: `jobs` (Start until the Rekognition job ends; `active` is bounded by the fleet-wide limit) and
   * `reads` (pages read and written; `completed` videos are done).
   */
  readonly stages: { readonly jobs: FleetStageCounts; readonly reads: FleetStageCounts };
  /** The fleet-wide limit of Rekognition jobs in progress (BullMQ global concurrency), when set. */
  readonly maxConcurrentJobs: number | undefined;
  /**
   * The workers connected to the queue, with their videos in progress: `jobs` (Rekognition jobs waited for),
   * `reads` (videos being read), `active` (both).
   */
  readonly workers: readonly { readonly name: string; readonly active: number; readonly jobs: number; readonly reads: number }[];
  /** Videos finished (completed or failed) per minute over the last `window` ms. */
  readonly throughputPerMinute: number;
  /** Rekognition jobs ended (handed to the read stage, or failed) per minute over the last `window` ms. */
  readonly jobsPerMinute: number;
  /** Estimated ms until every video is finished, at that throughput (`undefined` when nothing finished lately). */
  readonly etaMs: number | undefined;
  /** Failed videos with their reason (at most `maxFailures`). */
  readonly failures: readonly FleetFailure[];
}

/** Options of {@link fleetStatus}. */
export interface FleetStatusOptions extends FleetConnectionOptions {
  /**
   * Failed videos listed.
   * @default 100
   */
  readonly maxFailures?: number;
  /**
   * The throughput window (ms).
   * @default 300_000 (5 minutes)
   */
  readonly window?: number;
  /**
   * Time source of the throughput window.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * Reads the state of a fleet's queue: videos per state and per worker, throughput, ETA, failed videos with their
 * reason. Requires the optional peer dependencies `bullmq` and `ioredis`.
 *
 * @example
 * ```ts
 * import { fleetStatus } from 'rekognition-face-stream';
 *
 * const status = await fleetStatus({ connection: 'redis://127.0.0.1:6379' });
 * console.log(status.counts, status.etaMs);
 * ```
 */
export async function fleetStatus(options: FleetStatusOptions): Promise<FleetStatus> {
  expectObject('options', options);
  expectRedisUrl('connection', options.connection);
  const queueName = expectQueueName(options.queueName);
  const maxFailures = expectInteger('maxFailures', options.maxFailures ?? 100, 0);
  const window = expectInteger('window', options.window ?? 300_000, 1);
  const clock = options.clock ?? systemClock;
  const { queues, close } = await openStages(options);
  try {
    const [jobsQueue, readsQueue] = queues;
    await expectFleetFormat(jobsQueue, queueName);
    const jobs = await stageCounts(jobsQueue);
    const reads = await stageCounts(readsQueue);
    const counts: FleetStageCounts = {
      waiting: jobs.waiting,
      active: jobs.active + reads.waiting + reads.active,
      delayed: jobs.delayed + reads.delayed,
      completed: reads.completed,
      failed: jobs.failed + reads.failed,
    };
    const maxConcurrentJobs = (await jobsQueue.getGlobalConcurrency()) ?? undefined;
    const perWorker = new Map<string, { jobs: number; reads: number }>();
    for (const [stage, queue] of [['jobs', jobsQueue], ['reads', readsQueue]] as const) {
      // Connected workers: BullMQ names their Redis clients `<prefix>:<queue>:w:<worker name>`.
      for (const client of await queue.getWorkers()) {
        const raw = client.rawname ?? '';
        const at = raw.indexOf(':w:');
        if (at >= 0 && !perWorker.has(raw.slice(at + 3))) perWorker.set(raw.slice(at + 3), { jobs: 0, reads: 0 });
      }
      for (const job of await queue.getJobs(['active'])) {
        const name = job.processedBy ?? '?';
        const entry = perWorker.get(name) ?? { jobs: 0, reads: 0 };
        entry[stage]++;
        perWorker.set(name, entry);
      }
    }
    const now = clock.now();
    const lately = (finished: readonly Job[]): number => finished.filter((job) => job.finishedOn !== undefined && now - job.finishedOn <= window).length;
    const jobsEnded = lately(await jobsQueue.getJobs(['completed', 'failed'], 0, 999));
    const finishedLately = lately([...(await readsQueue.getJobs(['completed', 'failed'], 0, 999)), ...(await jobsQueue.getFailed(0, 999))]);
    const throughputPerMinute = (finishedLately * 60_000) / window;
    const remaining = counts.waiting + counts.active + counts.delayed;
    const etaMs = remaining === 0 ? 0 : finishedLately === 0 ? undefined : Math.round((remaining / finishedLately) * window);
    const failures: FleetFailure[] = [];
    if (maxFailures > 0) {
      for (const job of [...(await jobsQueue.getFailed(0, maxFailures - 1)), ...(await readsQueue.getFailed(0, maxFailures - 1))]) {
        failures.push({ uri: job.data.uri, index: job.data.index, reason: job.failedReason ?? 'unknown' });
      }
    }
    failures.sort((a, b) => a.index - b.index);
    return {
      counts,
      stages: { jobs, reads },
      maxConcurrentJobs: maxConcurrentJobs === null ? undefined : maxConcurrentJobs,
      workers: [...perWorker]
        .map(([name, { jobs, reads }]) => ({ name, active: jobs + reads, jobs, reads }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      throughputPerMinute,
      jobsPerMinute: (jobsEnded * 60_000) / window,
      etaMs,
      failures: failures.slice(0, maxFailures),
    };
  } finally {
    await close();
  }
}

/** The BullMQ jobs of a stage per state. */
async function stageCounts(queue: Queue): Promise<FleetStageCounts> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  return {
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
  };
}

/** The two stages' queues on one new connection, and how to close them. */
async function openStages(
  options: FleetConnectionOptions,
): Promise<{ readonly queues: readonly [Queue<FleetJobData>, Queue<FleetReadData>]; readonly close: () => Promise<void> }> {
  const connection = expectRedisUrl('connection', options.connection);
  const queueName = expectQueueName(options.queueName);
  const { Queue } = await loadBullmq();
  const redis: Redis = await connectRedis(connection);
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };
  const queues = [
    new Queue<FleetJobData>(queueName, { connection: redis, ...prefix }),
    new Queue<FleetReadData>(readsQueueName(queueName), { connection: redis, ...prefix }),
  ] as const;
  for (const queue of queues) queue.on('error', ignoreConnectionError);
  return {
    queues,
    close: async () => {
      await Promise.all(queues.map((queue) => queue.close()));
      await closeRedis(redis);
    },
  };
}

/**
 * Puts the failed videos of a fleet's queue back to waiting (each keeps its Rekognition job: a FAILED job fails
 * again; a deadline or a transient error gets another chance). Resolves with the number requeued.
 *
 * @example
 * ```ts
 * import { retryFailedVideos } from 'rekognition-face-stream';
 *
 * console.log(await retryFailedVideos({ connection: 'redis://127.0.0.1:6379' }));
 * ```
 */
export async function retryFailedVideos(options: FleetConnectionOptions): Promise<number> {
  expectObject('options', options);
  const { queues, close } = await openStages(options);
  try {
    await expectFleetFormat(queues[0], expectQueueName(options.queueName));
    let requeued = 0;
    // Each stage's failed videos go back to that stage: a failed read keeps its succeeded Rekognition job.
    for (const queue of queues) {
      const failed = (await queue.getJobCounts('failed')).failed ?? 0;
      if (failed > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
      requeued += failed;
    }
    return requeued;
  } finally {
    await close();
  }
}

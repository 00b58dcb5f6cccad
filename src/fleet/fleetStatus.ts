import { type Clock, systemClock } from '../core/Clock.js';
import { expectInteger, expectObject } from '../internal/validate.js';
import { closeRedis, connectRedis, expectQueueName, expectRedisUrl, loadBullmq, ignoreConnectionError } from './fleetRuntime.js';
import type { FleetConnectionOptions, FleetJobData } from './FleetOptions.js';

/** A failed video and why. */
export interface FleetFailure {
  readonly uri: string;
  /** Its index in the enqueued list (e.g. the line of FILE). */
  readonly index: number;
  readonly reason: string;
}

/** The state of a fleet's queue (see {@link fleetStatus}). */
export interface FleetStatus {
  /** Videos per state: `waiting` (incl. prioritized and rate-limited), `active` (running on a worker), `delayed` (a retry's backoff), `completed`, `failed`. */
  readonly counts: { readonly waiting: number; readonly active: number; readonly delayed: number; readonly completed: number; readonly failed: number };
  /** The fleet-wide limit of Rekognition jobs in progress (BullMQ global concurrency), when set. */
  readonly maxConcurrentJobs: number | undefined;
  /** Videos running per worker name, and the workers connected to the queue. */
  readonly workers: readonly { readonly name: string; readonly active: number }[];
  /** Videos finished (completed or failed) per minute over the last `window` ms. */
  readonly throughputPerMinute: number;
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
  const connection = expectRedisUrl('connection', options.connection);
  const queueName = expectQueueName(options.queueName);
  const maxFailures = expectInteger('maxFailures', options.maxFailures ?? 100, 0);
  const window = expectInteger('window', options.window ?? 300_000, 1);
  const clock = options.clock ?? systemClock;
  const { Queue } = await loadBullmq();
  const redis = await connectRedis(connection);
  const queue = new Queue<FleetJobData>(queueName, { connection: redis, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  queue.on('error', ignoreConnectionError);
  try {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
    const counts = {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
    const maxConcurrentJobs = (await queue.getGlobalConcurrency()) ?? undefined;
    const perWorker = new Map<string, number>();
    // Connected workers: BullMQ names their Redis clients `<prefix>:<queue>:w:<worker name>`.
    for (const client of await queue.getWorkers()) {
      const raw = client.rawname ?? '';
      const at = raw.indexOf(':w:');
      if (at >= 0) perWorker.set(raw.slice(at + 3), 0);
    }
    for (const job of await queue.getJobs(['active'])) {
      const name = job.processedBy ?? '?';
      perWorker.set(name, (perWorker.get(name) ?? 0) + 1);
    }
    const now = clock.now();
    let finishedLately = 0;
    for (const job of await queue.getJobs(['completed', 'failed'], 0, 999)) {
      if (job.finishedOn !== undefined && now - job.finishedOn <= window) finishedLately++;
    }
    const throughputPerMinute = (finishedLately * 60_000) / window;
    const remaining = counts.waiting + counts.active + counts.delayed;
    const etaMs = remaining === 0 ? 0 : finishedLately === 0 ? undefined : Math.round((remaining / finishedLately) * window);
    const failures: FleetFailure[] = [];
    if (maxFailures > 0) {
      for (const job of await queue.getFailed(0, maxFailures - 1)) {
        failures.push({ uri: job.data.uri, index: job.data.index, reason: job.failedReason ?? 'unknown' });
      }
    }
    failures.sort((a, b) => a.index - b.index);
    return {
      counts,
      maxConcurrentJobs: maxConcurrentJobs === null ? undefined : maxConcurrentJobs,
      workers: [...perWorker].map(([name, active]) => ({ name, active })).sort((a, b) => a.name.localeCompare(b.name)),
      throughputPerMinute,
      etaMs,
      failures,
    };
  } finally {
    await queue.close();
    await closeRedis(redis);
  }
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
  const connection = expectRedisUrl('connection', options.connection);
  const queueName = expectQueueName(options.queueName);
  const { Queue } = await loadBullmq();
  const redis = await connectRedis(connection);
  const queue = new Queue<FleetJobData>(queueName, { connection: redis, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  queue.on('error', ignoreConnectionError);
  try {
    const failed = (await queue.getJobCounts('failed')).failed ?? 0;
    if (failed > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
    return failed;
  } finally {
    await queue.close();
    await closeRedis(redis);
  }
}

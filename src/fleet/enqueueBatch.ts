import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectFunction, expectInteger, expectObject } from '../internal/validate.js';
import type { BatchVideo } from '../jobs/faceDetectionBatch.js';
import type { VideoRef } from '../jobs/VideoRef.js';
import type { VideoSizeLookup } from '../jobs/videoSizes.js';
import { type FaceDetectionJobParameters, planStart } from '../jobs/startFaceDetectionJob.js';
import {
  closeRedis,
  ignoreConnectionError,
  connectRedis,
  expectFleetFormat,
  expectQueueName,
  expectRedisUrl,
  loadBullmq,
} from './fleetRuntime.js';
import { FLEET_FORMAT, type FleetConnectionOptions, type FleetJobData } from './FleetOptions.js';

/** Options of {@link enqueueBatch}. */
export interface EnqueueBatchOptions extends FleetConnectionOptions, Omit<FaceDetectionJobParameters, 'notificationChannel'> {
  /**
   * Most Rekognition jobs in progress at once across every worker of the queue (BullMQ global concurrency):
   * the account's concurrent-job quota, minus what other applications need.
   * @default 20
   */
  readonly maxConcurrentJobs?: number;
  /**
   * Attempts per video for transient failures (a FAILED Rekognition job, a refused Start or a bad video fail at
   * once; a worker crash is not an attempt: the video is taken over).
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Index of each video (e.g. its line in a file), kept with the video; by default its position in `videos`.
   * @default (video, i) => i
   */
  readonly indexOf?: (video: BatchVideo, position: number) => number;
  /**
   * The order videos start in, fleet-wide: `'input'`, or `{ largestFirst: sizeOf }` (e.g. `s3ObjectSizes()`) to
   * start the largest first, as `faceDetectionBatch`'s `order`. Each new video's BullMQ priority then comes from
   * its size ({@link fleetPriorityOfSize}, a fine log scale: the same size always gives the same priority, so
   * enqueuing in several calls keeps one order; equal sizes keep their input order; videos of unknown size start
   * first, so that the Start reports their real problem early). `sizeOf` is called once per video not yet in the
   * queue, at most 16 at a time, before anything is added (a rejection adds nothing). Processing time grows with
   * the video's length: longest-first keeps the last job slots from running one long video alone at the end.
   * @default 'input'
   */
  readonly order?: 'input' | { readonly largestFirst: VideoSizeLookup };
}

/** What {@link enqueueBatch} did. */
export interface EnqueueBatchResult {
  /** Videos given. */
  readonly total: number;
  /** Videos added to the queue. */
  readonly added: number;
  /** Videos already in the queue (waiting, running, done or failed): not added again. */
  readonly existing: number;
}

/** Videos added per Redis round trip. */
const CHUNK = 500;
/** Size look-ups in flight at once. */
const SIZE_CONCURRENCY = 16;
/** BullMQ's lowest priority (its `PRIORITY_LIMIT`). */
export const LOWEST_PRIORITY = 2 ** 21 - 1;
/** Priority steps per doubling of the size (0.002 % apart). */
const STEPS_PER_DOUBLING = 2 ** 15;
/** Sizes from 2^44 bytes (16 TiB) up get the highest priority. */
const LARGEST_LOG2 = 44;

/**
 * The BullMQ priority of a video of `size` bytes (1 = first): `2 + round((44 − log2 size) × 2^15)`, clamped to
 * 2…2_097_151 (BullMQ's range); `undefined` (unknown size) → 1, first (as `faceDetectionBatch` does: the Start
 * then reports the video's real problem early). Larger videos get smaller numbers: they start first.
 *
 * @example
 * ```ts
 * import { fleetPriorityOfSize } from 'rekognition-face-stream';
 *
 * fleetPriorityOfSize(2 ** 30) < fleetPriorityOfSize(2 ** 20); // true: the 1 GiB video starts first
 * ```
 */
export function fleetPriorityOfSize(size: number | undefined): number {
  if (size === undefined || !Number.isFinite(size) || size < 0) return 1;
  const steps = Math.round((LARGEST_LOG2 - Math.log2(Math.max(1, size))) * STEPS_PER_DOUBLING);
  return Math.min(LOWEST_PRIORITY, Math.max(2, 2 + steps));
}

/**
 * Adds videos to a BullMQ queue, one BullMQ job per video, for `runBatchWorker` processes on any number of
 * machines, and sets the fleet-wide limit of Rekognition jobs in progress (BullMQ global concurrency).
 *
 * The BullMQ job id is the video's `ClientRequestToken` (a digest of the video and parameters): enqueuing the
 * same videos again adds nothing, and every worker that takes the video over starts (or finds) the same
 * Rekognition job. Every video is validated before anything is added (`InvalidParameterError` naming
 * `videos[i]`). Requires the optional peer dependencies `bullmq` and `ioredis`.
 *
 * @example
 * ```ts
 * import { enqueueBatch } from 'rekognition-face-stream';
 *
 * const { added, existing } = await enqueueBatch(['s3://my-videos/a.mp4', 's3://my-videos/b.mp4'], {
 *   connection: 'redis://127.0.0.1:6379',
 *   maxConcurrentJobs: 20,
 * });
 * console.log(`${added} added, ${existing} already queued`);
 * ```
 */
export async function enqueueBatch(videos: Iterable<BatchVideo>, options: EnqueueBatchOptions): Promise<EnqueueBatchResult> {
  expectObject('options', options);
  if (typeof videos !== 'object' || videos === null || typeof (videos as Iterable<BatchVideo>)[Symbol.iterator] !== 'function') {
    throw new InvalidParameterError('videos', 'an Iterable of s3:// URIs or { bucket, name }', videos);
  }
  const connection = expectRedisUrl('connection', options.connection);
  const queueName = expectQueueName(options.queueName);
  const maxConcurrentJobs = expectInteger('maxConcurrentJobs', options.maxConcurrentJobs ?? 20, 1, 10_000);
  const attempts = expectInteger('attempts', options.attempts ?? 3, 1, 100);
  const faceAttributes = options.faceAttributes ?? 'DEFAULT';
  const order = options.order ?? 'input';
  if (order !== 'input' && (typeof order !== 'object' || order === null)) {
    throw new InvalidParameterError('order', "'input' or { largestFirst: sizeOf }", order);
  }
  const sizeOf = order === 'input' ? undefined : expectFunction<VideoSizeLookup>('order.largestFirst', order.largestFirst);
  const jobs: { name: string; data: FleetJobData; video: VideoRef; opts: { jobId: string } }[] = [];
  let position = 0;
  const seen = new Set<string>();
  for (const video of videos) {
    const plan = planStart({ video, faceAttributes }, `videos[${position}]`);
    const index = options.indexOf ? options.indexOf(video, position) : position;
    position++;
    if (seen.has(plan.clientRequestToken)) continue; // the same video twice: one job
    seen.add(plan.clientRequestToken);
    jobs.push({
      name: 'face-detection',
      video: plan.video,
      data: {
        v: FLEET_FORMAT,
        uri: plan.uri,
        bucket: plan.video.bucket,
        name: plan.video.name,
        ...(plan.video.version === undefined ? {} : { version: plan.video.version }),
        index,
        faceAttributes,
        clientRequestToken: plan.clientRequestToken,
      },
      opts: { jobId: plan.clientRequestToken },
    });
  }

  const { Queue } = await loadBullmq();
  const redis = await connectRedis(connection);
  const queue = new Queue(queueName, { connection: redis, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  queue.on('error', ignoreConnectionError);
  try {
    await expectFleetFormat(queue, queueName);
    const fresh: typeof jobs = [];
    for (let i = 0; i < jobs.length; i += CHUNK) {
      const chunk = jobs.slice(i, i + CHUNK);
      const states = await Promise.all(chunk.map((job) => queue.getJobState(job.opts.jobId)));
      fresh.push(...chunk.filter((_, k) => states[k] === 'unknown'));
    }
    // Sizes of the new videos only (the others keep the priority they were added with), before anything is added.
    const priorities = sizeOf === undefined ? undefined : await mapLimited(fresh, SIZE_CONCURRENCY, async (job) => fleetPriorityOfSize(await sizeOf(job.video)));
    await queue.setGlobalConcurrency(maxConcurrentJobs);
    for (let i = 0; i < fresh.length; i += CHUNK) {
      await queue.addBulk(
        fresh.slice(i, i + CHUNK).map(({ name, data, opts }, k) => ({
          name,
          data,
          opts: {
            ...opts,
            ...(priorities === undefined ? {} : { priority: priorities[i + k]! }),
            attempts,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: false,
            removeOnFail: false,
          },
        })),
      );
    }
    return { total: position, added: fresh.length, existing: position - fresh.length };
  } finally {
    await queue.close();
    await closeRedis(redis);
  }
}

/** `f` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

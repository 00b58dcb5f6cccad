import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectInteger, expectObject } from '../internal/validate.js';
import type { BatchVideo } from '../jobs/faceDetectionBatch.js';
import { type FaceDetectionJobParameters, planStart } from '../jobs/startFaceDetectionJob.js';
import {
  closeRedis,
  ignoreConnectionError,
  connectRedis,
  expectQueueName,
  expectRedisUrl,
  loadBullmq,
} from './fleetRuntime.js';
import type { FleetConnectionOptions, FleetJobData } from './FleetOptions.js';

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
  const jobs: { name: string; data: FleetJobData; opts: { jobId: string } }[] = [];
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
      data: {
        v: 1,
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
    await queue.setGlobalConcurrency(maxConcurrentJobs);
    let added = 0;
    for (let i = 0; i < jobs.length; i += CHUNK) {
      const chunk = jobs.slice(i, i + CHUNK);
      const states = await Promise.all(chunk.map((job) => queue.getJobState(job.opts.jobId)));
      const fresh = chunk.filter((_, k) => states[k] === 'unknown');
      if (fresh.length === 0) continue;
      await queue.addBulk(
        fresh.map((job) => ({
          ...job,
          opts: { ...job.opts, attempts, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false },
        })),
      );
      added += fresh.length;
    }
    return { total: position, added, existing: position - added };
  } finally {
    await queue.close();
    await closeRedis(redis);
  }
}

/**
 * The public option and data types of the fleet (no import of bullmq or ioredis: the types compile without them).
 *
 * @module
 */

/** Queue name used when none is given. */
export const DEFAULT_QUEUE_NAME = 'face-stream';

/** Options shared by every fleet function: where the queue lives. */
export interface FleetConnectionOptions {
  /** The Redis of the queue (and, by default, of the shared rate limiter): `redis://host:port[/db]` or `rediss://…`. */
  readonly connection: string;
  /**
   * The BullMQ queue name: one batch (or several, added to the same queue) shared by every worker.
   * @default 'face-stream'
   */
  readonly queueName?: string;
  /**
   * Prefix of BullMQ's Redis keys.
   * @default 'bull'
   */
  readonly prefix?: string;
}

/**
 * The format of the fleet's BullMQ jobs: 2 = two stages (a video's Rekognition job in the queue `queueName`, its
 * pages in `queueName-reads`); 1 (face-stream before the stages) ran a video in one BullMQ job.
 */
export const FLEET_FORMAT = 2;

/** The queue of the read stage of `queueName`: videos whose Rekognition job succeeded, to read and write. */
export function readsQueueName(queueName: string): string {
  return `${queueName}-reads`;
}

/**
 * What a BullMQ job of the job stage holds (JSON in Redis): one video, from its Start until its Rekognition job
 * ends. The queue's global concurrency (the fleet-wide job limit) bounds these jobs.
 */
export interface FleetJobData {
  /** Format version ({@link FLEET_FORMAT}). */
  readonly v: 2;
  /** The video as `s3://bucket/key`. */
  readonly uri: string;
  readonly bucket: string;
  readonly name: string;
  readonly version?: string | undefined;
  /** Position in the enqueued list (e.g. a line number of the CLI's FILE). */
  readonly index: number;
  readonly faceAttributes: 'DEFAULT' | 'ALL';
  /** The `ClientRequestToken` of the video's Rekognition job (also the BullMQ job id). */
  readonly clientRequestToken: string;
  /** The Rekognition job, once a Start was accepted: a takeover reuses it. */
  readonly rekognitionJobId?: string | undefined;
  /** Starts refused with `LimitExceededException` so far (fleet-wide backoff), and when the first was. */
  readonly refusals?: number | undefined;
  readonly firstRefusalAt?: number | undefined;
}

/**
 * What a BullMQ job of the read stage holds (queue `queueName-reads`, same job id as the video's job): a video
 * whose Rekognition job succeeded, its pages to read and write.
 */
export interface FleetReadData extends Omit<FleetJobData, 'rekognitionJobId' | 'refusals' | 'firstRefusalAt'> {
  /** The succeeded Rekognition job. */
  readonly rekognitionJobId: string;
  /** How its completion was seen (`poll` or `notification`). */
  readonly via: 'poll' | 'notification';
  /** The writer's checkpoint (opaque JSON; e.g. `{ jobId, checkpoint: { startingToken, startingCount }, bytes }`). */
  readonly checkpoint?: unknown;
}


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

/** What a BullMQ job of the fleet holds (JSON in Redis). */
export interface FleetJobData {
  /** Format version. */
  readonly v: 1;
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
  /** The writer's checkpoint (opaque JSON; e.g. `{ jobId, checkpoint: { startingToken, startingCount }, bytes }`). */
  readonly checkpoint?: unknown;
}


/**
 * Internals shared by `enqueueBatch`, `runBatchWorker` and `fleetStatus`: the optional peer dependencies
 * (`bullmq`, `ioredis`) loaded on first use, the Redis connections, and the data kept in each BullMQ job.
 *
 * @module
 */
import type { Redis, RedisOptions } from 'ioredis';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectString } from '../internal/validate.js';

/** The BullMQ module (typed through the devDependency; loaded at run time only). */
export type Bullmq = typeof import('bullmq');

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

/** Loads `bullmq` (an optional peer dependency) with a one-line error naming the fix. */
export async function loadBullmq(): Promise<Bullmq> {
  try {
    return await import('bullmq');
  } catch (error) {
    throw new InvalidParameterError('connection', 'usable with the optional peer dependency bullmq installed (npm install bullmq ioredis)', undefined, {
      cause: error,
    });
  }
}

/** Validates a `redis://` / `rediss://` URL. */
export function expectRedisUrl(parameter: string, value: unknown): string {
  return expectString(parameter, value, { minLength: 1, pattern: /^rediss?:\/\/[^\s]+$/ });
}

/** Validates a queue name (BullMQ keys are `prefix:name:…`, so no `:`). */
export function expectQueueName(value: unknown): string {
  return expectString('queueName', value ?? DEFAULT_QUEUE_NAME, { minLength: 1, maxLength: 200, pattern: /^[^:\s]+$/ });
}

/**
 * A new ioredis connection for BullMQ (`maxRetriesPerRequest: null`, as BullMQ requires for workers; it waits
 * through a Redis restart instead of failing). The caller closes it.
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  let IORedis: typeof import('ioredis').Redis;
  try {
    IORedis = (await import('ioredis')).Redis;
  } catch (error) {
    throw new InvalidParameterError('connection', 'usable with the optional peer dependency ioredis installed (npm install ioredis)', undefined, {
      cause: error,
    });
  }
  return new IORedis(url, { maxRetriesPerRequest: null, ...options });
}

/** Closes a connection, ignoring one already closed. */
export async function closeRedis(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

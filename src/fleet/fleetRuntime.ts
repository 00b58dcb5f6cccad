/**
 * Internals shared by `enqueueBatch`, `runBatchWorker` and `fleetStatus`: the optional peer dependencies
 * (`bullmq`, `ioredis`) loaded on first use, the Redis connections, and the data kept in each BullMQ job.
 *
 * @module
 */
import type { Redis, RedisOptions } from 'ioredis';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectString } from '../internal/validate.js';
import { DEFAULT_QUEUE_NAME, FLEET_FORMAT } from './FleetOptions.js';

/** The BullMQ module (typed through the devDependency; loaded at run time only). */
export type Bullmq = typeof import('bullmq');

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

/**
 * The `error` listener of every BullMQ Queue and Worker here: connection errors while Redis is down or restarting
 * (ioredis reconnects and BullMQ commands wait for it, `maxRetriesPerRequest: null`); without a listener BullMQ
 * prints each reconnection attempt's error.
 */
export function ignoreConnectionError(): void {}

/** The job states a queue's jobs can be in (all of them: what a format check or a drain check looks at). */
export const ALL_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'completed', 'failed'] as const;

/**
 * Refuses a queue holding jobs of another fleet format (face-stream before the two stages ran a video in one
 * BullMQ job, whose completion meant "done"): mixing the formats would lose or miscount videos. One job per state
 * is looked at (a queue is never mixed: every entry point checks).
 */
export async function expectFleetFormat(queue: import('bullmq').Queue, queueName: string): Promise<void> {
  const jobs = await queue.getJobs([...ALL_STATES], 0, 0);
  const other = jobs.find((job) => (job?.data as { v?: unknown } | undefined)?.v !== FLEET_FORMAT);
  if (other !== undefined) {
    throw new InvalidParameterError(
      'queueName',
      `a queue of fleet format ${FLEET_FORMAT} (its videos were enqueued by a face-stream without the read stage: let that version finish them, or use another queue name)`,
      queueName,
    );
  }
}

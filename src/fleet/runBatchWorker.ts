import { hostname } from 'node:os';
import { Observable, Subject } from 'rxjs';
import { type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { isFaceStreamError } from '../errors/isFaceStreamError.js';
import { JobWaitTimeoutError } from '../errors/JobWaitTimeoutError.js';
import { expectFunction, expectInteger, expectNumber, expectObject, expectString } from '../internal/validate.js';
import type {
  BatchCounts,
  BatchEvent,
  BatchReadOptions,
  BatchSucceededEvent,
  FaceDetectionBatchOptions,
} from '../jobs/faceDetectionBatch.js';
import { planStart, sendStart } from '../jobs/startFaceDetectionJob.js';
import type { VideoRef } from '../jobs/VideoRef.js';
import { expectNotifications } from '../jobs/sqsJobNotifications.js';
import { awaitCompletion, notificationsWorkAfter, resolveWait } from '../jobs/waitForFaceDetectionJob.js';
import { defaultPolicy } from '../resilience/defaultPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';
import { createRekognitionClient } from '../source/createRekognitionClient.js';
import { faceDetectionPages } from '../source/faceDetectionPages.js';
import { faceDetections } from '../source/faceDetections.js';
import type { RekognitionLike } from '../types.js';
import {
  ALL_STATES,
  closeRedis,
  ignoreConnectionError,
  connectRedis,
  expectFleetFormat,
  expectQueueName,
  expectRedisUrl,
  loadBullmq,
} from './fleetRuntime.js';
import { FLEET_FORMAT, type FleetConnectionOptions, type FleetJobData, type FleetReadData, readsQueueName } from './FleetOptions.js';

/** The checkpoint of one video, kept in its BullMQ job (so a worker that takes the video over continues it). */
export interface FleetCheckpoint {
  /** The checkpoint saved by an earlier worker of this video (`undefined` on a fresh start). */
  readonly state: unknown;
  /** Saves a new checkpoint (JSON) in the BullMQ job; resolves once Redis has it. */
  save(state: unknown): Promise<void>;
}

/**
 * Writes a succeeded video's detections: read them with `event.pages()` / `event.detections()`, save a checkpoint
 * after each durable write, and resolve when the output is complete. Called again (by another worker) with the
 * last saved checkpoint when a worker dies mid-video: it must continue exactly from there.
 */
export type FleetWriter = (event: BatchSucceededEvent, checkpoint: FleetCheckpoint) => Promise<unknown>;

/** Options of {@link runBatchWorker}. Durations in ms. */
export interface BatchWorkerOptions
  extends FleetConnectionOptions,
    Pick<FaceDetectionBatchOptions, 'client' | 'policy' | 'notificationChannel' | 'notifications' | 'poll' | 'waitTimeout' | 'slotTimeout' | 'signal' | 'clock'> {
  /** Writes each succeeded video (see {@link FleetWriter}); the video is done when it resolves. */
  readonly write: FleetWriter;
  /**
   * Rekognition jobs this worker starts and waits for at once (BullMQ worker concurrency of the job stage). The
   * fleet-wide limit is that queue's global concurrency, set by `enqueueBatch`'s `maxConcurrentJobs`.
   * @default 20
   */
  readonly concurrency?: number;
  /**
   * Videos this worker reads and writes at once (BullMQ worker concurrency of the read stage, which has no
   * fleet-wide limit: a video leaves the job limit when its Rekognition job ends; the TPS limiter paces reads).
   * @default concurrency
   */
  readonly readConcurrency?: number;
  /**
   * Stop once the queue has no video waiting, delayed or running (on any worker) and at least one finished (a
   * worker started before the batch is enqueued waits for it).
   * @default false (run until `close()` or `signal`)
   */
  readonly exitWhenDrained?: boolean;
  /**
   * How often `exitWhenDrained` checks the queue.
   * @default 1000
   */
  readonly drainCheckInterval?: number;
  /**
   * The lock on a running video: renewed every `lockDuration / 2` while this worker is alive; when it dies, the
   * video is taken over by another worker after at most `lockDuration + stalledInterval`.
   * @default 30_000
   */
  readonly lockDuration?: number;
  /**
   * How often workers look for videos of dead workers.
   * @default 30_000
   */
  readonly stalledInterval?: number;
  /**
   * Takeovers of one video before it fails ("job stalled more than allowable limit"): a poison video that kills
   * every worker that reads it ends as failed instead of killing the fleet.
   * @default 2
   */
  readonly maxStalledCount?: number;
  /**
   * Delay of the whole fleet after a Start refused with `LimitExceededException` (other applications hold job
   * slots): from `baseMs`, doubling per refusal of the video, to `capMs`.
   * @default { baseMs: 2000, capMs: 60000 }
   */
  readonly slotBackoff?: { readonly baseMs: number; readonly capMs: number };
  /**
   * This worker's name, recorded on each video it runs (`--status` shows it).
   * @default `${hostname()}:${process.pid}`
   */
  readonly name?: string;
}

/** A running worker. */
export interface BatchWorker {
  /** The per-video events of this worker (as `faceDetectionBatch`'s), then `done`. Hot: subscribe early. */
  readonly events: Observable<BatchEvent>;
  /** Counters of this worker. */
  readonly counts: Readonly<BatchCounts>;
  /** Resolves with the counters when the worker has stopped (`close()`, `signal`, or drained). */
  readonly closed: Promise<Readonly<BatchCounts>>;
  /** Stops taking videos, waits for the running ones, and disconnects. */
  close(): Promise<Readonly<BatchCounts>>;
}

/**
 * Runs a worker of a fleet: takes videos from the BullMQ queue filled by {@link enqueueBatch}, starts (or finds)
 * each video's Rekognition job, waits for it and hands it to `write` with a checkpoint kept in the BullMQ job.
 * Run any number of workers on any number of machines against the same Redis.
 *
 * - **Job quota across the fleet**: BullMQ global concurrency (`maxConcurrentJobs` of `enqueueBatch`) bounds the
 *   videos running on all workers together. A Start refused with `LimitExceededException` (other applications'
 *   jobs) rate-limits the whole queue (`slotBackoff`) and puts the video back, without counting an attempt.
 * - **Crash safety**: a worker killed mid-video loses its lock; after `lockDuration` another worker takes the
 *   video over, reuses its Rekognition job (recorded in the BullMQ job; the same `ClientRequestToken` anyway)
 *   and calls `write` with the last checkpoint.
 * - **Failures**: a FAILED Rekognition job, a refused Start or a bad video fail the video at once, with its
 *   reason; other errors are retried (`attempts` of `enqueueBatch`). The other videos go on.
 *
 * Requires the optional peer dependencies `bullmq` and `ioredis`.
 *
 * @example
 * ```ts
 * import { runBatchWorker } from 'rekognition-face-stream';
 *
 * const worker = await runBatchWorker({
 *   connection: 'redis://127.0.0.1:6379',
 *   exitWhenDrained: true,
 *   write: async (event, checkpoint) => {
 *     let faces = 0;
 *     for await (const _ of event.detections()) faces++;
 *     await checkpoint.save({ faces });
 *     console.log(event.uri, faces);
 *   },
 * });
 * console.log(await worker.closed);
 * ```
 */
export async function runBatchWorker(options: BatchWorkerOptions): Promise<BatchWorker> {
  expectObject('options', options);
  const connection = expectRedisUrl('connection', options.connection);
  const queueName = expectQueueName(options.queueName);
  const write = expectFunction<FleetWriter>('write', options.write);
  const concurrency = expectInteger('concurrency', options.concurrency ?? 20, 1, 10_000);
  const readConcurrency = expectInteger('readConcurrency', options.readConcurrency ?? concurrency, 1, 10_000);
  const drainCheckInterval = expectNumber('drainCheckInterval', options.drainCheckInterval ?? 1000, 1);
  const lockDuration = expectNumber('lockDuration', options.lockDuration ?? 30_000, 100);
  const stalledInterval = expectNumber('stalledInterval', options.stalledInterval ?? 30_000, 100);
  const maxStalledCount = expectInteger('maxStalledCount', options.maxStalledCount ?? 2, 0, 1000);
  const slotTimeout = expectNumber('slotTimeout', options.slotTimeout ?? 3_600_000, 0);
  const backoff = options.slotBackoff ?? { baseMs: 2000, capMs: 60_000 };
  expectNumber('slotBackoff.baseMs', backoff.baseMs, 1);
  expectNumber('slotBackoff.capMs', backoff.capMs, backoff.baseMs);
  const name = expectString('name', options.name ?? `${hostname()}:${process.pid}`, { minLength: 1, maxLength: 200 });
  if (options.client !== undefined && typeof (options.client as { send?: unknown })?.send !== 'function') {
    throw new InvalidParameterError('client', 'an object with a send(command, options) method', options.client);
  }
  // Validates the notification channel before any request.
  planStart({ video: 's3://bucket/validation', notificationChannel: options.notificationChannel });
  const notifications = expectNotifications(options.notifications);
  const wait = resolveWait({ poll: options.poll, timeout: options.waitTimeout }, notifications !== undefined, '', 'waitTimeout');
  /**
   * Whether this worker's notifications work (the last job to end that was not polled first was announced by
   * one): fallback polls then wait at least `maxDelay`, leaving the shared TPS to page reads, as in a batch.
   */
  let noticesWork = false;
  const clock: Clock = options.clock ?? systemClock;
  const client: RekognitionLike = options.client ?? createRekognitionClient();
  const policy: RequestPolicy = options.policy ?? defaultPolicy(client);

  const bullmq = await loadBullmq();
  const { Worker, Queue, UnrecoverableError, WaitingError } = bullmq;
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };
  const queueRedis = await connectRedis(connection);
  const jobsWorkerRedis = await connectRedis(connection);
  const readsWorkerRedis = await connectRedis(connection);
  const jobsQueue = new Queue<FleetJobData>(queueName, { connection: queueRedis, ...prefix });
  const readsQueue = new Queue<FleetReadData>(readsQueueName(queueName), { connection: queueRedis, ...prefix });
  jobsQueue.on('error', ignoreConnectionError);
  readsQueue.on('error', ignoreConnectionError);
  const disconnect = (): Promise<unknown> =>
    Promise.all([jobsQueue.close(), readsQueue.close()]).then(() =>
      Promise.all([closeRedis(queueRedis), closeRedis(jobsWorkerRedis), closeRedis(readsWorkerRedis)]),
    );
  try {
    await expectFleetFormat(jobsQueue, queueName);
  } catch (error) {
    await disconnect();
    throw error;
  }

  const counts: BatchCounts = { total: 0, started: 0, succeeded: 0, failed: 0, limitExceeded: 0, polls: 0, peakJobs: 0 };
  const subject = new Subject<BatchEvent>();
  /** Videos of this worker in the job stage, and in the read stage. */
  let running = 0;
  let reading = 0;

  /** The video of a job of either stage. */
  const planOf = (data: FleetJobData | FleetReadData) =>
    planStart(
      {
        video: { bucket: data.bucket, name: data.name, ...(data.version === undefined ? {} : { version: data.version }) },
        faceAttributes: data.faceAttributes,
        clientRequestToken: data.clientRequestToken,
        ...(options.notificationChannel === undefined ? {} : { notificationChannel: options.notificationChannel }),
      },
      'video',
    );

  /**
   * What a stage's processor throws for `error`: an outage of the limiter's Redis pauses `queue` and puts the
   * video back (no attempt counted); the last attempt, or a failure no attempt can fix, emits `failed`.
   */
  const failure = async (
    error: unknown,
    job: import('bullmq').Job,
    queue: import('bullmq').Queue,
    base: { readonly index: number; readonly video: VideoRef; readonly uri: string },
    jobId: string | undefined,
  ): Promise<Error> => {
    if ((error as { name?: unknown })?.name === 'RateLimitError') return error as Error;
    if (isRedisOutage(error) && !stop.signal.aborted) {
      // The shared TPS limiter lost its Redis (the queue's, usually: it restarts): not the video's fault. Once
      // Redis answers again (BullMQ commands wait for it), the queue pauses 1–2 s and the video goes back to
      // the queue without counting an attempt; its Rekognition job, recorded in the BullMQ job, is kept.
      await queue.rateLimit(Math.round(redisOutageDelay / 2 + (Math.random() * redisOutageDelay) / 2));
      return Worker.RateLimitError();
    }
    const err = error instanceof Error ? error : new Error(String(error));
    const final = !isRetryable(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (final) {
      counts.failed++;
      subject.next({ type: 'failed', ...base, jobId, error: err });
    }
    // Failures that another attempt cannot fix end the video at once, keeping the reason.
    if (!isRetryable(err) && !(err instanceof UnrecoverableError)) return new UnrecoverableError(describe(err));
    return err;
  };

  /**
   * The job stage (global concurrency = the fleet-wide job limit): Start (or find) the video's Rekognition job
   * and wait for its end; on success, hand the video to the read stage (same job id: a takeover's hand-off adds
   * nothing) and complete, which frees the fleet-wide slot before any page is read.
   */
  const runJob = async (job: import('bullmq').Job<FleetJobData>, _token?: string, signal?: AbortSignal): Promise<unknown> => {
    let data = job.data;
    const plan = planOf(data);
    const base = { index: data.index, video: plan.video, uri: plan.uri };
    const update = async (patch: Partial<FleetJobData>): Promise<void> => {
      data = { ...data, ...patch };
      await job.updateData(data);
    };
    counts.total++;
    running++;
    counts.peakJobs = Math.max(counts.peakJobs, running);
    subject.next({ type: 'queued', ...base });
    let jobId = data.rekognitionJobId;
    try {
      // A takeover (the video ran on a worker that died) or a retry may find its job finished already.
      const pollFirst = jobId !== undefined || job.attemptsStarted > 1 || job.attemptsMade > 0;
      if (jobId === undefined) {
        const id = await sendStart(plan, { client, policy, signal });
        if (id === undefined) {
          counts.limitExceeded++;
          const refusals = (data.refusals ?? 0) + 1;
          const firstRefusalAt = data.firstRefusalAt ?? clock.now();
          const waited = clock.now() - firstRefusalAt;
          if (waited >= slotTimeout) {
            throw new UnrecoverableError(new JobWaitTimeoutError({ video: plan.uri, waited, attempts: { polls: 0, limitExceeded: refusals } }).message);
          }
          await update({ refusals, firstRefusalAt });
          // Other applications hold job slots: the whole fleet waits (no worker starts a video meanwhile).
          const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(20, refusals - 1));
          await jobsQueue.rateLimit(Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
          subject.next({ type: 'limit-exceeded', ...base, running: running - 1 });
          throw Worker.RateLimitError();
        }
        jobId = id;
        await update({ rekognitionJobId: id, refusals: undefined, firstRefusalAt: undefined });
      }
      counts.started++;
      subject.next({ type: 'started', ...base, jobId, clientRequestToken: plan.clientRequestToken, jobTag: plan.jobTag });
      const watch = notifications?.watch({ jobId });
      let completion;
      try {
        completion = await awaitCompletion({
          jobId,
          client,
          policy,
          clock,
          settings: { ...wait, pollFirst },
          watch,
          queueUrl: notifications?.queueUrl,
          messagesReceived: () => notifications?.stats.received ?? 0,
          video: plan.uri,
          signal,
          minPause: () => (noticesWork ? wait.maxDelay : 0),
        });
      } finally {
        watch?.cancel();
      }
      if (notifications !== undefined) noticesWork = notificationsWorkAfter(noticesWork, completion.via, pollFirst);
      counts.polls += completion.polls;
      const { refusals: _r, firstRefusalAt: _f, ...video } = data;
      const read: FleetReadData = { ...video, v: FLEET_FORMAT, rekognitionJobId: jobId, via: completion.via };
      await readsQueue.add('read', read, {
        jobId: job.id!,
        attempts: job.opts.attempts ?? 1,
        backoff: job.opts.backoff ?? { type: 'exponential', delay: 2000 },
        removeOnComplete: false,
        removeOnFail: false,
      });
      return { jobId, via: completion.via };
    } catch (error) {
      throw await failure(error, job, jobsQueue, base, jobId);
    } finally {
      running--;
    }
  };

  /** The read stage (no fleet-wide limit: the TPS limiter paces it): hand the video to `write` with its checkpoint. */
  const runRead = async (job: import('bullmq').Job<FleetReadData>, token?: string): Promise<unknown> => {
    if (isolating) {
      // A suspect is read alone here: give this video back (no attempt counted) for another worker, or for this
      // one once it resumes fetching.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    let data = job.data;
    const plan = planOf(data);
    const base = { index: data.index, video: plan.video, uri: plan.uri };
    const jobId = data.rekognitionJobId;
    const suspect = job.stalledCounter > 0;
    if (suspect) await isolate();
    reading++;
    try {
      const read = { client, jobId, policy, clock };
      const event: BatchSucceededEvent = {
        type: 'succeeded',
        ...base,
        jobId,
        clientRequestToken: plan.clientRequestToken,
        jobTag: plan.jobTag,
        via: data.via,
        detections: (o: BatchReadOptions = {}) => faceDetections({ ...o, ...read }),
        pages: (o: BatchReadOptions = {}) => faceDetectionPages({ ...o, ...read }),
      };
      subject.next(event);
      const save = async (state: unknown): Promise<void> => {
        data = { ...data, checkpoint: state };
        await job.updateData(data);
      };
      const result = await write(event, { state: data.checkpoint, save });
      counts.succeeded++;
      return { jobId, via: data.via, ...(isPlainObject(result) ? result : {}) };
    } catch (error) {
      throw await failure(error, job, readsQueue, base, jobId);
    } finally {
      reading--;
      if (reading === 0) readingIdle?.();
      if (suspect) {
        isolating = false;
        if (!stop.signal.aborted) void readsWorker.resume();
      }
    }
  };

  // Isolation of suspects: a read taken over from a dead worker (`stalledCounter > 0`) may be the poison that
  // killed it. Its worker's reads were all taken over together, and an idle worker would take them together again:
  // one poison would then use up its bystanders' takeovers too. So a suspect is read alone in its worker: the
  // read stage stops fetching (a local pause), gives back any video fetched meanwhile (to the waiting list, no
  // attempt counted), waits for the reads in progress, then reads the suspect and resumes. A bystander is then
  // killed at most once more (by a poison on its first, unsuspected read).
  let isolating = false;
  let readingIdle: (() => void) | undefined;
  const isolate = async (): Promise<void> => {
    isolating = true;
    void readsWorker.pause(true);
    while (reading > 0) await new Promise<void>((resolve) => (readingIdle = resolve));
    readingIdle = undefined;
  };

  const workerOptions = { ...prefix, name, lockDuration, stalledInterval, maxStalledCount, autorun: false };
  // The job stage only starts jobs and polls their status (no video data): it cannot be a poison, so a takeover of
  // a job is not held against the video as often (a worker dying for another reason takes its jobs down with it).
  const jobsWorker = new Worker<FleetJobData>(queueName, runJob, {
    ...workerOptions,
    maxStalledCount: Math.max(JOB_STAGE_MAX_STALLED, maxStalledCount),
    connection: jobsWorkerRedis,
    concurrency,
  });
  const readsWorker = new Worker<FleetReadData>(readsQueueName(queueName), runRead, {
    ...workerOptions,
    connection: readsWorkerRedis,
    concurrency: readConcurrency,
  });
  jobsWorker.on('error', ignoreConnectionError);
  readsWorker.on('error', ignoreConnectionError);

  let closing: Promise<Readonly<BatchCounts>> | undefined;
  const stop = new AbortController();
  const close = (): Promise<Readonly<BatchCounts>> =>
    (closing ??= (async () => {
      stop.abort();
      options.signal?.removeEventListener('abort', onAbort);
      // The job stage first: a video it hands over while closing is read by this worker's read stage.
      await jobsWorker.close();
      await readsWorker.close();
      await disconnect();
      const final = { ...counts };
      subject.next({ type: 'done', counts: final });
      subject.complete();
      return final;
    })());
  const onAbort = (): void => void close();
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  await Promise.all([jobsWorker.waitUntilReady(), readsWorker.waitUntilReady()]);
  void jobsWorker.run().catch(() => void close());
  void readsWorker.run().catch(() => void close());
  if (options.exitWhenDrained === true) {
    void (async () => {
      while (!stop.signal.aborted) {
        try {
          await clock.sleep(drainCheckInterval, stop.signal);
        } catch {
          return;
        }
        if (running + reading > 0) continue;
        const c = await Promise.all([jobsQueue.getJobCounts(...ALL_STATES), readsQueue.getJobCounts(...ALL_STATES)]).catch(() => undefined);
        // Drained: nothing left to run in either stage, and a batch was there (workers started before the enqueue
        // wait for it).
        const drained = c?.every(({ completed = 0, failed = 0, ...left }) => Object.values(left).every((n) => n === 0));
        if (c !== undefined && drained === true && (c[0].completed ?? 0) + (c[0].failed ?? 0) > 0) {
          void close();
          return;
        }
      }
    })();
  }

  let closedResolve: (value: Readonly<BatchCounts>) => void = () => {};
  const closed = new Promise<Readonly<BatchCounts>>((resolve) => (closedResolve = resolve));
  subject.subscribe({ complete: () => closedResolve({ ...counts }) });
  return {
    events: subject.asObservable(),
    get counts() {
      return counts;
    },
    closed,
    close,
  };
}

/** Takeovers of a video's job stage before it fails (at least). */
const JOB_STAGE_MAX_STALLED = 10;

/** Pause of the queue after the limiter's Redis failed (ms, halved and jittered). */
const redisOutageDelay = 2000;

/** Whether `error` (or a cause of it) is the Redis limiter failing: `RedisLimiterError`. */
function isRedisOutage(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { name?: unknown }).name === 'RedisLimiterError') return true;
  }
  return false;
}

/** Errors worth another attempt: service faults and the like; not a failed job, a refused Start or bad input. */
function isRetryable(error: Error): boolean {
  if (error.name === 'UnrecoverableError') return false;
  if (!isFaceStreamError(error)) return true;
  if (error.code.startsWith('ERR_START_')) return /THROTTL|INTERNAL|PROVISIONED|UNAVAILABLE|TIMEOUT|NETWORK/.test(error.code);
  return !['ERR_JOB_FAILED', 'ERR_INVALID_PARAMETER', 'ERR_JOB_WAIT_TIMEOUT'].includes(error.code);
}

function describe(error: Error): string {
  return isFaceStreamError(error) ? error.message : `${error.name}: ${error.message}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

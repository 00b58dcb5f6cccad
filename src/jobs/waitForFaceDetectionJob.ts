import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { type Clock, systemClock } from '../core/Clock.js';
import { JobFailedError } from '../errors/JobFailedError.js';
import { JobWaitTimeoutError } from '../errors/JobWaitTimeoutError.js';
import { expectNumber, expectObject, expectString } from '../internal/validate.js';
import { defaultPolicy } from '../resilience/defaultPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';
import { createRekognitionClient } from '../source/createRekognitionClient.js';
import { JOB_ID_PATTERN } from '../source/sourceRuntime.js';
import type { GetFaceDetectionResponse, RekognitionLike } from '../types.js';
import type { JobNotification } from './parseJobNotification.js';
import { expectNotifications, type JobNotifications, type NotificationWatch } from './sqsJobNotifications.js';

/** The polling schedule of a job wait (ms). */
export interface JobPollOptions {
  /**
   * Delay before the first status poll (and between the first polls).
   * @default 5000 without notifications, 60_000 with them
   */
  readonly minDelay?: number;
  /**
   * Longest delay between polls.
   * @default 30_000 without notifications, 300_000 with them
   */
  readonly maxDelay?: number;
  /**
   * Growth of the delay after each poll.
   * @default 1.5
   */
  readonly factor?: number;
}

/** Options of {@link waitForFaceDetectionJob}. Durations in ms. */
export interface WaitForFaceDetectionJobOptions {
  /** The job. */
  readonly jobId: string;
  /**
   * Any `{ send }` Rekognition client.
   * @default createRekognitionClient()
   */
  readonly client?: RekognitionLike;
  /**
   * How status polls are run (they share the `GetFaceDetection` limiter with page reads).
   * @default defaultPolicy(client)
   */
  readonly policy?: RequestPolicy;
  /**
   * Completion notifications (SQS). Polling stays on, slower, as a fallback.
   * @default undefined (poll only)
   */
  readonly notifications?: JobNotifications;
  /**
   * Poll at once instead of after `minDelay`. Use it after an idempotent restart: a Start that reused its
   * token publishes no notification, and the job may be finished already.
   * @default false
   */
  readonly pollFirst?: boolean;
  /** The polling schedule. */
  readonly poll?: JobPollOptions;
  /**
   * Deadline of the wait: then `JobWaitTimeoutError` naming the job and what was tried.
   * @default 3_600_000 (1 hour)
   */
  readonly timeout?: number;
  /** The video, for messages (e.g. `s3://bucket/key`). @default undefined */
  readonly video?: string;
  /** Aborts the wait. */
  readonly signal?: AbortSignal;
  /**
   * Time source of polling and the deadline.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** How a job ended. */
export interface JobCompletion {
  /** The job. */
  readonly jobId: string;
  /** `SUCCEEDED` (a `FAILED` job rejects with `JobFailedError`). */
  readonly status: 'SUCCEEDED';
  /** What told us: a notification or a status poll. */
  readonly via: 'notification' | 'poll';
  /** Status polls sent. */
  readonly polls: number;
  /** Time waited (ms). */
  readonly waited: number;
}

/** Resolved wait settings (internal). */
export interface ResolvedWait {
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly timeout: number;
  readonly pollFirst: boolean;
}

/** Validates and resolves the wait settings (defaults depend on whether notifications are used). */
export function resolveWait(
  options: { readonly poll?: JobPollOptions | undefined; readonly timeout?: number | undefined; readonly pollFirst?: boolean | undefined },
  notified: boolean,
  prefix = '',
  timeoutName = 'timeout',
): ResolvedWait {
  const poll = options.poll ?? {};
  expectObject(`${prefix}poll`, poll);
  const minDelay = expectNumber(`${prefix}poll.minDelay`, poll.minDelay ?? (notified ? 60_000 : 5000), 0);
  const maxDelay = Math.max(minDelay, expectNumber(`${prefix}poll.maxDelay`, poll.maxDelay ?? (notified ? 300_000 : 30_000), 0));
  const factor = expectNumber(`${prefix}poll.factor`, poll.factor ?? 1.5, 1);
  const timeout = expectNumber(`${prefix}${timeoutName}`, options.timeout ?? 3_600_000, 0);
  return { minDelay, maxDelay, factor, timeout, pollFirst: options.pollFirst === true };
}

/**
 * Waits until a face-detection job has finished: by notification when `notifications` (an SQS queue subscribed
 * to the job's SNS topic) is given, and always by a slow status poll (`GetFaceDetection`, `MaxResults: 1`,
 * through the request policy and so the shared limiter) as a fallback, so a misconfigured topic, a lost
 * message or an idempotent restart (no second notification) cannot make it wait forever. Honours a deadline.
 *
 * Resolves on `SUCCEEDED`; rejects with `JobFailedError` (with the service's `StatusMessage`) on `FAILED`,
 * `JobWaitTimeoutError` (naming the job, the polls and the queue) at the deadline, a classified `ServiceError`
 * for e.g. an unknown job, an `AbortError` when `signal` aborts.
 *
 * @example
 * ```ts
 * import { createRekognitionClient, waitForFaceDetectionJob } from 'rekognition-face-stream';
 *
 * const client = createRekognitionClient();
 * const done = await waitForFaceDetectionJob({ client, jobId: 'my-job-id', timeout: 30 * 60_000 });
 * console.log(done.via, done.polls);
 * ```
 */
export async function waitForFaceDetectionJob(options: WaitForFaceDetectionJobOptions): Promise<JobCompletion> {
  expectObject('options', options);
  const jobId = expectString('jobId', options.jobId, { minLength: 1, maxLength: 64, pattern: JOB_ID_PATTERN });
  expectNotifications(options.notifications);
  const settings = resolveWait(options, options.notifications !== undefined);
  const client = options.client ?? createRekognitionClient();
  const watch = options.notifications?.watch({ jobId });
  try {
    return await awaitCompletion({
      jobId,
      client,
      policy: options.policy ?? defaultPolicy(client),
      clock: options.clock ?? systemClock,
      settings,
      watch,
      queueUrl: options.notifications?.queueUrl,
      messagesReceived: () => options.notifications?.stats.received ?? 0,
      video: options.video,
      signal: options.signal,
    });
  } finally {
    watch?.cancel();
  }
}

/**
 * Whether completion notifications work after a job ended `via` a notification or a poll, given what was known
 * before (`previous`). A job polled first may have been started by an earlier run (a reused token publishes
 * nothing new): its poll says nothing about the notifications. The batch and the fleet's workers make their
 * fallback polls wait `maxDelay` while this holds.
 */
export function notificationsWorkAfter(previous: boolean, via: 'notification' | 'poll', pollFirst: boolean): boolean {
  return via === 'notification' || !pollFirst ? via === 'notification' : previous;
}

/** The engine of a job wait (internal; also used by the batch runner with a watch registered before Start). */
export async function awaitCompletion(context: {
  readonly jobId: string;
  readonly client: RekognitionLike;
  readonly policy: RequestPolicy;
  readonly clock: Clock;
  readonly settings: ResolvedWait;
  readonly watch: NotificationWatch | undefined;
  readonly queueUrl: string | undefined;
  readonly messagesReceived: () => number;
  readonly video: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onPoll?: () => void;
  /**
   * Shortest pause between fallback polls, read before each pause (the batch answers `maxDelay` while its
   * notifications are known to work, so that fallback polls leave the shared TPS to page reads).
   */
  readonly minPause?: () => number;
}): Promise<JobCompletion> {
  const { jobId, client, policy, clock, settings, watch, signal } = context;
  const started = clock.now();
  const receivedAtStart = context.messagesReceived();
  let polls = 0;
  let lastStatus: string | undefined;
  let notice: JobNotification | undefined;
  watch?.notification.then((n) => {
    notice = n;
  });

  const poll = async (): Promise<GetFaceDetectionResponse> => {
    polls++;
    context.onPoll?.();
    const response = (await policy.execute({
      operation: 'GetFaceDetection',
      attempt: (attemptSignal) => client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: 1 }), { abortSignal: attemptSignal }),
      signal,
      context: { jobId, purpose: 'status' },
    })) as GetFaceDetectionResponse;
    lastStatus = response.JobStatus;
    return response;
  };
  const done = (via: 'notification' | 'poll'): JobCompletion => ({ jobId, status: 'SUCCEEDED', via, polls, waited: clock.now() - started });
  const settle = async (response: GetFaceDetectionResponse, via: 'notification' | 'poll'): Promise<JobCompletion | undefined> => {
    if (response.JobStatus === 'SUCCEEDED') return done(via);
    if (response.JobStatus === 'FAILED') throw new JobFailedError(jobId, response.StatusMessage);
    return undefined;
  };

  let delay = settings.minDelay;
  let pollNow = settings.pollFirst;
  for (;;) {
    if (notice !== undefined) {
      if (notice.status === 'SUCCEEDED') return done('notification');
      // FAILED or ERROR: one status request for the service's StatusMessage (and to be sure).
      const response = await poll();
      const result = await settle(response, 'notification');
      if (result) return result;
      if (notice.status === 'ERROR') throw new JobFailedError(jobId, `notification status ERROR (job ${response.JobStatus ?? 'unknown'})`);
      notice = undefined; // an unexpected status while the job is in progress: keep waiting
    }
    if (pollNow) {
      const result = await settle(await poll(), 'poll');
      if (result) return result;
    }
    const waited = clock.now() - started;
    if (waited >= settings.timeout) {
      throw new JobWaitTimeoutError({
        jobId,
        video: context.video,
        waited,
        attempts: {
          polls,
          lastStatus,
          queueUrl: context.queueUrl,
          messagesReceived: context.messagesReceived() - receivedAtStart,
        },
      });
    }
    // Whole ms for the rest of the budget: a sub-ms remainder can vanish in `now + ms` and never reach the timeout.
    const pause = Math.min(Math.max(delay, context.minPause?.() ?? 0), Math.ceil(settings.timeout - waited));
    const timer = new AbortController();
    const onAbort = () => timer.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const slept = clock.sleep(pause, timer.signal).then(
        () => 'timer' as const,
        () => 'aborted' as const,
      );
      const outcome = watch ? await Promise.race([slept, watch.notification.then(() => 'notice' as const)]) : await slept;
      pollNow = outcome === 'timer';
      if (outcome === 'timer') delay = Math.min(delay * settings.factor, settings.maxDelay);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      timer.abort();
    }
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
  }
}

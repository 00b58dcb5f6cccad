import type {
  DeleteMessageCommandInput,
  Message,
  ReceiveMessageCommandInput,
  ReceiveMessageCommandOutput,
} from '@aws-sdk/client-sqs';
import { type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectInteger, expectNumber, expectObject, expectString } from '../internal/validate.js';
import { directPolicy } from '../resilience/directPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';
import { type JobNotification, parseJobNotification } from './parseJobNotification.js';

/**
 * The structural SQS client the library accepts: anything with the SDK's `send(command, options)`, e.g. an
 * `SQSClient` of `@aws-sdk/client-sqs` (an optional peer dependency, loaded only when notifications are used).
 */
export interface SqsLike {
  send(command: any, options?: { abortSignal?: AbortSignal | undefined }): Promise<any>;
}

/** Options of {@link sqsJobNotifications}. Durations in ms. */
export interface SqsJobNotificationsOptions {
  /** The SQS client (e.g. `new SQSClient({ region })`). */
  readonly sqs: SqsLike;
  /** The queue subscribed to the jobs' SNS topic. */
  readonly queueUrl: string;
  /**
   * Long-poll wait of each `ReceiveMessage` (rounded up to whole seconds, 0–20).
   * @default 20_000
   */
  readonly waitTime?: number;
  /**
   * Visibility timeout of received messages (whole seconds). Messages of other jobs are not deleted: they
   * become visible to their owner again after this long.
   * @default 10_000
   */
  readonly visibilityTimeout?: number;
  /**
   * Messages per `ReceiveMessage` (1–10).
   * @default 10
   */
  readonly maxMessages?: number;
  /**
   * How the SQS requests are run (retries). Operation keys are `SQS.ReceiveMessage` and `SQS.DeleteMessage`.
   * @default directPolicy (the pump itself backs off after a failed receive)
   */
  readonly policy?: RequestPolicy;
  /**
   * Time source of the pump's backoff.
   * @default systemClock
   */
  readonly clock?: Clock;
  /** Called with each error of a receive or delete (the pump keeps going; polling covers the gap). */
  readonly onError?: (error: unknown) => void;
}

/** One job waited for by notification. */
export interface NotificationWatch {
  /** Resolves with the job's completion notification (never rejects; pending forever if none arrives). */
  readonly notification: Promise<JobNotification>;
  /** Sets the job id once Start returned (a notice that arrived earlier under the job tag is then checked). */
  setJobId(jobId: string): void;
  /** Stops waiting (the pump stops when nothing is watched). */
  cancel(): void;
}

/** Completion notifications of the jobs of this process, read from an SQS queue. */
export interface JobNotifications {
  /** The queue URL (for messages). */
  readonly queueUrl: string;
  /** Counters: messages received, matched (ours), deleted, foreign (left in the queue), duplicates, errors. */
  readonly stats: Readonly<JobNotificationStats>;
  /**
   * Watches for the completion of the job with this tag (call it before `StartFaceDetection`, so a fast job's
   * notification is not missed) and, once known, this id.
   */
  watch(job: { readonly jobTag?: string | undefined; readonly jobId?: string | undefined }): NotificationWatch;
  /**
   * Loads `@aws-sdk/client-sqs` now instead of on the first watch: resolves once it is loaded, rejects with an
   * `InvalidParameterError` (parameter `sqs`) when it is not installed. Await it at start-up to fail early.
   */
  ready(): Promise<void>;
  /**
   * Stops the pump: aborts a long poll in flight and resolves once the deletes of messages already received
   * have settled (they are not aborted: a notification that was handled is removed from the queue, not handed
   * to the next consumer after its visibility timeout). Destroy your SQS client only after it resolves.
   */
  close(): Promise<void>;
}

/** Counters of a {@link JobNotifications}. */
export interface JobNotificationStats {
  receives: number;
  received: number;
  matched: number;
  deleted: number;
  duplicates: number;
  foreign: number;
  errors: number;
}

interface Watcher {
  jobId: string | undefined;
  readonly jobTag: string | undefined;
  early: JobNotification | undefined;
  readonly resolve: (notice: JobNotification) => void;
  done: boolean;
}

/** Jobs whose notification was consumed, remembered so that duplicates are deleted (bounded). */
const FINISHED_MEMORY = 4096;

/**
 * Reads Rekognition Video completion notifications from the SQS queue subscribed to the jobs' SNS topic, and
 * routes them to the jobs this process waits for. One pump per queue: `ReceiveMessage` long polls only while
 * something is watched.
 *
 * - SNS envelope and raw message delivery are both parsed, leniently (`parseJobNotification`).
 * - Only messages of watched jobs (by JobId, or by JobTag while the JobId is not known yet) are acted on and
 *   deleted. **Every other message is left in the queue** (not deleted, its visibility not extended: it
 *   reappears for its owner after `visibilityTimeout`) — unlike AWS's JavaScript sample, which deletes them.
 * - Duplicates (SNS delivers at least once) of a job already notified are deleted and ignored.
 * - A failed receive is retried with backoff; waits keep their polling fallback, so a broken queue delays,
 *   and never loses, a completion.
 *
 * `@aws-sdk/client-sqs` must be installed (an optional peer dependency); it is imported on the first watch, or
 * by `ready()`.
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { sqsJobNotifications } from 'rekognition-face-stream';
 *
 * const notifications = sqsJobNotifications({ sqs: new SQSClient({}), queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/rekognition' });
 * await notifications.ready(); // fails here, not later, without @aws-sdk/client-sqs
 * const watch = notifications.watch({ jobId: 'my-job-id' });
 * const notice = await watch.notification; // { jobId, status: 'SUCCEEDED', … }
 * await notifications.close(); // then sqs.destroy()
 * ```
 */
export function sqsJobNotifications(options: SqsJobNotificationsOptions): JobNotifications {
  expectObject('options', options);
  if (typeof (options.sqs as { send?: unknown })?.send !== 'function') {
    throw new InvalidParameterError('sqs', 'an SQS client (an object with send(command, options))', options.sqs);
  }
  const queueUrl = expectString('queueUrl', options.queueUrl, { minLength: 1, pattern: /^https?:\/\/\S+$/ });
  const waitSeconds = Math.ceil(expectNumber('waitTime', options.waitTime ?? 20_000, 0, 20_000) / 1000);
  const visibilitySeconds = Math.ceil(expectNumber('visibilityTimeout', options.visibilityTimeout ?? 10_000, 0, 43_200_000) / 1000);
  const maxMessages = expectInteger('maxMessages', options.maxMessages ?? 10, 1, 10);
  const policy = options.policy ?? directPolicy;
  const clock = options.clock ?? systemClock;
  const { sqs, onError } = options;

  const byId = new Map<string, Watcher>();
  const byTag = new Map<string, Set<Watcher>>();
  const finished = new Set<string>();
  const stats: JobNotificationStats = { receives: 0, received: 0, matched: 0, deleted: 0, duplicates: 0, foreign: 0, errors: 0 };
  let watching = 0;
  let pump: AbortController | undefined;
  /** Settles when the current pump has stopped (after its deletes in flight). */
  let pumped: Promise<void> = Promise.resolve();
  let closed = false;
  let commands: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;

  const loadCommands = () => {
    commands ??= import('@aws-sdk/client-sqs').catch((error: unknown) => {
      throw new InvalidParameterError('sqs', 'usable with @aws-sdk/client-sqs installed (npm install @aws-sdk/client-sqs)', undefined, {
        cause: error,
      });
    });
    return commands;
  };

  const remember = (jobId: string) => {
    finished.add(jobId);
    if (finished.size > FINISHED_MEMORY) finished.delete(finished.values().next().value!);
  };

  const finish = (watcher: Watcher, notice: JobNotification) => {
    if (watcher.done) return;
    watcher.done = true;
    remove(watcher);
    remember(notice.jobId);
    watcher.resolve(notice);
  };

  const remove = (watcher: Watcher) => {
    if (watcher.jobId !== undefined && byId.get(watcher.jobId) === watcher) byId.delete(watcher.jobId);
    if (watcher.jobTag !== undefined) {
      const set = byTag.get(watcher.jobTag);
      set?.delete(watcher);
      if (set?.size === 0) byTag.delete(watcher.jobTag);
    }
    watching--;
    if (process.env.DBG) console.log('remove', watcher.jobId?.slice(0,6), watching, new Error().stack?.split('\n').slice(2,5).join(' | '));
    if (watching === 0) pump?.abort();
  };

  /** Routes one message; returns true when it is ours (to delete). */
  const route = (message: Message): boolean => {
    const notice = parseJobNotification(message.Body);
    if (process.env.DBG) console.log('route', notice?.jobId.slice(0,6), notice?.jobTag?.slice(0,10), [...byId.keys()].map(k=>k.slice(0,6)), [...byTag.entries()].map(([k,v])=>[k.slice(0,10),[...v].map(w=>w.jobId?.slice(0,6))]), watching);
    if (notice === undefined) {
      stats.foreign++;
      return false;
    }
    const watcher = byId.get(notice.jobId);
    if (watcher) {
      stats.matched++;
      finish(watcher, notice);
      return true;
    }
    if (finished.has(notice.jobId)) {
      stats.duplicates++;
      return true;
    }
    const tagged = notice.jobTag === undefined ? undefined : byTag.get(notice.jobTag);
    const pending = tagged === undefined ? undefined : [...tagged].find((w) => w.jobId === undefined);
    if (pending) {
      // Start has not returned yet: keep the notice until the job id confirms it is this job's. The message
      // stays in the queue; once the id is known, its redelivery is a duplicate and is deleted then.
      pending.early = notice;
      return false;
    }
    stats.foreign++;
    return false;
  };

  const run = async (controller: AbortController): Promise<void> => {
    const sdk = await loadCommands();
    let failures = 0;
    while (!controller.signal.aborted && watching > 0) {
      const input: ReceiveMessageCommandInput = {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: visibilitySeconds,
      };
      let output: ReceiveMessageCommandOutput;
      try {
        stats.receives++;
        output = (await policy.execute({
          operation: 'SQS.ReceiveMessage',
          attempt: (signal) => sqs.send(new sdk.ReceiveMessageCommand(input), { abortSignal: signal }),
          signal: controller.signal,
          context: { queueUrl },
        })) as ReceiveMessageCommandOutput;
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) return;
        stats.errors++;
        onError?.(error);
        failures++;
        await clock.sleep(Math.min(30_000, 500 * 2 ** Math.min(6, failures)), controller.signal).catch(() => undefined);
        continue;
      }
      for (const message of output.Messages ?? []) {
        stats.received++;
        if (!route(message) || message.ReceiptHandle === undefined) continue;
        const del: DeleteMessageCommandInput = { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle };
        // Not awaited in sequence with the next receive's routing, but awaited before it is sent.
        try {
          await policy.execute({
            operation: 'SQS.DeleteMessage',
            attempt: (signal) => sqs.send(new sdk.DeleteMessageCommand(del), { abortSignal: signal }),
            context: { queueUrl },
          });
          stats.deleted++;
        } catch (error) {
          stats.errors++;
          onError?.(error);
        }
      }
    }
  };

  const ensurePump = () => {
    if (pump !== undefined || closed) return;
    const controller = new AbortController();
    pump = controller;
    pumped = run(controller)
      .catch((error: unknown) => {
        stats.errors++;
        onError?.(error);
      })
      .finally(() => {
        if (pump === controller) pump = undefined;
        if (watching > 0 && !closed) ensurePump();
      });
  };

  return {
    queueUrl,
    stats,
    watch(job) {
      if (closed) throw new InvalidParameterError('notifications', 'open (close() was called)', 'closed');
      let resolve!: (notice: JobNotification) => void;
      const notification = new Promise<JobNotification>((r) => {
        resolve = r;
      });
      const watcher: Watcher = { jobId: undefined, jobTag: job.jobTag, early: undefined, resolve, done: false };
      watching++;
      if (watcher.jobTag !== undefined) {
        let set = byTag.get(watcher.jobTag);
        if (!set) byTag.set(watcher.jobTag, (set = new Set()));
        set.add(watcher);
      }
      const setJobId = (jobId: string) => {
        if (watcher.done) return;
        watcher.jobId = jobId;
        byId.set(jobId, watcher);
        if (watcher.early?.jobId === jobId) finish(watcher, watcher.early);
        watcher.early = undefined;
      };
      if (job.jobId !== undefined) setJobId(job.jobId);
      ensurePump();
      return {
        notification,
        setJobId,
        cancel() {
          if (watcher.done) return;
          watcher.done = true;
          remove(watcher);
        },
      };
    },
    ready: () => loadCommands().then(() => undefined),
    close() {
      closed = true;
      pump?.abort();
      return pumped;
    },
  };
}

/** `value` as an optional {@link JobNotifications} option, or an `InvalidParameterError` naming `notifications`. */
export function expectNotifications(value: JobNotifications | undefined): JobNotifications | undefined {
  if (value !== undefined && typeof value?.watch !== 'function') {
    throw new InvalidParameterError('notifications', 'a JobNotifications (e.g. sqsJobNotifications(…))', value);
  }
  return value;
}

import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectFunction, expectInteger, expectNumber, expectObject, expectString } from '../internal/validate.js';
import { defaultPolicy } from '../resilience/defaultPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';
import type { GetFaceDetectionRequest, GetFaceDetectionResponse, RekognitionLike } from '../types.js';
import { createRekognitionClient } from './createRekognitionClient.js';
import type { FaceDetectionPage, JobInfo } from './FaceDetectionPage.js';
import { checkPage } from './checkPage.js';
import { createPageCursor } from './pageCursor.js';
import { PagePump } from './PagePump.js';
import { createSourceStats } from './SourceStats.js';
import type { StreamRuntime } from './SourceStream.js';
import {
  type ResolvedWaitForJob,
  WAIT_FOR_JOB_DEFAULTS,
  type WaitForJobOptions,
  type WaitForJobTimings,
  waitingForJob,
} from './waitForJob.js';

/** Options of `faceDetections` and `faceDetectionPages`. Durations in ms. */
export interface FaceSourceOptions {
  /** The Rekognition Video job (`JobId` returned by `StartFaceDetection`): 1–64 characters of `[a-zA-Z0-9-_]`. */
  readonly jobId: string;
  /**
   * Any object with the SDK's `send(command, { abortSignal })`, e.g. a `RekognitionClient`.
   * @default a client from the standard AWS credential and region chain (`createRekognitionClient()`), made at
   * the first subscription
   */
  readonly client?: RekognitionLike;
  /**
   * Detections per page (`MaxResults`); values above 1000 are clamped to 1000, like the service does.
   * @default 1000
   */
  readonly maxResults?: number;
  /**
   * The most detections held in the stream's buffer; at least `maxResults`.
   * @default 2 × maxResults
   */
  readonly highWaterMark?: number;
  /**
   * The next page is requested only when the buffer has fallen to this many detections (and a page fits under
   * `highWaterMark`).
   * @default highWaterMark − maxResults
   */
  readonly lowWaterMark?: number;
  /** Aborts the stream: the request in flight is aborted and the stream errors with an `AbortError`. */
  readonly signal?: AbortSignal;
  /**
   * Resume from this `NextToken` (a {@link Checkpoint}'s `startingToken`), at most 255 characters.
   * @default undefined (the first page)
   */
  readonly startingToken?: string;
  /**
   * Detections delivered before `startingToken` (a checkpoint's `startingCount`). Continues the running count and
   * lets an expired starting token be recovered.
   * @default undefined (unknown: an expired starting token is then an error)
   */
  readonly startingCount?: number;
  /**
   * How every request is executed (rate limit, retries, error classification).
   * @default defaultPolicy(client): the shared adaptive retry and rate-limit policy of the client
   */
  readonly policy?: RequestPolicy;
  /**
   * What to do while the job is `IN_PROGRESS`: `true` polls with backoff (through `policy`), `false` fails fast
   * with `JobNotReadyError`, an object tunes the polling (and `onWait` hears of each wait).
   * @default true (timeout 1 h, delays 1 s doubling to 30 s)
   */
  readonly waitForJob?: boolean | WaitForJobOptions;
  /**
   * How many times in a row an expired pagination token (`InvalidPaginationTokenException`) is recovered by
   * re-reading from the first page and skipping what was already delivered, without a detection delivered in
   * between. A recovery after progress starts the count again, so a long job may recover any number of times.
   * @default 3
   */
  readonly maxTokenRecoveries?: number;
  /**
   * How many pages in a row may bring no detection later than the ones before them (empty pages that each
   * carry a new `NextToken`, or old detections again) before the stream fails with `PaginationError`
   * `NO_PROGRESS`; such pages are also paced (up to 250 ms apart). A real job never comes near: a video frame
   * has at most 100 faces, so only `maxResults` below 1 page per frame repeats a timestamp at all.
   * @default 100
   */
  readonly maxPagesWithoutProgress?: number;
  /**
   * Source of time for job-wait polling and for pacing pages without progress.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The `JobId` pattern of the service model. */
export const JOB_ID_PATTERN = /^[a-zA-Z0-9-_]+$/;
/** The service's `MaxResults` ceiling. */
export const MAX_RESULTS_LIMIT = 1000;

/**
 * Validates `options` (before anything is sent) and returns the runtime of a stream: a factory of runs, each a
 * {@link PagePump} over a page cursor whose requests go through the policy with the run's abort signal.
 */
export function createSourceRuntime(options: FaceSourceOptions): StreamRuntime {
  expectObject('options', options);
  const jobId = expectString('jobId', options.jobId, { minLength: 1, maxLength: 64, pattern: JOB_ID_PATTERN });
  const requested = options.maxResults === undefined ? MAX_RESULTS_LIMIT : expectInteger('maxResults', options.maxResults, 1);
  const maxResults = Math.min(requested, MAX_RESULTS_LIMIT);
  const highWaterMark =
    options.highWaterMark === undefined ? 2 * maxResults : expectInteger('highWaterMark', options.highWaterMark, maxResults);
  const lowWaterMark =
    options.lowWaterMark === undefined
      ? highWaterMark - maxResults
      : expectInteger('lowWaterMark', options.lowWaterMark, 0, highWaterMark);
  const startingToken =
    options.startingToken === undefined
      ? undefined
      : expectString('startingToken', options.startingToken, { minLength: 1, maxLength: 255 });
  const startingCount =
    options.startingCount === undefined ? undefined : expectInteger('startingCount', options.startingCount, 0);
  if (startingCount !== undefined && startingToken === undefined) {
    throw new InvalidParameterError('startingCount', 'given only together with `startingToken` (a checkpoint)', startingCount);
  }
  const maxTokenRecoveries =
    options.maxTokenRecoveries === undefined ? 3 : expectInteger('maxTokenRecoveries', options.maxTokenRecoveries, 0);
  const maxPagesWithoutProgress =
    options.maxPagesWithoutProgress === undefined
      ? 100
      : expectInteger('maxPagesWithoutProgress', options.maxPagesWithoutProgress, 1);
  const wait = resolveWait(options.waitForJob);
  const { signal } = options;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean')) {
    throw new InvalidParameterError('signal', 'an AbortSignal', signal);
  }
  if (options.client !== undefined && typeof (options.client as { send?: unknown })?.send !== 'function') {
    throw new InvalidParameterError('client', 'an object with a send(command, options) method', options.client);
  }
  if (options.policy !== undefined && typeof (options.policy as { execute?: unknown })?.execute !== 'function') {
    throw new InvalidParameterError('policy', 'a RequestPolicy (an object with execute(request))', options.policy);
  }
  if (options.clock !== undefined && typeof (options.clock as { sleep?: unknown })?.sleep !== 'function') {
    throw new InvalidParameterError('clock', 'a Clock (an object with now() and sleep(ms, signal))', options.clock);
  }
  const clock = options.clock ?? systemClock;

  let client = options.client;
  let policy = options.policy;
  const stats = createSourceStats();
  let job: JobInfo | undefined;

  const start = (): PagePump<FaceDetectionPage> => {
    client ??= createRekognitionClient();
    policy ??= defaultPolicy(client);
    const send = client;
    const execute = policy;
    const request = (token: string | undefined, runSignal: AbortSignal): Promise<GetFaceDetectionResponse> => {
      stats.requests++;
      const input: GetFaceDetectionRequest =
        token === undefined ? { JobId: jobId, MaxResults: maxResults } : { JobId: jobId, MaxResults: maxResults, NextToken: token };
      return execute.execute({
        operation: 'GetFaceDetection',
        attempt: async (attemptSignal) =>
          checkPage(await send.send(new GetFaceDetectionCommand(input), { abortSignal: attemptSignal }), jobId),
        signal: runSignal,
        context: { jobId },
      });
    };
    const pump = new PagePump<FaceDetectionPage>({
      fetch: createPageCursor({
        jobId,
        getPage: waitingForJob(request, { jobId, wait, clock, onPoll: () => stats.polls++ }),
        startingToken,
        startingCount,
        maxTokenRecoveries,
        maxPagesWithoutProgress,
        clock,
        onRecovery: () => stats.recoveries++,
        onJob: (info) => {
          job = info;
        },
      }),
      sizeOf: (page) => page.Faces.length,
      pageSize: maxResults,
      highWaterMark,
      lowWaterMark,
      stats,
      signal,
    });
    return pump;
  };

  return { start, stats, job: () => job };
}

function resolveWait(option: boolean | WaitForJobOptions | undefined): ResolvedWaitForJob {
  if (option === undefined || option === true) return WAIT_FOR_JOB_DEFAULTS;
  if (option === false) return undefined;
  expectObject('waitForJob', option);
  const pick = (key: keyof WaitForJobTimings, min: number): number =>
    option[key] === undefined ? WAIT_FOR_JOB_DEFAULTS[key] : expectNumber(`waitForJob.${key}`, option[key], min);
  const minDelay = pick('minDelay', 0);
  const onWait = option.onWait === undefined ? undefined : expectFunction<NonNullable<WaitForJobOptions['onWait']>>('waitForJob.onWait', option.onWait);
  return {
    timeout: pick('timeout', 0),
    minDelay,
    maxDelay: Math.max(minDelay, pick('maxDelay', 0)),
    factor: pick('factor', 1),
    ...(onWait === undefined ? {} : { onWait }),
  };
}

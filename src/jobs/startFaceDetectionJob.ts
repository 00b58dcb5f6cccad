import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { JobWaitTimeoutError } from '../errors/JobWaitTimeoutError.js';
import { StartJobError } from '../errors/StartJobError.js';
import { ServiceError } from '../errors/ServiceError.js';
import { expectNumber, expectObject, expectString } from '../internal/validate.js';
import { defaultPolicy } from '../resilience/defaultPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';
import { createRekognitionClient } from '../source/createRekognitionClient.js';
import type { RekognitionLike, StartFaceDetectionRequest } from '../types.js';
import { CLIENT_REQUEST_TOKEN_PATTERN, JOB_TAG_PATTERN, jobIdentity } from './jobIdentity.js';
import { parseVideo, type VideoRef, videoUri } from './VideoRef.js';

/** Where the service publishes the job's completion (an SNS topic, usually subscribed by an SQS queue). */
export interface NotificationChannel {
  /** The SNS topic ARN (with `AmazonRekognitionServiceRole`, its name must start with `AmazonRekognition`). */
  readonly snsTopicArn: string;
  /** The IAM role Rekognition assumes to publish to the topic. */
  readonly roleArn: string;
}

/** The job parameters shared by {@link startFaceDetectionJob} and `faceDetectionBatch`. */
export interface FaceDetectionJobParameters {
  /**
   * Face attributes to return: `DEFAULT` (box, confidence, pose, quality, landmarks) or `ALL`.
   * @default 'DEFAULT'
   */
  readonly faceAttributes?: 'DEFAULT' | 'ALL';
  /**
   * Publish completion to this SNS topic.
   * @default undefined (no notification; wait by polling)
   */
  readonly notificationChannel?: NotificationChannel;
}

/** Options of {@link startFaceDetectionJob}. Durations in ms. */
export interface StartFaceDetectionJobOptions extends FaceDetectionJobParameters {
  /** The video: `s3://bucket/key` or `{ bucket, name, version? }`. */
  readonly video: string | VideoRef;
  /**
   * Any `{ send }` Rekognition client; give it `maxAttempts: 1` (the policy retries, and the SDK would retry
   * `LimitExceededException` as throttling).
   * @default createRekognitionClient()
   */
  readonly client?: RekognitionLike;
  /**
   * The idempotency token: 1–64 characters of `[a-zA-Z0-9-_]`.
   * @default a SHA-256 digest of the video and every parameter (see `jobIdentity`), so a rerun reuses the job
   */
  readonly clientRequestToken?: string;
  /**
   * The job tag echoed in results and notifications: 1–1024 characters of `[a-zA-Z0-9_.\-:+=/]`.
   * @default `face-stream:` + a digest of the video and parameters
   */
  readonly jobTag?: string;
  /**
   * How the request is executed (rate limit under its own operation key `StartFaceDetection`, retries).
   * @default defaultPolicy(client)
   */
  readonly policy?: RequestPolicy;
  /** Aborts the start (and a wait for a job slot). */
  readonly signal?: AbortSignal;
  /**
   * Longest wait for a job slot while the account's concurrent-job quota is full (`LimitExceededException`);
   * then `JobWaitTimeoutError`.
   * @default 3_600_000 (1 hour)
   */
  readonly slotTimeout?: number;
  /**
   * Delay between Starts refused with `LimitExceededException`: from `baseMs`, doubling to `capMs` (half fixed,
   * half jitter).
   * @default { baseMs: 2000, capMs: 60000 }
   */
  readonly slotBackoff?: { readonly baseMs: number; readonly capMs: number };
  /**
   * Time source of the slot wait.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** A started (or, for a reused token, found) job. */
export interface StartedJob {
  /** The job id: pass it to `faceDetections` or `waitForFaceDetectionJob`. */
  readonly jobId: string;
  /** The token sent: a rerun with the same token and parameters returns the same job. */
  readonly clientRequestToken: string;
  /** The job tag sent (echoed by notifications and results). */
  readonly jobTag: string;
  /** The video. */
  readonly video: VideoRef;
  /** Starts refused with `LimitExceededException` before this one was accepted. */
  readonly limitExceeded: number;
}

/** A validated start request (internal). */
export interface StartPlan {
  readonly video: VideoRef;
  readonly uri: string;
  readonly input: StartFaceDetectionRequest;
  readonly clientRequestToken: string;
  readonly jobTag: string;
}

/**
 * Starts a Rekognition Video face-detection job idempotently and returns `{ jobId, clientRequestToken, jobTag }`.
 *
 * - **Idempotent.** The default `ClientRequestToken` is a digest of the video and every parameter, so running
 *   the same code again (after a crash, on another machine) returns the same JobId for up to 7 days instead of
 *   starting a second, billed job. Note: a reused token publishes no second completion notification — poll.
 * - **Rate limited** through the request policy under its own operation key (`StartFaceDetection`).
 * - **`LimitExceededException` is not an error**: the account's concurrent-job quota is full, so this waits for
 *   a free slot (backoff on the clock, up to `slotTimeout`) and tries again.
 * - **Typed errors naming the video:** `StartJobError` for `IdempotentParameterMismatchException`,
 *   `VideoTooLargeException`, `InvalidS3ObjectException`, `AccessDeniedException` and the like.
 *
 * @throws InvalidParameterError before any request, for a bad video, token, tag or option.
 * @example
 * ```ts
 * import { createRekognitionClient, faceDetections, startFaceDetectionJob, waitForFaceDetectionJob } from 'rekognition-face-stream';
 *
 * const client = createRekognitionClient();
 * const { jobId } = await startFaceDetectionJob({ client, video: 's3://my-videos/lobby.mp4', faceAttributes: 'ALL' });
 * await waitForFaceDetectionJob({ client, jobId });
 * for await (const d of faceDetections({ client, jobId })) console.log(d.Timestamp);
 * ```
 */
export async function startFaceDetectionJob(options: StartFaceDetectionJobOptions): Promise<StartedJob> {
  expectObject('options', options);
  const plan = planStart(options);
  const slotTimeout = options.slotTimeout === undefined ? 3_600_000 : expectNumber('slotTimeout', options.slotTimeout, 0);
  const backoff = options.slotBackoff ?? { baseMs: 2000, capMs: 60_000 };
  expectNumber('slotBackoff.baseMs', backoff.baseMs, 1);
  expectNumber('slotBackoff.capMs', backoff.capMs, backoff.baseMs);
  const clock = options.clock ?? systemClock;
  const client = options.client ?? createRekognitionClient();
  const policy = options.policy ?? defaultPolicy(client);
  const started = clock.now();
  let refused = 0;
  for (;;) {
    const jobId = await sendStart(plan, { client, policy, signal: options.signal });
    if (jobId !== undefined) {
      return { jobId, clientRequestToken: plan.clientRequestToken, jobTag: plan.jobTag, video: plan.video, limitExceeded: refused };
    }
    refused++;
    const waited = clock.now() - started;
    if (waited >= slotTimeout) {
      throw new JobWaitTimeoutError({ video: plan.uri, waited, attempts: { polls: 0, limitExceeded: refused } });
    }
    const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(20, refused - 1));
    // Whole milliseconds for the rest of the budget: a sub-millisecond remainder could vanish in `now + ms`
    // (floating point), and the loop would then sleep 0 ms forever without reaching the timeout.
    await clock.sleep(Math.min(Math.ceil(slotTimeout - waited), ceiling / 2 + (Math.random() * ceiling) / 2), options.signal);
  }
}

/** Validates the video and parameters and derives the token and tag (before any request). */
export function planStart(
  options: FaceDetectionJobParameters & {
    readonly video: unknown;
    readonly clientRequestToken?: string | undefined;
    readonly jobTag?: string | undefined;
  },
  parameter = 'video',
): StartPlan {
  const video = parseVideo(options.video, parameter);
  const faceAttributes = options.faceAttributes ?? 'DEFAULT';
  if (faceAttributes !== 'DEFAULT' && faceAttributes !== 'ALL') {
    throw new InvalidParameterError('faceAttributes', '"DEFAULT" or "ALL"', faceAttributes);
  }
  const channel = options.notificationChannel;
  if (channel !== undefined) {
    expectObject('notificationChannel', channel);
    expectString('notificationChannel.snsTopicArn', channel.snsTopicArn, { minLength: 1, pattern: /^arn:aws[\w-]*:sns:/ });
    expectString('notificationChannel.roleArn', channel.roleArn, { minLength: 20, pattern: /^arn:aws[\w-]*:iam::\d{12}:role\// });
  }
  const tag = options.jobTag === undefined ? undefined : expectString('jobTag', options.jobTag, { pattern: JOB_TAG_PATTERN });
  const identity = jobIdentity({ video, faceAttributes, notificationChannel: channel, jobTag: tag });
  const clientRequestToken =
    options.clientRequestToken === undefined
      ? identity.clientRequestToken
      : expectString('clientRequestToken', options.clientRequestToken, { pattern: CLIENT_REQUEST_TOKEN_PATTERN });
  const input: StartFaceDetectionRequest = {
    Video: { S3Object: { Bucket: video.bucket, Name: video.name, ...(video.version === undefined ? {} : { Version: video.version }) } },
    FaceAttributes: faceAttributes,
    ClientRequestToken: clientRequestToken,
    JobTag: identity.jobTag,
    ...(channel === undefined ? {} : { NotificationChannel: { SNSTopicArn: channel.snsTopicArn, RoleArn: channel.roleArn } }),
  };
  return { video, uri: videoUri(video), input, clientRequestToken, jobTag: identity.jobTag };
}

/**
 * Sends one `StartFaceDetection` through the policy. Resolves with the JobId, or `undefined` when the account's
 * job quota is full (`LimitExceededException`); other failures become a {@link StartJobError} naming the video
 * (an abort is rethrown as is).
 */
export async function sendStart(
  plan: StartPlan,
  context: { readonly client: RekognitionLike; readonly policy: RequestPolicy; readonly signal?: AbortSignal | undefined },
): Promise<string | undefined> {
  try {
    const output = (await context.policy.execute({
      operation: 'StartFaceDetection',
      attempt: (signal) => context.client.send(new StartFaceDetectionCommand(plan.input), { abortSignal: signal }),
      signal: context.signal,
      context: { video: plan.uri },
    })) as { JobId?: string };
    if (typeof output?.JobId !== 'string' || output.JobId.length === 0) {
      throw new StartJobError(plan.uri, 'MissingJobId', 'the response has no JobId');
    }
    return output.JobId;
  } catch (error) {
    const name = (error as { name?: unknown })?.name;
    if (name === 'AbortError' || error instanceof StartJobError) throw error;
    const code = error instanceof ServiceError ? error.serviceCode : typeof name === 'string' ? name : 'Error';
    if (code === 'LimitExceededException') return undefined;
    const cause = (error as { cause?: { message?: unknown } })?.cause;
    const detail = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
    throw new StartJobError(plan.uri, code, detail, { cause: error });
  }
}


import { FaceStreamError } from './FaceStreamError.js';

/** What a wait for a job tried before its deadline. */
export interface JobWaitAttempts {
  /** `GetFaceDetection` status polls sent. */
  readonly polls: number;
  /** The last status a poll saw, if any. */
  readonly lastStatus?: string | undefined;
  /** The SQS queue watched for completion notifications, if any. */
  readonly queueUrl?: string | undefined;
  /** SQS messages received while this job was waited for (all jobs). */
  readonly messagesReceived?: number | undefined;
  /** Start attempts refused with `LimitExceededException` (waiting for a job slot). */
  readonly limitExceeded?: number | undefined;
}

/**
 * A job did not finish (or could not even start, for want of a job slot) before its deadline. Names the job
 * (or video), how long it waited and what was tried — polls, the SQS queue and its messages — so a
 * misconfigured notification channel shows in the message instead of an endless wait.
 *
 * @example
 * ```ts
 * import { JobWaitTimeoutError } from 'rekognition-face-stream';
 *
 * const err = new JobWaitTimeoutError({ jobId: 'abc', video: 's3://b/k.mp4', waited: 60_000, attempts: { polls: 3 } });
 * console.log(err.code); // ERR_JOB_WAIT_TIMEOUT
 * ```
 */
export class JobWaitTimeoutError extends FaceStreamError {
  override name = 'JobWaitTimeoutError';
  /** The job, when it was started. */
  readonly jobId: string | undefined;
  /** The video, as `s3://bucket/key`. */
  readonly video: string | undefined;
  /** Milliseconds waited. */
  readonly waited: number;
  /** What was tried. */
  readonly attempts: JobWaitAttempts;

  constructor(details: {
    readonly jobId?: string | undefined;
    readonly video?: string | undefined;
    readonly waited: number;
    readonly attempts: JobWaitAttempts;
  }) {
    const { jobId, video, waited, attempts } = details;
    const what = jobId === undefined ? `No job slot for ${video ?? 'the video'}` : `Rekognition job ${jobId}${video ? ` (${video})` : ''} did not finish`;
    const tried = [
      `${attempts.polls} GetFaceDetection poll${attempts.polls === 1 ? '' : 's'}${attempts.lastStatus ? ` (last: ${attempts.lastStatus})` : ''}`,
      attempts.queueUrl === undefined
        ? 'no notification queue'
        : `SQS queue ${attempts.queueUrl} (${attempts.messagesReceived ?? 0} messages received, none for this job: check the SNS topic, its subscription and the role)`,
      ...(attempts.limitExceeded ? [`${attempts.limitExceeded} starts refused with LimitExceededException`] : []),
    ];
    super('ERR_JOB_WAIT_TIMEOUT', `${what} within ${Math.round(waited)} ms; tried ${tried.join(', ')}.`, {
      context: { jobId, video, waited, ...attempts },
    });
    this.jobId = jobId;
    this.video = video;
    this.waited = waited;
    this.attempts = Object.freeze({ ...attempts });
  }
}

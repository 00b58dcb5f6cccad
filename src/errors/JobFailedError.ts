import { FaceStreamError } from './FaceStreamError.js';

/**
 * The Rekognition Video job ended with `JobStatus: FAILED`. Carries the job id and the service's
 * `StatusMessage`.
 *
 * @example
 * ```ts
 * import { JobFailedError } from 'rekognition-face-stream';
 *
 * const err = new JobFailedError('0123abcd', 'Unsupported codec.');
 * console.log(err.statusMessage); // Unsupported codec.
 * ```
 */
export class JobFailedError extends FaceStreamError {
  override name = 'JobFailedError';
  /** The failed job. */
  readonly jobId: string;
  /** The service's `StatusMessage`, if it gave one. */
  readonly statusMessage: string | undefined;

  constructor(jobId: string, statusMessage: string | undefined, options: { readonly cause?: unknown } = {}) {
    super(
      'ERR_JOB_FAILED',
      `Rekognition job ${jobId} failed${statusMessage ? `: ${statusMessage}` : ' (no StatusMessage)'}.`,
      { cause: options.cause, context: { jobId, statusMessage } },
    );
    this.jobId = jobId;
    this.statusMessage = statusMessage;
  }
}

import { FaceStreamError } from './FaceStreamError.js';

/**
 * The job is still `IN_PROGRESS` and the caller asked not to wait (`waitForJob: false`), or the wait
 * exceeded its `timeout`.
 *
 * `waited` is how long the stream polled (ms, 0 when it did not wait) and `polls` how many status requests it
 * sent.
 *
 * @example
 * ```ts
 * import { JobNotReadyError } from 'rekognition-face-stream';
 *
 * const err = new JobNotReadyError('job-1', { waited: 0, polls: 1 });
 * console.log(err.code); // ERR_JOB_NOT_READY
 * ```
 */
export class JobNotReadyError extends FaceStreamError {
  override name = 'JobNotReadyError';
  /** The job that is not finished. */
  readonly jobId: string;
  /** Milliseconds spent waiting (0 when failing fast). */
  readonly waited: number;
  /** Status requests sent. */
  readonly polls: number;

  constructor(jobId: string, details: { readonly waited: number; readonly polls: number }) {
    super(
      'ERR_JOB_NOT_READY',
      details.waited > 0
        ? `Rekognition job ${jobId} is still IN_PROGRESS after waiting ${Math.round(details.waited)} ms (${details.polls} polls).`
        : `Rekognition job ${jobId} is still IN_PROGRESS and waiting is off (waitForJob: false, or --wait-timeout 0).`,
      { context: { jobId, waited: details.waited, polls: details.polls } },
    );
    this.jobId = jobId;
    this.waited = details.waited;
    this.polls = details.polls;
  }
}

import type { Clock } from '../core/Clock.js';
import { JobNotReadyError } from '../errors/JobNotReadyError.js';
import type { GetFaceDetectionResponse } from '../types.js';

/** How a stream waits for a job that is still `IN_PROGRESS`. Durations in ms. */
export interface WaitForJobOptions {
  /**
   * Give up (with a `JobNotReadyError`) once this much time has been spent waiting.
   * @default 3_600_000 (1 hour)
   */
  readonly timeout?: number;
  /**
   * Delay before the first re-poll.
   * @default 1000
   */
  readonly minDelay?: number;
  /**
   * Longest delay between polls.
   * @default 30_000
   */
  readonly maxDelay?: number;
  /**
   * Growth factor of the delay after each poll.
   * @default 2
   */
  readonly factor?: number;
  /**
   * Called after each `IN_PROGRESS` answer that the stream will wait on (before the pause), e.g. to tell a
   * user that the job is not finished yet. Not called when the wait gives up.
   * @default undefined
   */
  readonly onWait?: (event: JobWaitEvent) => void;
}

/** What {@link WaitForJobOptions.onWait} is told. Durations in ms. */
export interface JobWaitEvent {
  readonly jobId: string;
  /** `IN_PROGRESS` answers so far (1 the first time). */
  readonly polls: number;
  /** Time spent waiting so far (0 the first time). */
  readonly waited: number;
  /** The pause before the next poll. */
  readonly nextPollIn: number;
  /** The wait gives up once `waited` reaches this. */
  readonly timeout: number;
}

/** The numeric job-wait settings. */
export type WaitForJobTimings = Required<Omit<WaitForJobOptions, 'onWait'>>;

/** Resolved job-wait settings; `undefined` means fail fast. */
export type ResolvedWaitForJob = (WaitForJobTimings & Pick<WaitForJobOptions, 'onWait'>) | undefined;

/** Defaults of {@link WaitForJobOptions}. */
export const WAIT_FOR_JOB_DEFAULTS: WaitForJobTimings = Object.freeze({
  timeout: 3_600_000,
  minDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
});

/**
 * Wraps a page request so that an `IN_PROGRESS` answer is polled again with exponential backoff on `clock`
 * (every poll goes through `request`, hence through the request policy and its shared limiter), or fails
 * fast with {@link JobNotReadyError} when `wait` is `undefined`. Pure apart from the injected clock.
 */
export function waitingForJob(
  request: (token: string | undefined, signal: AbortSignal) => Promise<GetFaceDetectionResponse>,
  settings: {
    readonly jobId: string;
    readonly wait: ResolvedWaitForJob;
    readonly clock: Clock;
    readonly onPoll?: () => void;
  },
): (token: string | undefined, signal: AbortSignal) => Promise<GetFaceDetectionResponse> {
  const { jobId, wait, clock, onPoll } = settings;
  return async (token, signal) => {
    let waited = 0;
    let polls = 0;
    let delay = wait?.minDelay ?? 0;
    for (;;) {
      const response = await request(token, signal);
      if (response.JobStatus !== 'IN_PROGRESS') return response;
      polls++;
      onPoll?.();
      if (wait === undefined || waited >= wait.timeout) throw new JobNotReadyError(jobId, { waited, polls });
      const pause = Math.min(delay, wait.timeout - waited);
      wait.onWait?.({ jobId, polls, waited, nextPollIn: pause, timeout: wait.timeout });
      await clock.sleep(pause, signal);
      waited += pause;
      delay = Math.min(delay * wait.factor, wait.maxDelay);
    }
  };
}

import { FaceStreamError } from './FaceStreamError.js';

/** Why a {@link PaginationError} was raised. */
export type PaginationErrorReason =
  /** The service returned the same `NextToken` twice in a row: following it would loop forever. */
  | 'REPEATED_TOKEN'
  /** A token expired (`InvalidPaginationTokenException`) and re-reading from the first page did not recover. */
  | 'RECOVERY_FAILED'
  /**
   * Too many pages in a row brought no detection later than the ones before (empty pages that each carry a
   * new token, or old detections again): the service is looping or stuck.
   */
  | 'NO_PROGRESS';

/**
 * Pagination of a job's results cannot continue.
 *
 * `reason` says why: a repeated `NextToken` (the stream ends with this error instead of looping), too many
 * pages in a row without a new detection (`NO_PROGRESS`), or an expired token whose recovery (re-reading from
 * the first page and skipping what was already delivered) failed or was exhausted. `cause` holds the last service error, if any; `emitted` is the number of items
 * delivered before the error, so a consumer can checkpoint.
 *
 * @example
 * ```ts
 * import { PaginationError } from 'rekognition-face-stream';
 *
 * const err = new PaginationError('REPEATED_TOKEN', 'job-1', { token: 'abc', emitted: 2000 });
 * console.log(err.reason, err.emitted); // REPEATED_TOKEN 2000
 * ```
 */
export class PaginationError extends FaceStreamError {
  override name = 'PaginationError';
  /** Why pagination stopped. */
  readonly reason: PaginationErrorReason;
  /** The job being paginated. */
  readonly jobId: string;
  /** Items delivered before the error. */
  readonly emitted: number;

  constructor(
    reason: PaginationErrorReason,
    jobId: string,
    details: { readonly token?: string | undefined; readonly emitted: number; readonly attempts?: number; readonly pages?: number },
    options: { readonly cause?: unknown } = {},
  ) {
    const what =
      reason === 'REPEATED_TOKEN'
        ? 'the service returned the same NextToken twice'
        : reason === 'NO_PROGRESS'
          ? `${details.pages ?? 'many'} page(s) in a row brought no new detection (the service is looping or stuck)`
          : `an expired pagination token could not be recovered${details.attempts === undefined ? '' : ` after ${details.attempts} re-read(s) in a row without progress`}`;
    super('ERR_PAGINATION_' + reason, `Pagination of job ${jobId} stopped after ${details.emitted} item(s): ${what}.`, {
      cause: options.cause,
      context: { jobId, reason, emitted: details.emitted, token: details.token, attempts: details.attempts, pages: details.pages },
    });
    this.reason = reason;
    this.jobId = jobId;
    this.emitted = details.emitted;
  }
}

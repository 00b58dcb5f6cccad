import { JobFailedError } from '../errors/JobFailedError.js';
import { PaginationError } from '../errors/PaginationError.js';
import type { FaceDetection, GetFaceDetectionResponse } from '../types.js';
import type { FaceDetectionPage, JobInfo } from './FaceDetectionPage.js';
import type { FetchedPage } from './PagePump.js';

/** Options of {@link createPageCursor}. */
export interface PageCursorOptions {
  /** The job whose results are read. */
  readonly jobId: string;
  /** Reads one page (`token` undefined = first page); already waits for `IN_PROGRESS` jobs. */
  readonly getPage: (token: string | undefined, signal: AbortSignal) => Promise<GetFaceDetectionResponse>;
  /** Token to start from (resume), or `undefined` for the first page. */
  readonly startingToken: string | undefined;
  /** Detections before `startingToken`, when known (makes an expired starting token recoverable). */
  readonly startingCount: number | undefined;
  /** How many times an expired token may be recovered by re-reading from the first page. */
  readonly maxTokenRecoveries: number;
  /** Called once per recovery. */
  readonly onRecovery?: () => void;
  /** Called with the job metadata when the first page arrives. */
  readonly onJob?: (job: JobInfo) => void;
}

/** The error name (or classified `serviceCode`) of an expired or invalid pagination token. */
export const INVALID_TOKEN_ERROR = 'InvalidPaginationTokenException';

/**
 * The token walk of one run, as a `fetch` function for {@link PagePump}: threads `NextToken`, ends on a missing
 * or empty token, fails on a repeated token — one of the last 16, so loops are caught in constant memory — (after delivering the page that repeated it), turns `FAILED` into
 * {@link JobFailedError}, and recovers an expired token (`InvalidPaginationTokenException`) by re-reading from
 * the first page and skipping what was already delivered — results of a finished job are immutable and sorted —
 * at most `maxTokenRecoveries` times, checking that the last delivered detection is where it was. Builds a fresh
 * request per page; never mutates anything it was given.
 */
export function createPageCursor(options: PageCursorOptions): (signal: AbortSignal) => Promise<FetchedPage<FaceDetectionPage>> {
  const { jobId, getPage, maxTokenRecoveries } = options;
  let token = options.startingToken;
  const absolute = options.startingToken === undefined || options.startingCount !== undefined;
  let count = options.startingCount ?? 0;
  let seen = new RecentTokens();
  let index = 0;
  let recoveries = 0;
  /** Where the last delivered detection was (a copy: no delivered object is kept). */
  let lastItem: DetectionMark | undefined;
  let job: JobInfo | undefined;
  let pendingError: Error | undefined;

  const checkStatus = (response: GetFaceDetectionResponse): void => {
    if (response.JobStatus === 'FAILED') throw new JobFailedError(jobId, response.StatusMessage);
  };

  const recoveryFailed = (why: string, cause: unknown): PaginationError =>
    new PaginationError('RECOVERY_FAILED', jobId, { token, emitted: count, attempts: recoveries }, { cause: cause ?? new Error(why) });

  /** Re-reads from the first page and returns the first page holding detection number `skip` (0-based). */
  const skipTo = async (
    skip: number,
    signal: AbortSignal,
  ): Promise<{ response: GetFaceDetectionResponse; faces: readonly FaceDetection[]; tokens: RecentTokens }> => {
    const tokens = new RecentTokens();
    let at: string | undefined;
    let passed = 0;
    let previous: FaceDetection | undefined;
    for (;;) {
      const response = await getPage(at, signal);
      checkStatus(response);
      const faces = response.Faces ?? [];
      if (passed + faces.length > skip) {
        const from = skip - passed;
        verifyJoin(from > 0 ? faces[from - 1] : previous);
        return { response, faces: from === 0 ? faces : faces.slice(from), tokens };
      }
      passed += faces.length;
      if (faces.length > 0) previous = faces[faces.length - 1];
      const next = response.NextToken || undefined;
      if (next === undefined) {
        if (passed < skip) throw recoveryFailed(`the job now has ${passed} detections, ${skip} were already delivered`, undefined);
        verifyJoin(previous);
        return { response, faces: [], tokens };
      }
      if (tokens.has(next)) {
        throw new PaginationError('REPEATED_TOKEN', jobId, { token: next, emitted: count });
      }
      tokens.add(next);
      at = next;
    }
  };

  const verifyJoin = (candidate: FaceDetection | undefined): void => {
    if (lastItem === undefined || candidate === undefined) return;
    if (!sameDetection(lastItem, candidate)) {
      throw recoveryFailed('the re-read results differ from those already delivered', undefined);
    }
  };

  const recover = async (
    error: unknown,
    signal: AbortSignal,
  ): Promise<{ response: GetFaceDetectionResponse; faces: readonly FaceDetection[] }> => {
    let cause = error;
    for (;;) {
      if (!absolute || recoveries >= maxTokenRecoveries) throw recoveryFailed('', cause);
      recoveries++;
      options.onRecovery?.();
      try {
        const found = await skipTo(count, signal);
        seen = found.tokens;
        return found;
      } catch (retryError) {
        if (!isInvalidTokenError(retryError)) throw retryError;
        cause = retryError;
      }
    }
  };

  return async (signal) => {
    if (pendingError) throw pendingError;
    let response: GetFaceDetectionResponse;
    let faces: readonly FaceDetection[];
    try {
      response = await getPage(token, signal);
      checkStatus(response);
      faces = response.Faces ?? [];
    } catch (error) {
      if (token === undefined || !isInvalidTokenError(error)) throw error;
      ({ response, faces } = await recover(error, signal));
    }
    const nextToken = response.NextToken || undefined;
    if (nextToken !== undefined) {
      if (nextToken === token || seen.has(nextToken)) {
        pendingError = new PaginationError('REPEATED_TOKEN', jobId, { token: nextToken, emitted: count + faces.length });
      }
      seen.add(nextToken);
    }
    count += faces.length;
    if (faces.length > 0) lastItem = markOf(faces[faces.length - 1]!);
    if (job === undefined) {
      job = jobInfo(jobId, response);
      options.onJob?.(job);
    }
    const page: FaceDetectionPage = {
      job,
      Faces: faces,
      NextToken: nextToken,
      index: index++,
      count,
      checkpoint: nextToken === undefined ? undefined : { jobId, startingToken: nextToken, startingCount: count },
    };
    token = nextToken;
    return { page, last: nextToken === undefined };
  };
}

/**
 * The last few tokens of a walk, to catch a service that loops (`A → A`, or `A → B → A`) without keeping every
 * token of a long job in memory.
 */
class RecentTokens {
  static readonly SIZE = 16;
  readonly #ring: (string | undefined)[] = new Array<string | undefined>(RecentTokens.SIZE);
  #next = 0;

  has(token: string): boolean {
    return this.#ring.includes(token);
  }

  add(token: string): void {
    this.#ring[this.#next] = token;
    this.#next = (this.#next + 1) % RecentTokens.SIZE;
  }
}

/** Whether `error` is an expired/invalid pagination token error (by name, never `instanceof`). */
export function isInvalidTokenError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, serviceCode } = error as { name?: unknown; serviceCode?: unknown };
  return serviceCode === INVALID_TOKEN_ERROR || name === INVALID_TOKEN_ERROR;
}

/** The identity of a delivered detection for the recovery check: its time and box. */
interface DetectionMark {
  readonly timestamp: number | undefined;
  readonly box: readonly (number | undefined)[];
}

function markOf(d: FaceDetection): DetectionMark {
  const b = d.Face?.BoundingBox;
  return { timestamp: d.Timestamp, box: [b?.Left, b?.Top, b?.Width, b?.Height] };
}

function sameDetection(a: DetectionMark, b: FaceDetection): boolean {
  const m = markOf(b);
  return a.timestamp === m.timestamp && a.box.every((v, i) => v === m.box[i]);
}

function jobInfo(jobId: string, response: GetFaceDetectionResponse): JobInfo {
  return Object.freeze({
    JobId: response.JobId ?? jobId,
    JobStatus: response.JobStatus ?? 'SUCCEEDED',
    StatusMessage: response.StatusMessage,
    VideoMetadata: response.VideoMetadata,
    JobTag: response.JobTag,
    Video: response.Video,
  });
}

import { createHash } from 'node:crypto';
import type { Clock } from '../core/Clock.js';
import { JobFailedError } from '../errors/JobFailedError.js';
import { PaginationError } from '../errors/PaginationError.js';
import type { FaceDetection, GetFaceDetectionResponse } from '../types.js';
import type { FaceDetectionPage, JobInfo } from './FaceDetectionPage.js';
import { maxTimestamp } from './fastGetFaceDetection/rawFaces.js';
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
  /**
   * How many recoveries of an expired token (each a re-read from the first page) may follow one another
   * without a detection delivered in between; a recovery after progress starts the count again.
   */
  readonly maxTokenRecoveries: number;
  /**
   * How many pages in a row may bring no detection later than every one before it (empty pages with a new
   * token, or old detections again: a loop) before the walk fails with `PaginationError` `NO_PROGRESS`.
   */
  readonly maxPagesWithoutProgress: number;
  /** Paces the requests that follow pages without progress. */
  readonly clock: Clock;
  /** Called once per recovery. */
  readonly onRecovery?: () => void;
  /** Called with the job metadata when the first page arrives. */
  readonly onJob?: (job: JobInfo) => void;
}

/** The error name (or classified `serviceCode`) of an expired or invalid pagination token. */
export const INVALID_TOKEN_ERROR = 'InvalidPaginationTokenException';

/**
 * The token walk of one run, as a `fetch` function for {@link PagePump}: threads `NextToken`, ends on a missing
 * or empty token, turns `FAILED` into {@link JobFailedError}, and never loops:
 *
 * - a repeated token — one of the last {@link TokenFingerprints.SIZE}, kept as fingerprints so memory stays
 *   bounded — fails with `PaginationError` `REPEATED_TOKEN`: a page whose `NextToken` is its own token is
 *   delivered first (its detections are new), a page whose `NextToken` ended an earlier page is not (it ends
 *   where that page ended: its detections were delivered already);
 * - pages that bring no new detection (none later than the latest so far: empty pages that each carry a new
 *   token, or a loop too long for the fingerprints) are paced — the k-th in a row waits min(2^(k−1), 250) ms on
 *   `clock` before the next request — and `maxPagesWithoutProgress` of them in a row fail with `NO_PROGRESS`.
 *
 * An expired token (`InvalidPaginationTokenException`) is recovered by re-reading from the first page and
 * skipping what was already delivered — results of a finished job are immutable and sorted — checking that the
 * last delivered detection is where it was; at most `maxTokenRecoveries` recoveries in a row without a
 * detection delivered in between. Builds a fresh request per page; never mutates anything it was given.
 */
export function createPageCursor(options: PageCursorOptions): (signal: AbortSignal) => Promise<FetchedPage<FaceDetectionPage>> {
  const { jobId, getPage, maxTokenRecoveries, maxPagesWithoutProgress, clock } = options;
  let token = options.startingToken;
  const absolute = options.startingToken === undefined || options.startingCount !== undefined;
  let count = options.startingCount ?? 0;
  let seen = new TokenFingerprints();
  let index = 0;
  /** Recoveries since a detection was last delivered, and the count at the latest recovery. */
  let recoveries = 0;
  let countAtRecovery = -1;
  /** The latest detection time delivered, and the pages in a row that brought nothing later. */
  let latest = -Infinity;
  let stalled = 0;
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
  ): Promise<{ response: GetFaceDetectionResponse; faces: readonly FaceDetection[]; tokens: TokenFingerprints }> => {
    const tokens = new TokenFingerprints();
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
      const print = fingerprint(next);
      if (tokens.has(print)) {
        throw new PaginationError('REPEATED_TOKEN', jobId, { token: next, emitted: count });
      }
      tokens.add(print);
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
    if (count > countAtRecovery) recoveries = 0; // progress since the previous recovery
    countAtRecovery = count;
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
    if (stalled > 0) await clock.sleep(Math.min(2 ** (stalled - 1), MAX_STALL_DELAY), signal);
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
    // (one hash per page: `has` and `add` share it)
    const print = nextToken === undefined ? undefined : fingerprint(nextToken);
    if (print !== undefined && nextToken !== token && seen.has(print)) {
      // This page ends where an earlier page ended: its detections were delivered already. Not delivered.
      pendingError = new PaginationError('REPEATED_TOKEN', jobId, { token: nextToken, emitted: count });
      throw pendingError;
    }
    // (maxTimestamp: a byte-backed page's detections are not parsed for this)
    const pageLatest = maxTimestamp(faces);
    const progressed = pageLatest > latest;
    if (progressed) latest = pageLatest;
    stalled = progressed ? 0 : stalled + 1;
    if (nextToken !== undefined) {
      if (nextToken === token) {
        pendingError = new PaginationError('REPEATED_TOKEN', jobId, { token: nextToken, emitted: count + faces.length });
      } else if (stalled >= maxPagesWithoutProgress) {
        pendingError = new PaginationError('NO_PROGRESS', jobId, { token: nextToken, emitted: count + faces.length, pages: stalled });
      }
      seen.add(print!);
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

/** The longest pause before a request that follows a page without progress, ms. */
const MAX_STALL_DELAY = 250;

/**
 * Fingerprints (96 bits of SHA-256) of the last {@link TokenFingerprints.SIZE} tokens of a walk, to catch a
 * service that loops (`A → A`, `A → B → A`, a cycle of hundreds of tokens) in bounded memory (~60 KB) whatever
 * the length of the job or of its tokens.
 */
class TokenFingerprints {
  static readonly SIZE = 1024;
  readonly #ring: (string | undefined)[] = new Array<string | undefined>(TokenFingerprints.SIZE);
  readonly #set = new Set<string>();
  #next = 0;

  /** Whether the token of `print` (its {@link fingerprint}) is one of the last. */
  has(print: string): boolean {
    return this.#set.has(print);
  }

  /** Remembers the token of `print` (its {@link fingerprint}). */
  add(print: string): void {
    if (this.#set.has(print)) return;
    const old = this.#ring[this.#next];
    if (old !== undefined) this.#set.delete(old);
    this.#ring[this.#next] = print;
    this.#set.add(print);
    this.#next = (this.#next + 1) % TokenFingerprints.SIZE;
  }
}

function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64').slice(0, 16);
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

/**
 * `RekognitionService.GetFaceDetection`: one page of a job's detections, generated lazily from the position
 * in the `NextToken`, serialised by hand (the emulator's hot path).
 *
 * @module
 */
import type { Clock } from '../../core/Clock.js';
import type { Job, JobStore } from '../jobs/JobStore.js';
import { errors } from '../protocol/ServiceException.js';
import type { PaginationTokens } from '../tokens/PaginationTokens.js';
import { facePieces, slicePage } from './pageFaces.js';
import type { PagePrefetcher } from './PagePrefetcher.js';
import { optionalInteger, optionalString, requiredString, type Body } from './params.js';

/** Largest page; larger `MaxResults` are clamped to it. */
export const MAX_RESULTS = 1000;

/** What `GetFaceDetection` needs from the emulator. */
export interface GetContext {
  readonly jobs: JobStore;
  readonly tokens: PaginationTokens;
  readonly clock: Clock;
  /** Prepares likely next pages in idle time (optional). */
  readonly prefetcher?: PagePrefetcher;
}

/**
 * A page: the response body and the number of detections in it. A successful page's body is a lazy sequence
 * of pieces (about 64 KiB each), serialised while the previous ones are already being sent.
 */
export interface PageResult {
  readonly body: string | Iterable<Buffer>;
  readonly detections: number;
  readonly jobId: string;
}

/** Handles `GetFaceDetection`. */
export function getFaceDetection(body: Body, context: GetContext): PageResult {
  const jobId = requiredString(body, 'JobId', { min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/ });
  const maxResults = optionalInteger(body, 'MaxResults');
  if (maxResults !== undefined && maxResults < 1) {
    throw errors.invalidParameter(`MaxResults must be at least 1; got ${maxResults}.`);
  }
  const nextToken = optionalString(body, 'NextToken', { min: 0, max: 255 });
  const job = context.jobs.get(jobId);
  if (!job) throw errors.resourceNotFound(jobId);
  const now = context.clock.now();
  // "" means the first page, like an absent token.
  const from = nextToken ? context.tokens.verify(jobId, nextToken, now) : 0;
  const status = context.jobs.status(job);
  if (status !== 'SUCCEEDED') {
    if (nextToken) throw errors.invalidPaginationToken('the job has no results to page through.');
    const message = status === 'FAILED' ? `,"StatusMessage":${JSON.stringify(job.request.failure)}` : '';
    return { body: `{"JobStatus":"${status}"${message}${trailer(job)}}`, detections: 0, jobId };
  }
  const video = context.jobs.video(job);
  const limit = Math.min(maxResults ?? MAX_RESULTS, MAX_RESULTS);
  const mode = job.input.faceAttributes;
  const numbers = video.numbers;
  const prepared = context.prefetcher?.take(jobId, from, limit);
  let count: number;
  let more: boolean;
  let pieces: Iterable<Buffer>;
  if (prepared) {
    ({ count, more, pieces } = prepared);
  } else {
    // NextToken precedes Faces: know the page's extent (and whether one more exists) first.
    const slice = slicePage(video, from, limit);
    count = slice.faces.length;
    more = slice.more;
    pieces = facePieces(slice.faces, mode, numbers);
    if (context.prefetcher?.caching) {
      const kept = { pieces: [...pieces], count, more };
      context.prefetcher.keep(jobId, from, limit, kept);
      pieces = kept.pieces;
    }
  }
  if (nextToken && count === 0) throw errors.invalidPaginationToken('the token is past the end of the results.');
  if (more) {
    context.prefetcher?.schedule(jobId, from + count, limit, () => {
      const next = slicePage(video, from + count, limit);
      return { pieces: [...facePieces(next.faces, mode, numbers)], count: next.faces.length, more: next.more };
    });
  }
  const token = more ? `,"NextToken":"${context.tokens.issue(jobId, from + count, now)}"` : '';
  const head = `{"JobStatus":"SUCCEEDED","VideoMetadata":${JSON.stringify(video.metadata)}${token},"Faces":[`;
  return { body: page(head, pieces, `]${trailer(job)}}`), detections: count, jobId };
}

/** Head, face pieces and tail, as the lazy body. */
function* page(head: string, pieces: Iterable<Buffer>, tail: string): Iterable<Buffer> {
  yield Buffer.from(head);
  yield* pieces;
  yield Buffer.from(tail);
}

/** `JobId`, `Video` and `JobTag`, the members every page ends with. */
function trailer(job: Job): string {
  const tag = job.input.jobTag === undefined ? '' : `,"JobTag":${JSON.stringify(job.input.jobTag)}`;
  return `,"JobId":"${job.jobId}","Video":${JSON.stringify({ S3Object: job.input.s3Object })}${tag}`;
}

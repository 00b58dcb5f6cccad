/**
 * `RekognitionService.GetFaceDetection`: one page of a job's detections, generated lazily from the position
 * in the `NextToken`, serialised by hand (the emulator's hot path).
 *
 * @module
 */
import type { Clock } from '../../core/Clock.js';
import type { Job, JobStore } from '../jobs/JobStore.js';
import { errors } from '../protocol/ServiceException.js';
import { ByteWriter, fragment } from '../protocol/ByteWriter.js';
import type { FaceAttributesMode } from '../synthetic/faceDetail.js';
import type { RawFace } from '../synthetic/sampler.js';
import { writeFaceDetection } from '../synthetic/serialize.js';
import type { PaginationTokens } from '../tokens/PaginationTokens.js';
import { optionalInteger, optionalString, requiredString, type Body } from './params.js';

/** Largest page; larger `MaxResults` are clamped to it. */
export const MAX_RESULTS = 1000;

/** What `GetFaceDetection` needs from the emulator. */
export interface GetContext {
  readonly jobs: JobStore;
  readonly tokens: PaginationTokens;
  readonly clock: Clock;
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
  // Collect the page's detections (and whether one more exists) first: NextToken precedes Faces.
  const faces: RawFace[] = [];
  let more = false;
  for (const face of video.rawDetections(from)) {
    if (faces.length === limit) {
      more = true;
      break;
    }
    faces.push(face);
  }
  if (nextToken && faces.length === 0) throw errors.invalidPaginationToken('the token is past the end of the results.');
  const token = more ? `,"NextToken":"${context.tokens.issue(jobId, from + faces.length, now)}"` : '';
  const head = `{"JobStatus":"SUCCEEDED","VideoMetadata":${JSON.stringify(video.metadata)}${token},"Faces":[`;
  return { body: pieces(head, faces, job.input.faceAttributes, `]${trailer(job)}}`), detections: faces.length, jobId };
}

const PIECE_BYTES = 64 * 1024;
const COMMA = fragment(',');

/** The body in pieces of about {@link PIECE_BYTES}, serialised on demand. */
function* pieces(head: string, faces: readonly RawFace[], mode: FaceAttributesMode, tail: string): Iterable<Buffer> {
  let out = new ByteWriter(PIECE_BYTES + 8192);
  out.text(head);
  for (let i = 0; i < faces.length; i++) {
    if (i > 0) out.bytes(COMMA);
    writeFaceDetection(out, faces[i]!, mode);
    if (out.length >= PIECE_BYTES) {
      yield out.finish();
      out = new ByteWriter(PIECE_BYTES + 8192);
    }
  }
  out.text(tail);
  yield out.finish();
}

/** `JobId`, `Video` and `JobTag`, the members every page ends with. */
function trailer(job: Job): string {
  const tag = job.input.jobTag === undefined ? '' : `,"JobTag":${JSON.stringify(job.input.jobTag)}`;
  return `,"JobId":"${job.jobId}","Video":${JSON.stringify({ S3Object: job.input.s3Object })}${tag}`;
}

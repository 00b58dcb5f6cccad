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

/** A page: the response body and the number of detections in it. */
export interface PageResult {
  readonly body: string | Buffer;
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
  const faces = new ByteWriter(Math.min(limit, 64) * (mode === 'ALL' ? 4096 : 640) + 256);
  faces.bytes(FACES_OPEN);
  let count = 0;
  let more = false;
  for (const face of video.rawDetections(from)) {
    if (count === limit) {
      more = true;
      break;
    }
    if (count > 0) faces.bytes(COMMA);
    writeFaceDetection(faces, face, mode);
    count++;
  }
  if (nextToken && count === 0) throw errors.invalidPaginationToken('the token is past the end of the results.');
  const token = more ? `,"NextToken":"${context.tokens.issue(jobId, from + count, now)}"` : '';
  faces.text(`]${trailer(job)}}`);
  const head = Buffer.from(`{"JobStatus":"SUCCEEDED","VideoMetadata":${JSON.stringify(video.metadata)}${token}`);
  return { body: Buffer.concat([head, faces.finish()]), detections: count, jobId };
}

const FACES_OPEN = fragment(',"Faces":[');
const COMMA = fragment(',');

/** `JobId`, `Video` and `JobTag`, the members every page ends with. */
function trailer(job: Job): string {
  const tag = job.input.jobTag === undefined ? '' : `,"JobTag":${JSON.stringify(job.input.jobTag)}`;
  return `,"JobId":"${job.jobId}","Video":${JSON.stringify({ S3Object: job.input.s3Object })}${tag}`;
}

import { ServiceError } from '../errors/ServiceError.js';
import { MALFORMED_RESPONSE } from '../resilience/classifyError.js';
import type { GetFaceDetectionResponse } from '../types.js';
import { rawFaceBytes } from './fastGetFaceDetection/rawFaces.js';

/** The `JobStatus` values of the service model. */
const JOB_STATUSES: ReadonlySet<unknown> = new Set(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']);

/**
 * Checks that a `GetFaceDetection` answer is a page of the requested job before anything reads it, and returns
 * it. Throws a retryable {@link ServiceError} (`serviceCode` `MalformedResponse`) — retried by the request policy
 * like a 5xx — when it is not: no `JobStatus` or an unknown one (an empty body, `{}`, `null`, another
 * service's answer: without this check, such a page would look like the last page of a finished job and end the
 * stream early, silently), `Faces` that is not a list of objects, a `NextToken` that is not a string, or another
 * job's `JobId`.
 */
export function checkPage(response: GetFaceDetectionResponse, jobId: string, context?: Readonly<Record<string, unknown>>): GetFaceDetectionResponse {
  const problem = pageProblem(response, jobId);
  if (problem === undefined) return response;
  const metadata = (response as { $metadata?: { httpStatusCode?: number; requestId?: string } } | null | undefined)?.$metadata;
  const status = metadata?.httpStatusCode;
  throw new ServiceError(
    `GetFaceDetection failed: ${MALFORMED_RESPONSE}: ${status === undefined ? 'a' : `an HTTP ${status}`} response that is not a page: ${problem}`,
    {
      serviceCode: MALFORMED_RESPONSE,
      operation: 'GetFaceDetection',
      httpStatusCode: status,
      requestId: metadata?.requestId,
      retryable: true,
      throttling: false,
      context: { ...context, jobId },
    },
  );
}

function pageProblem(response: GetFaceDetectionResponse, jobId: string): string | undefined {
  if (typeof response !== 'object' || response === null) return `got ${response === null ? 'null' : typeof response}`;
  const { JobStatus, Faces, NextToken, JobId } = response as Record<string, unknown>;
  if (!JOB_STATUSES.has(JobStatus)) {
    return JobStatus === undefined ? 'no JobStatus' : `unknown JobStatus ${JSON.stringify(String(JobStatus).slice(0, 40))}`;
  }
  // (byte-backed Faces, see withRawFaceBytes: every element was scanned as an object; reading them here would
  // parse each one, which is what that mode avoids)
  if (Faces !== undefined && !(Array.isArray(Faces) && (rawFaceBytes(Faces) !== undefined || Faces.every(isDetectionObject)))) {
    return 'Faces is not a list of detections';
  }
  if (NextToken !== undefined && typeof NextToken !== 'string') return 'NextToken is not a string';
  if (JobId !== undefined && JobId !== jobId) return `JobId ${JSON.stringify(String(JobId).slice(0, 64))} is not the requested job`;
  return undefined;
}

function isDetectionObject(f: unknown): boolean {
  return typeof f === 'object' && f !== null && !Array.isArray(f);
}

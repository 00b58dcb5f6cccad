/** A Rekognition Video completion notification, as published to SNS (fields the library uses). */
export interface JobNotification {
  /** The job. */
  readonly jobId: string;
  /** `SUCCEEDED`, `FAILED` or `ERROR` (upper-cased; other values are kept as they are). */
  readonly status: string;
  /** The `JobTag` given to Start, if any. */
  readonly jobTag: string | undefined;
  /** The `API` field as sent (`StartFaceDetection` or `FACE_DETECTION`: AWS's own examples disagree). */
  readonly api: string | undefined;
  /** Completion time (Unix ms), if given. */
  readonly timestamp: number | undefined;
}

/**
 * Parses an SQS message body holding a Rekognition Video completion notification, leniently: the SNS envelope
 * (`{"Type":"Notification","Message":"<json>"…}`) and raw message delivery (the payload itself) are both
 * accepted; `API` may be anything; `Timestamp` a number or a numeric string. Returns `undefined` for a body
 * that is not a job notification (another application's message), never throws.
 *
 * @example
 * ```ts
 * import { parseJobNotification } from 'rekognition-face-stream';
 *
 * parseJobNotification('{"JobId":"j1","Status":"SUCCEEDED","API":"StartFaceDetection","JobTag":"t"}');
 * // { jobId: 'j1', status: 'SUCCEEDED', jobTag: 't', api: 'StartFaceDetection', timestamp: undefined }
 * ```
 */
export function parseJobNotification(body: string | undefined): JobNotification | undefined {
  let value = parse(body);
  if (value !== undefined && typeof value['Message'] === 'string' && value['JobId'] === undefined) value = parse(value['Message']);
  if (value === undefined) return undefined;
  const jobId = value['JobId'];
  const status = value['Status'];
  if (typeof jobId !== 'string' || jobId.length === 0 || typeof status !== 'string' || status.length === 0) return undefined;
  const tag = value['JobTag'];
  const api = value['API'];
  const time = value['Timestamp'];
  const timestamp = typeof time === 'number' ? time : typeof time === 'string' && /^\d+$/.test(time) ? Number(time) : undefined;
  return {
    jobId,
    status: status.toUpperCase(),
    jobTag: typeof tag === 'string' && tag.length > 0 ? tag : undefined,
    api: typeof api === 'string' ? api : undefined,
    timestamp,
  };
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

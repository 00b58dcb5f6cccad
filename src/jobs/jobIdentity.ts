import { createHash } from 'node:crypto';
import type { VideoRef } from './VideoRef.js';

/** The `StartFaceDetection` parameters that define a job (everything but the idempotency token itself). */
export interface JobParameters {
  readonly video: VideoRef;
  /** `DEFAULT` or `ALL`. */
  readonly faceAttributes: 'DEFAULT' | 'ALL';
  /** SNS topic and role, when completion is published. */
  readonly notificationChannel?: { readonly snsTopicArn: string; readonly roleArn: string } | undefined;
  /** A caller-chosen `JobTag`; when absent a digest is used. */
  readonly jobTag?: string | undefined;
}

/** `ClientRequestToken` rule of the service model. */
export const CLIENT_REQUEST_TOKEN_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;
/** `JobTag` rule of the service model. */
export const JOB_TAG_PATTERN = /^[a-zA-Z0-9_.\-:+=/]{1,1024}$/;
/** Prefix of every default `JobTag`, so notifications of this library's jobs are recognisable. */
export const JOB_TAG_PREFIX = 'face-stream:';

/**
 * The default `ClientRequestToken` and `JobTag` of a job: a SHA-256 digest of a canonical encoding of the
 * video (bucket, name, version) and every request parameter, so the same request gets the same token (the
 * service then returns the same JobId for up to 7 days and starts no second job) and any change of a parameter
 * gets another one. Stable across processes, machines and versions of this library (the encoding is versioned:
 * `v1`).
 *
 * - token: `fs1-` + 60 hex digits (64 characters, `[a-zA-Z0-9-_]`);
 * - tag: `face-stream:` + 40 hex digits of the same digest (a caller's `jobTag` is kept as is, and is part of the
 *   digest).
 *
 * @example
 * ```ts
 * import { jobIdentity } from 'rekognition-face-stream';
 *
 * const { clientRequestToken, jobTag } = jobIdentity({ video: { bucket: 'b', name: 'k.mp4' }, faceAttributes: 'DEFAULT' });
 * ```
 */
export function jobIdentity(parameters: JobParameters): { readonly clientRequestToken: string; readonly jobTag: string } {
  const { video, faceAttributes, notificationChannel, jobTag } = parameters;
  // An array, so the encoding does not depend on key order; `null` marks an absent member.
  const canonical = JSON.stringify([
    'v1',
    'StartFaceDetection',
    video.bucket,
    video.name,
    video.version ?? null,
    faceAttributes,
    notificationChannel?.snsTopicArn ?? null,
    notificationChannel?.roleArn ?? null,
    jobTag ?? null,
  ]);
  const digest = createHash('sha256').update(canonical).digest('hex');
  return { clientRequestToken: `fs1-${digest.slice(0, 60)}`, jobTag: jobTag ?? `${JOB_TAG_PREFIX}${digest.slice(0, 40)}` };
}

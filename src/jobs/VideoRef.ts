import { InvalidParameterError } from '../errors/InvalidParameterError.js';

/**
 * A stored video: the S3 object a Rekognition Video job analyses.
 *
 * @example
 * ```ts
 * import type { VideoRef } from 'rekognition-face-stream';
 *
 * const video: VideoRef = { bucket: 'my-videos', name: 'lobby/2024-05-01.mp4' };
 * ```
 */
export interface VideoRef {
  /** S3 bucket: 3–255 characters of `[0-9A-Za-z.\-_]` (the Rekognition model's rule). */
  readonly bucket: string;
  /** S3 object key: 1–1024 characters. */
  readonly name: string;
  /** S3 object version, when the bucket is versioned: 1–1024 characters. */
  readonly version?: string;
}

const BUCKET_PATTERN = /^[0-9A-Za-z.\-_]{3,255}$/;

/**
 * Validates a video given as an `s3://bucket/key` URI or a {@link VideoRef} and returns a fresh, frozen
 * `VideoRef` (the caller's object is never kept or changed). Throws {@link InvalidParameterError} naming
 * `parameter` before any request.
 *
 * @example
 * ```ts
 * import { parseVideo } from 'rekognition-face-stream';
 *
 * parseVideo('s3://my-videos/lobby/cam1.mp4'); // { bucket: 'my-videos', name: 'lobby/cam1.mp4' }
 * ```
 */
export function parseVideo(value: unknown, parameter = 'video'): VideoRef {
  if (typeof value === 'string') {
    const match = /^s3:\/\/([^/]*)\/(.*)$/s.exec(value.trim());
    if (!match) throw new InvalidParameterError(parameter, 'an s3://bucket/key URI', value);
    return checked({ bucket: match[1]!, name: match[2]! }, parameter, value);
  }
  if (typeof value !== 'object' || value === null) {
    throw new InvalidParameterError(parameter, 'an s3://bucket/key URI or { bucket, name, version? }', value);
  }
  const { bucket, name, version } = value as Record<string, unknown>;
  if (typeof bucket !== 'string' || typeof name !== 'string' || (version !== undefined && typeof version !== 'string')) {
    throw new InvalidParameterError(parameter, 'an s3://bucket/key URI or { bucket, name, version? } of strings', value);
  }
  return checked(version === undefined ? { bucket, name } : { bucket, name, version }, parameter, value);
}

function checked(video: VideoRef, parameter: string, original: unknown): VideoRef {
  if (!BUCKET_PATTERN.test(video.bucket)) {
    throw new InvalidParameterError(`${parameter} bucket`, 'an S3 bucket name of 3–255 characters [0-9A-Za-z.-_]', video.bucket);
  }
  if (video.name.length < 1 || video.name.length > 1024) {
    throw new InvalidParameterError(`${parameter} key`, 'an S3 object key of 1–1024 characters', original);
  }
  if (video.version !== undefined && (video.version.length < 1 || video.version.length > 1024)) {
    throw new InvalidParameterError(`${parameter} version`, 'an S3 object version of 1–1024 characters', video.version);
  }
  return Object.freeze(video);
}

/**
 * The video as an `s3://bucket/key` URI (with `?versionId=` when it has a version), for messages.
 *
 * @example
 * ```ts
 * import { videoUri } from 'rekognition-face-stream';
 *
 * videoUri({ bucket: 'b', name: 'k.mp4' }); // 's3://b/k.mp4'
 * ```
 */
export function videoUri(video: VideoRef): string {
  return `s3://${video.bucket}/${video.name}${video.version === undefined ? '' : `?versionId=${video.version}`}`;
}

/**
 * S3 `HeadObject` (`HEAD /<bucket>/<key>[?versionId=…]`, path style): the metadata of the emulator's videos,
 * so a client can learn each video's size before it starts a job (a proxy of its processing time). The size
 * follows the model of `objectSize` (duration × a per-object bitrate). There is no object body: `GetObject` and
 * every other S3 operation are not served.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { parseObjectName } from '../jobs/objectName.js';
import { type BitrateModel, objectSize } from '../s3/objectSize.js';
import { hashString } from '../synthetic/random.js';

/** What `HeadObject` needs. */
export interface S3Context {
  readonly seed: number;
  readonly bitrate: BitrateModel;
  readonly missingBuckets: ReadonlySet<string>;
  readonly deniedBuckets: ReadonlySet<string>;
}

/** The answer to a `HEAD` (no body). */
export interface HeadAnswer {
  readonly status: 200 | 400 | 403 | 404;
  readonly headers: Readonly<Record<string, string>>;
  /** The S3 error code, for the request log. */
  readonly errorType?: string;
}

const DAY = 86_400_000;
/** Objects were "uploaded" on a day of 2024, chosen by the object (deterministic). */
const EPOCH = Date.UTC(2024, 0, 1);

/** Answers `HEAD <url>`; `signed` is false when the request's signature was refused (403). */
export function headObject(url: string, signed: boolean, s3: S3Context): HeadAnswer {
  const [path = '/', query = ''] = url.split('?', 2);
  const [, bucketPart = '', ...keyParts] = path.split('/');
  const bucket = safeDecode(bucketPart);
  const name = keyParts.map(safeDecode).join('/');
  const version = new URLSearchParams(query).get('versionId') ?? undefined;
  if (!signed) return { status: 403, headers: {}, errorType: 'AccessDenied' };
  if (bucket === '' || name === '') return { status: 400, headers: {}, errorType: 'InvalidRequest' };
  let s3Error: 'missing' | 'denied' | undefined;
  try {
    s3Error = parseObjectName(name).s3Error;
  } catch {
    s3Error = undefined; // a name that misuses the convention still names an object
  }
  if (s3.deniedBuckets.has(bucket) || s3Error === 'denied') return { status: 403, headers: {}, errorType: 'AccessDenied' };
  if (s3.missingBuckets.has(bucket) || s3Error === 'missing') return { status: 404, headers: {}, errorType: 'NotFound' };
  const object = { bucket, name, version };
  const text = `${bucket}\n${name}\n${version ?? ''}`;
  const etag = createHash('md5').update(`${s3.seed}\n${text}`).digest('hex');
  const modified = EPOCH + (hashString(text, s3.seed ^ 0x2545f491) % 366) * DAY;
  return {
    status: 200,
    headers: {
      'content-length': String(objectSize(object, s3.seed, s3.bitrate)),
      'content-type': 'video/mp4',
      etag: `"${etag}"`,
      'last-modified': new Date(modified).toUTCString(),
      'accept-ranges': 'bytes',
      ...(version === undefined ? {} : { 'x-amz-version-id': version }),
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

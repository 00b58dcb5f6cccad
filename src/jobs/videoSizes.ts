import type { HeadObjectCommandInput, HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { abortReason, type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectInteger, expectNumber, expectObject, expectString } from '../internal/validate.js';
import type { VideoRef } from './VideoRef.js';

/**
 * A video's size in bytes, or `undefined` when it is unknown. Sizes are a proxy of processing time (a job's
 * duration is roughly proportional to the video's, and so is its size): `faceDetectionBatch` starts the largest
 * videos first with it. Rejects only when `signal` aborts.
 */
export type VideoSizeLookup = (video: VideoRef, signal?: AbortSignal) => Promise<number | undefined>;

/**
 * The structural S3 client {@link s3ObjectSizes} accepts: anything with the SDK's `send(command, options)`, e.g.
 * an `S3Client` of `@aws-sdk/client-s3` (an optional peer dependency, loaded only when sizes are looked up).
 */
export interface S3Like {
  send(command: any, options?: { abortSignal?: AbortSignal | undefined }): Promise<any>;
}

/** Options of {@link s3ObjectSizes}. Durations in ms. */
export interface S3ObjectSizesOptions {
  /**
   * The S3 client. Its own retry strategy handles transient errors (the SDK default: 3 attempts).
   * @default new S3Client({ region, endpoint, forcePathStyle: endpoint !== undefined, profile }) (closed by `close()`)
   */
  readonly client?: S3Like;
  /**
   * Region of the default client.
   * @default the SDK's (AWS_REGION, the profile)
   */
  readonly region?: string;
  /**
   * Endpoint of the default client (path-style requests when given, e.g. the emulator's).
   * @default the SDK's (S3 of the region)
   */
  readonly endpoint?: string;
  /**
   * Shared-config profile of the default client.
   * @default the SDK's (AWS_PROFILE)
   */
  readonly profile?: string;
  /**
   * Most `HeadObject` requests in flight at once (the others wait their turn).
   * @default 16
   */
  readonly maxConcurrent?: number;
  /**
   * Longest time one lookup may take, its SDK retries included; then the size is unknown (`undefined`).
   * @default 10_000
   */
  readonly timeout?: number;
  /**
   * After this many failed lookups in a row (errors and timeouts; 404 and 403 are answers, not failures), S3 is
   * taken as unreachable: later lookups answer `undefined` at once, without a request (`stats.skipped`), so a
   * wrong endpoint costs a batch a few failed requests, not a retried request per video. `Infinity` never gives up.
   * @default 16
   */
  readonly maxConsecutiveErrors?: number;
  /**
   * Time source of `timeout`.
   * @default systemClock
   */
  readonly clock?: Clock;
  /** Called with each failed lookup's error (the size is then `undefined`); must not throw. */
  readonly onError?: (error: unknown, video: VideoRef) => void;
}

/** Counters of an {@link S3ObjectSizes}. */
export interface S3ObjectSizesStats {
  /** `HeadObject` lookups sent (the SDK's own retries not counted). */
  requests: number;
  /** Sizes found. */
  found: number;
  /** 404: no such object (the Start will report `InvalidS3ObjectException`). */
  missing: number;
  /** 403: not allowed to read it (the Start will report the video's error). */
  denied: number;
  /** Other errors, after the client's retries. */
  errors: number;
  /** Lookups cut at `timeout`. */
  timeouts: number;
  /** Lookups answered `undefined` without a request, after `maxConsecutiveErrors` failures in a row. */
  skipped: number;
}

/** A size lookup by S3 `HeadObject` (a {@link VideoSizeLookup}) with its counters. */
export interface S3ObjectSizes extends VideoSizeLookup {
  /** Counters since creation. */
  readonly stats: Readonly<S3ObjectSizesStats>;
  /**
   * Loads `@aws-sdk/client-s3` now instead of on the first lookup: resolves once it is loaded, rejects with an
   * `InvalidParameterError` (parameter `client`) when it is not installed. Await it at start-up to decide early.
   */
  ready(): Promise<void>;
  /** Destroys the client it created (a given client is left to its owner). Later lookups answer `undefined`. */
  close(): void;
}

/**
 * Looks up videos' sizes with S3 `HeadObject` (`Content-Length`), as hints of their processing time: give it to
 * `faceDetectionBatch`'s `order: { largestFirst }` to start the longest videos first. The caller of
 * `StartFaceDetection` needs `s3:GetObject` on each video anyway, which also allows `HeadObject`.
 *
 * A size is `undefined` when it cannot be known — no such object (404), access denied (403), any other error
 * after the S3 client's own retries, `timeout`, or S3 taken as unreachable after `maxConsecutiveErrors` failures
 * in a row — and never an error: the Start then reports the video's real problem. At most `maxConcurrent` requests are in flight. `@aws-sdk/client-s3` must be installed (an optional
 * peer dependency); it is imported on the first lookup, or by `ready()`.
 *
 * @example
 * ```ts
 * import { createRekognitionClient, faceDetectionBatch, s3ObjectSizes } from 'rekognition-face-stream';
 *
 * const sizeOf = s3ObjectSizes({ region: 'eu-west-1' });
 * await sizeOf.ready(); // fails here without @aws-sdk/client-s3
 * console.log(await sizeOf({ bucket: 'my-videos', name: 'lobby/cam1.mp4' })); // e.g. 187432960
 * const batch = faceDetectionBatch(videos, { client: createRekognitionClient(), order: { largestFirst: sizeOf } });
 * // … consume; then sizeOf.close();
 * ```
 */
export function s3ObjectSizes(options: S3ObjectSizesOptions = {}): S3ObjectSizes {
  expectObject('options', options);
  if (options.client !== undefined && typeof (options.client as { send?: unknown })?.send !== 'function') {
    throw new InvalidParameterError('client', 'an S3 client (an object with send(command, options))', options.client);
  }
  const region = options.region === undefined ? undefined : expectString('region', options.region, { minLength: 1 });
  const endpoint = options.endpoint === undefined ? undefined : expectString('endpoint', options.endpoint, { minLength: 1, pattern: /^https?:\/\/\S+$/ });
  const profile = options.profile === undefined ? undefined : expectString('profile', options.profile, { minLength: 1 });
  const maxConcurrent = expectInteger('maxConcurrent', options.maxConcurrent ?? 16, 1, 1000);
  const timeout = expectNumber('timeout', options.timeout ?? 10_000, 0);
  const maxConsecutiveErrors = expectNumber('maxConsecutiveErrors', options.maxConsecutiveErrors ?? 16, 1);
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new InvalidParameterError('onError', 'a function (error, video) => void', options.onError);
  }
  const clock = options.clock ?? systemClock;
  const { onError } = options;
  const stats: S3ObjectSizesStats = { requests: 0, found: 0, missing: 0, denied: 0, errors: 0, timeouts: 0, skipped: 0 };
  let failuresInARow = 0;
  const unreachable = () => failuresInARow >= maxConsecutiveErrors;

  let sdk: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
  const load = () =>
    (sdk ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
      throw new InvalidParameterError('client', 'usable with @aws-sdk/client-s3 installed (npm install @aws-sdk/client-s3)', undefined, {
        cause: error,
      });
    }));
  let owned: { destroy(): void } | undefined;
  let client: Promise<S3Like> | undefined;
  const clientOf = () =>
    (client ??=
      options.client !== undefined
        ? Promise.resolve(options.client)
        : load().then((module) => {
            const created = new module.S3Client({
              ...(region === undefined ? {} : { region }),
              ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
              ...(profile === undefined ? {} : { profile }),
            });
            owned = created;
            return created;
          }));

  let closed = false;
  let active = 0;
  const waiting: (() => void)[] = [];
  // No abort listener per queued lookup (a batch sizes up to its whole window at once, on one signal): a lookup
  // whose signal aborted while it waited gives its turn up as soon as it gets it.
  const turn = (): Promise<void> => {
    if (active < maxConcurrent) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      waiting.push(() => {
        active++;
        resolve();
      });
    });
  };
  const done = () => {
    active--;
    waiting.shift()?.();
  };

  const lookup = async (video: VideoRef, signal?: AbortSignal): Promise<number | undefined> => {
    if (signal?.aborted) throw abortReason(signal);
    const [module, s3] = await Promise.all([load(), clientOf()]);
    await turn();
    if (signal?.aborted) {
      done();
      throw abortReason(signal);
    }
    if (closed || unreachable()) {
      if (!closed) stats.skipped++;
      done();
      return undefined;
    }
    const timer = new AbortController();
    const abortSignal = signal === undefined ? timer.signal : AbortSignal.any([signal, timer.signal]);
    let timedOut = false;
    if (timeout > 0 && Number.isFinite(timeout)) {
      clock.sleep(timeout, abortSignal).then(
        () => {
          timedOut = true;
          timer.abort();
        },
        () => undefined,
      );
    }
    const input: HeadObjectCommandInput = { Bucket: video.bucket, Key: video.name, ...(video.version === undefined ? {} : { VersionId: video.version }) };
    try {
      stats.requests++;
      const output = (await s3.send(new module.HeadObjectCommand(input), { abortSignal })) as HeadObjectCommandOutput;
      const size = output.ContentLength;
      failuresInARow = 0;
      if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
        stats.errors++;
        return undefined;
      }
      stats.found++;
      return size;
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
      if (!timedOut && (status === 404 || status === 403)) {
        failuresInARow = 0;
        if (status === 404) stats.missing++;
        else stats.denied++;
      } else {
        failuresInARow++;
        if (timedOut) stats.timeouts++;
        else stats.errors++;
      }
      try {
        onError?.(error, video);
      } catch {
        // an observer's failure changes nothing: the size is unknown
      }
      return undefined;
    } finally {
      if (!timer.signal.aborted) timer.abort(); // ends the timeout's sleep
      done();
    }
  };

  return Object.assign(lookup, {
    stats,
    ready: () => load().then(() => undefined),
    close() {
      closed = true;
      owned?.destroy();
    },
  });
}

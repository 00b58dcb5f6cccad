/**
 * Options of {@link startEmulator}, their defaults and eager validation.
 *
 * @module
 */
import { systemClock, type Clock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectFunction, expectInteger, expectNumber, expectString } from '../internal/validate.js';
import type { EmulatorCredentials } from './auth/sigv4.js';
import type { FaultOptions } from './faults/FaultInjector.js';
import type { VideoRequest } from './jobs/objectName.js';
import type { RequestLogEntry } from './log/RequestLog.js';
import { NUMBER_FORMATS, type NumberFormat } from './synthetic/decimal.js';

/** Options of {@link startEmulator}. Durations in ms of the injected clock. */
export interface EmulatorOptions {
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Port; 0 picks a free one (see `endpoint`).
   * @default 0
   */
  readonly port?: number;
  /**
   * Seed of all generated content (with the S3 object) and of job ids and random faults.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Time source for job processing, retention, token TTL, TPS quotas and injected latency.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * How long a job stays IN_PROGRESS: a number, or a function of the requested video.
   * @default 1 s plus 0.1 ms per second of video, at most 5 s
   */
  readonly processingTimeMs?: number | ((video: VideoRequest) => number);
  /**
   * How long results are kept after a job finishes (the real service: 7 days).
   * @default 604800000
   */
  readonly retentionMs?: number;
  /**
   * Lifetime of a `NextToken` (the real service: 24 h).
   * @default 86400000
   */
  readonly tokenTtlMs?: number;
  /**
   * Concurrent IN_PROGRESS jobs allowed (the real default quota: 20); beyond it `LimitExceededException`.
   * @default 20
   */
  readonly maxConcurrentJobs?: number;
  /**
   * Longest video accepted (the real limit: 6 h); beyond it `VideoTooLargeException`.
   * @default 21600000
   */
  readonly maxVideoDurationMs?: number;
  /**
   * Jobs kept in memory; the oldest are forgotten beyond it.
   * @default 10000
   */
  readonly maxRetainedJobs?: number;
  /**
   * How the float fields of detections (boxes, landmarks, pose, quality, confidences, frame rate) are printed:
   * `'float32'` as the real service does (it computes in float32 and widens to double, so 0.23 arrives as
   * `0.23000000417232513`, ≈ 690 bytes per DEFAULT detection), or `'rounded'` (7 decimals for frame ratios, 5
   * for degrees and percentages: ≈ 500 bytes, cheaper to parse than what AWS sends).
   * @default 'float32'
   */
  readonly numbers?: NumberFormat;
  /**
   * Largest request body accepted (bytes); beyond it 413.
   * @default 65536
   */
  readonly maxBodyBytes?: number;
  /**
   * When set, SigV4 signatures are verified against these credentials (`AccessDeniedException` otherwise).
   * Without it any well-formed SigV4 `Authorization` header is accepted.
   * @default undefined
   */
  readonly credentials?: readonly EmulatorCredentials[];
  /**
   * Fault injection: TPS quotas, random and scripted faults (also adjustable at run time via `emu.faults`).
   * @default no faults
   */
  readonly faults?: FaultOptions;
  /**
   * Entries kept in the request log (`emu.requests()`); counters count every request regardless.
   * @default 1000
   */
  readonly requestLogSize?: number;
  /**
   * Called after every request with its log entry (e.g. to print a live request log). Must not throw.
   * @default undefined
   */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

/** Options with defaults applied. */
export type ResolvedEmulatorOptions = Required<Omit<EmulatorOptions, 'credentials' | 'onRequest'>> &
  Pick<EmulatorOptions, 'credentials' | 'onRequest'>;

const DAY = 86_400_000;

/** Validates `options` (throwing `InvalidParameterError`) and applies the defaults. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  const o = options;
  const processing = o.processingTimeMs ?? defaultProcessingTime;
  if (typeof processing !== 'function') expectNumber('processingTimeMs', processing, 0);
  const resolved: ResolvedEmulatorOptions = {
    host: expectString('host', o.host ?? '127.0.0.1', { minLength: 1 }),
    port: expectInteger('port', o.port ?? 0, 0, 65535),
    seed: expectInteger('seed', o.seed ?? 1),
    clock: o.clock ?? systemClock,
    processingTimeMs: processing,
    retentionMs: expectNumber('retentionMs', o.retentionMs ?? 7 * DAY, 0),
    tokenTtlMs: expectNumber('tokenTtlMs', o.tokenTtlMs ?? DAY, 0),
    maxConcurrentJobs: expectInteger('maxConcurrentJobs', o.maxConcurrentJobs ?? 20, 1),
    maxVideoDurationMs: expectNumber('maxVideoDurationMs', o.maxVideoDurationMs ?? 6 * 3_600_000, 1),
    maxRetainedJobs: expectInteger('maxRetainedJobs', o.maxRetainedJobs ?? 10_000, 1),
    maxBodyBytes: expectInteger('maxBodyBytes', o.maxBodyBytes ?? 65_536, 1),
    numbers: numberFormat(o.numbers ?? 'float32'),
    credentials: o.credentials,
    faults: o.faults ?? {},
    requestLogSize: expectInteger('requestLogSize', o.requestLogSize ?? 1000, 0),
    onRequest: o.onRequest === undefined ? undefined : expectFunction('onRequest', o.onRequest),
  };
  if (o.credentials !== undefined) {
    if (!Array.isArray(o.credentials) || o.credentials.length === 0) {
      throw new InvalidParameterError('credentials', 'a non-empty array of { accessKeyId, secretAccessKey }', o.credentials);
    }
    o.credentials.forEach((c, i) => {
      expectString(`credentials[${i}].accessKeyId`, c?.accessKeyId, { minLength: 1 });
      expectString(`credentials[${i}].secretAccessKey`, c?.secretAccessKey, { minLength: 1 });
    });
  }
  return resolved;
}

function numberFormat(value: unknown): NumberFormat {
  if (!NUMBER_FORMATS.includes(value as NumberFormat)) throw new InvalidParameterError('numbers', "'float32' or 'rounded'", value);
  return value as NumberFormat;
}

function defaultProcessingTime(video: VideoRequest): number {
  return Math.min(5000, 1000 + video.durationMs / 10_000);
}

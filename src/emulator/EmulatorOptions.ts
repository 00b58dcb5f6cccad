/**
 * Options of {@link startEmulator}, their defaults and eager validation.
 *
 * @module
 */
import { systemClock, type Clock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectFunction, expectInteger, expectNumber, expectObject, expectString } from '../internal/validate.js';
import type { EmulatorCredentials } from './auth/sigv4.js';
import type { FaultOptions } from './faults/FaultInjector.js';
import type { VideoRequest } from './jobs/objectName.js';
import type { RequestLogEntry } from './log/RequestLog.js';
import { NUMBER_FORMATS, type NumberFormat } from './synthetic/decimal.js';
import type { CreateQueueOptions, NotificationFaults, SubscribeOptions } from './sqs/Messaging.js';

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
   * How long a job stays IN_PROGRESS: a number, a function of the requested video, or a time proportional to
   * the video's duration, `{ perVideoSecondMs, baseMs?, maxMs? }` (`baseMs + perVideoSecondMs × seconds`,
   * at most `maxMs`).
   * @default 1 s plus 0.1 ms per second of video, at most 5 s
   */
  readonly processingTimeMs?: number | ((video: VideoRequest) => number) | ProcessingTimePerSecond;
  /**
   * Job slots of the shared quota held by other applications of the account: `{ slots, fromMs?, forMs? }`
   * (clock times relative to the emulator's start; `forMs` absent = held until the emulator closes), or a
   * list of them. They count against `maxConcurrentJobs` like our jobs. At run time: `emu.holdJobSlots()`.
   * @default none
   */
  readonly otherApplications?: OtherApplicationsHold | readonly OtherApplicationsHold[];
  /**
   * Buckets whose objects do not exist: a Start on them answers `InvalidS3ObjectException`, a `HeadObject` 404
   * (also the object name token `missing=1`).
   * @default none
   */
  readonly missingBuckets?: readonly string[];
  /**
   * Buckets the caller may not use: a Start on them answers `AccessDeniedException`, a `HeadObject` 403 (also
   * the object name token `denied=1`).
   * @default none
   */
  readonly deniedBuckets?: readonly string[];
  /**
   * Median bitrate of the videos (bits per second), for the sizes S3 `HeadObject` reports: an object's size is
   * its duration × its own bitrate / 8, the bitrate log-normal around this median (see `bitrateSigma`).
   * @default 2_500_000
   */
  readonly medianBitrate?: number;
  /**
   * Spread of the videos' bitrates: standard deviation of the natural log of the bitrate (0: every video at the
   * median; 0.25: about two thirds of the videos within ±25 % of it). Drawn per object from the seed, bucket,
   * key and version, so a video's size is the same on every run.
   * @default 0.25
   */
  readonly bitrateSigma?: number;
  /**
   * SQS queues to create at start: names, or `{ name, visibilityTimeoutMs?, receiveWaitTimeMs?, delayMs? }`.
   * Queue URLs are `<endpoint>/123456789012/<name>` (also `emu.createQueue()` at run time).
   * @default none
   */
  readonly queues?: readonly (string | QueueOptions)[];
  /**
   * SNS subscriptions to create at start: `{ topicArn, queue, raw? }` (the queue is created when missing). A
   * job whose `NotificationChannel.SNSTopicArn` is the topic publishes its completion to every subscribed
   * queue; a topic without subscriptions publishes nowhere (also `emu.subscribe()` at run time).
   * @default none
   */
  readonly subscriptions?: readonly SubscriptionOptions[];
  /**
   * Faults of the completion notifications: `{ lose?, duplicate?, delay?, delayMs?, seed? }` (probabilities
   * per notification, seeded; also `emu.setNotificationFaults()` at run time).
   * @default no faults
   */
  readonly notificationFaults?: NotificationFaults;
  /**
   * The SNS `Subject` of completion notifications. The subject Rekognition publishes with is not documented;
   * by default the envelope has no `Subject` member.
   * @default undefined
   */
  readonly notificationSubject?: string;
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
   * Bytes of served `GetFaceDetection` pages kept in memory (least recently used out) and served again from
   * there when a job is read again, as the real service serves stored results. Off by default: pages are then
   * generated on every read (memory stays flat however long the job). A client benchmark on one machine turns it
   * on so that reading a job measures the client, not the emulator generating pages on the core they share.
   * @default 0
   */
  readonly pageCacheBytes?: number;
  /**
   * Largest request body accepted (bytes); beyond it 413.
   * @default 65536
   */
  readonly maxBodyBytes?: number;
  /**
   * Time a client has to send a request's complete headers, ms of real time (Node's HTTP server timer, not
   * the injected clock). A connection still sending its headers after it (a slow-loris client) gets a `408`
   * `RequestTimeoutException` and is closed.
   * @default 20000
   */
  readonly headersTimeoutMs?: number;
  /**
   * Time a client has to send a complete request (headers and body), ms of real time; beyond it `408` and the
   * connection is closed. At least `headersTimeoutMs`.
   * @default 60000
   */
  readonly requestTimeoutMs?: number;
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

/** Processing time proportional to the video's duration: `baseMs + perVideoSecondMs × seconds`, at most `maxMs`. */
export interface ProcessingTimePerSecond {
  /** Processing time per second of video (ms). */
  readonly perVideoSecondMs: number;
  /**
   * Fixed part (ms).
   * @default 0
   */
  readonly baseMs?: number;
  /**
   * Upper bound (ms).
   * @default Infinity
   */
  readonly maxMs?: number;
}

/** A queue to create at start (see `queues`). */
export interface QueueOptions extends CreateQueueOptions {
  readonly name: string;
}

/** A subscription to create at start (see `subscriptions`). */
export interface SubscriptionOptions extends SubscribeOptions {
  /** `arn:aws:sns:<region>:<12 digits>:<name>`, e.g. `arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic`. */
  readonly topicArn: string;
  /** Name of the subscribed queue. */
  readonly queue: string;
}

/** Job slots held by other applications of the account (see `otherApplications`). */
export interface OtherApplicationsHold {
  /** Slots held. */
  readonly slots: number;
  /**
   * When the hold begins, ms after the emulator's start (clock time).
   * @default 0
   */
  readonly fromMs?: number;
  /**
   * How long it lasts (ms).
   * @default Infinity (until the emulator closes)
   */
  readonly forMs?: number;
}

/** Options with defaults applied. */
export type ResolvedEmulatorOptions = Required<
  Omit<EmulatorOptions, 'credentials' | 'onRequest' | 'processingTimeMs' | 'otherApplications' | 'queues' | 'notificationSubject'>
> &
  Pick<EmulatorOptions, 'credentials' | 'onRequest' | 'notificationSubject'> & {
    readonly processingTimeMs: number | ((video: VideoRequest) => number);
    readonly otherApplications: readonly OtherApplicationsHold[];
    readonly queues: readonly QueueOptions[];
  };

const DAY = 86_400_000;

/** Validates `options` (throwing `InvalidParameterError`) and applies the defaults. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  const o = options;
  const processing = resolveProcessingTime(o.processingTimeMs);
  const holds = o.otherApplications === undefined ? [] : Array.isArray(o.otherApplications) ? o.otherApplications : [o.otherApplications];
  (holds as readonly OtherApplicationsHold[]).forEach((h, i) => {
    const at = `otherApplications[${i}]`;
    expectObject(at, h);
    expectInteger(`${at}.slots`, h.slots, 1);
    if (h.fromMs !== undefined) expectNumber(`${at}.fromMs`, h.fromMs, 0);
    if (h.forMs !== undefined) expectNumber(`${at}.forMs`, h.forMs, 0);
  });
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
    pageCacheBytes: expectInteger('pageCacheBytes', o.pageCacheBytes ?? 0, 0),
    headersTimeoutMs: expectInteger('headersTimeoutMs', o.headersTimeoutMs ?? 20_000, 1),
    requestTimeoutMs: expectInteger('requestTimeoutMs', o.requestTimeoutMs ?? 60_000, 1),
    credentials: o.credentials,
    faults: o.faults ?? {},
    requestLogSize: expectInteger('requestLogSize', o.requestLogSize ?? 1000, 0),
    onRequest: o.onRequest === undefined ? undefined : expectFunction('onRequest', o.onRequest),
    otherApplications: holds as readonly OtherApplicationsHold[],
    missingBuckets: stringList('missingBuckets', o.missingBuckets),
    deniedBuckets: stringList('deniedBuckets', o.deniedBuckets),
    medianBitrate: expectNumber('medianBitrate', o.medianBitrate ?? 2_500_000, 1),
    bitrateSigma: expectNumber('bitrateSigma', o.bitrateSigma ?? 0.25, 0, 3),
    queues: (o.queues ?? []).map((q, i) => (typeof q === 'string' ? { name: q } : { ...expectObject(`queues[${i}]`, q), ...q })),
    subscriptions: [...(o.subscriptions ?? [])],
    notificationFaults: o.notificationFaults ?? {},
    notificationSubject:
      o.notificationSubject === undefined ? undefined : expectString('notificationSubject', o.notificationSubject, { minLength: 1, maxLength: 99 }),
  };
  if (resolved.requestTimeoutMs < resolved.headersTimeoutMs) {
    throw new InvalidParameterError(
      'requestTimeoutMs',
      `an integer >= headersTimeoutMs (${resolved.headersTimeoutMs})`,
      resolved.requestTimeoutMs,
    );
  }
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

function resolveProcessingTime(value: EmulatorOptions['processingTimeMs']): number | ((video: VideoRequest) => number) {
  if (value === undefined) return defaultProcessingTime;
  if (typeof value === 'function') return value;
  if (typeof value === 'number') return expectNumber('processingTimeMs', value, 0);
  expectObject('processingTimeMs', value);
  const perSecond = expectNumber('processingTimeMs.perVideoSecondMs', value.perVideoSecondMs, 0);
  const base = expectNumber('processingTimeMs.baseMs', value.baseMs ?? 0, 0);
  const max = value.maxMs === undefined ? Infinity : expectNumber('processingTimeMs.maxMs', value.maxMs, 0);
  return (video) => Math.min(max, base + (perSecond * video.durationMs) / 1000);
}

function stringList(parameter: string, value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidParameterError(parameter, 'an array of strings', value);
  value.forEach((v, i) => expectString(`${parameter}[${i}]`, v, { minLength: 1 }));
  return [...value];
}

function defaultProcessingTime(video: VideoRequest): number {
  return Math.min(5000, 1000 + video.durationMs / 10_000);
}

/**
 * The emulator's jobs: creation with idempotency and a concurrent-job quota, the lifecycle in (injected)
 * clock time, retention, and each job's synthetic video (created lazily, a few kept in a small LRU).
 *
 * @module
 */
import type { NumberFormat } from '../synthetic/decimal.js';
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/Clock.js';
import { errors } from '../protocol/ServiceException.js';
import type { FaceAttributesMode } from '../synthetic/faceDetail.js';
import { hashString } from '../synthetic/random.js';
import { syntheticVideo, type SyntheticVideo } from '../synthetic/syntheticVideo.js';
import { ObjectNameError, parseObjectName, type VideoRequest } from './objectName.js';

/** The S3 object of a job, as `Video.S3Object`. */
export interface S3ObjectRef {
  readonly Bucket: string;
  readonly Name: string;
  readonly Version?: string;
}

/** A validated `StartFaceDetection` input. */
export interface StartInput {
  readonly s3Object: S3ObjectRef;
  readonly faceAttributes: FaceAttributesMode;
  readonly jobTag: string | undefined;
  readonly clientRequestToken: string | undefined;
  readonly notificationChannel: { readonly SNSTopicArn: string; readonly RoleArn: string } | undefined;
}

/** Job status as the service reports it. */
export type JobStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** A face-detection job. */
export interface Job {
  readonly jobId: string;
  readonly input: StartInput;
  readonly request: VideoRequest;
  /** Seed of the job's video: the emulator seed and the S3 object. */
  readonly contentSeed: number;
  /** Clock times (ms): created, finished processing, results deleted. */
  readonly createdAt: number;
  readonly readyAt: number;
  readonly expiresAt: number;
}

/** Settings of a {@link JobStore}. */
export interface JobStoreSettings {
  readonly seed: number;
  readonly clock: Clock;
  readonly processingTimeMs: number | ((request: VideoRequest) => number);
  readonly retentionMs: number;
  readonly maxConcurrentJobs: number;
  readonly maxVideoDurationMs: number;
  readonly maxRetainedJobs: number;
  /** How the videos' float fields are printed. */
  readonly numbers: NumberFormat;
  /** Buckets whose objects do not exist (`InvalidS3ObjectException`). */
  readonly missingBuckets?: ReadonlySet<string>;
  /** Buckets the caller may not use (`AccessDeniedException`). */
  readonly deniedBuckets?: ReadonlySet<string>;
  /** Called once for every new job (not for idempotent repeats). */
  readonly onJobCreated?: (job: Job) => void;
}

/** Job slots held by other applications of the account, in clock time `[from, until)`. */
export interface SlotHold {
  readonly slots: number;
  readonly from: number;
  /** `Infinity` while held until released. */
  until: number;
}

/** In-progress jobs: ours (started through the emulator's API), other applications', and their sum. */
export interface SlotCounts {
  readonly ours: number;
  readonly others: number;
  readonly total: number;
}

/** Start requests and jobs of one S3 object. */
export interface ObjectJobStats {
  readonly bucket: string;
  readonly name: string;
  readonly version: string | undefined;
  /** `StartFaceDetection` requests with valid input naming the object, whatever their outcome. */
  readonly starts: number;
  /** Distinct jobs created for it (a billed job each). */
  readonly jobs: number;
  /** Its job ids, oldest first. */
  readonly jobIds: readonly string[];
  /** Starts refused with `LimitExceededException`. */
  readonly limitExceeded: number;
  /** Starts answered with an earlier job's id (same `ClientRequestToken` and input). */
  readonly idempotentRepeats: number;
}

/** Job counters of an emulator since it started (see `emu.jobStats()`). */
export interface JobStats {
  /** `StartFaceDetection` requests with valid input, whatever their outcome. */
  readonly starts: number;
  /** Distinct jobs created. */
  readonly jobsCreated: number;
  readonly idempotentRepeats: number;
  readonly limitExceeded: number;
  /** Starts refused for the object (`InvalidS3ObjectException`, `AccessDeniedException`, `VideoTooLargeException`). */
  readonly refused: number;
  /** Jobs in progress now. */
  readonly inProgress: SlotCounts;
  /** The most jobs in progress at once (each count's own maximum). */
  readonly peakInProgress: SlotCounts;
  /** Per S3 object, in order of first Start. */
  readonly byObject: readonly ObjectJobStats[];
}

interface MutableObjectStats {
  bucket: string;
  name: string;
  version: string | undefined;
  starts: number;
  jobIds: string[];
  limitExceeded: number;
  idempotentRepeats: number;
}

/** Objects whose Start counters are kept (the oldest first-seen are forgotten beyond it). */
const MAX_OBJECT_STATS = 100_000;

/** Videos kept (by content: jobs on the same object share one); others are recreated on demand. */
const VIDEO_CACHE_SIZE = 32;

/** Holds the jobs of one emulator. */
export class JobStore {
  readonly #settings: JobStoreSettings;
  readonly #jobs = new Map<string, Job>();
  readonly #byToken = new Map<string, Job>();
  readonly #videos = new Map<string, SyntheticVideo>();
  readonly #holds: SlotHold[] = [];
  readonly #byObject = new Map<string, MutableObjectStats>();
  #peak = { ours: 0, others: 0, total: 0 };
  #counts = { starts: 0, jobsCreated: 0, idempotentRepeats: 0, limitExceeded: 0, refused: 0 };
  #sequence = 0;

  constructor(settings: JobStoreSettings) {
    this.#settings = settings;
  }

  /** Starts a job, or returns the job of an earlier call with the same `ClientRequestToken` and input. */
  start(input: StartInput): Job {
    const now = this.#settings.clock.now();
    this.#prune(now);
    const stats = this.#objectStats(input.s3Object);
    stats.starts++;
    this.#counts.starts++;
    const fingerprint = JSON.stringify(input);
    if (input.clientRequestToken !== undefined) {
      const earlier = this.#byToken.get(input.clientRequestToken);
      if (earlier && now >= earlier.expiresAt) this.#forget(earlier);
      else if (earlier) {
        if (JSON.stringify(earlier.input) !== fingerprint) throw errors.idempotentParameterMismatch();
        stats.idempotentRepeats++;
        this.#counts.idempotentRepeats++;
        return earlier;
      }
    }
    let request: VideoRequest;
    try {
      request = this.#admit(input.s3Object);
    } catch (error) {
      this.#counts.refused++;
      throw error;
    }
    const ours = this.#oursInProgress(now);
    const others = this.#othersInProgress(now);
    if (ours + others >= this.#settings.maxConcurrentJobs) {
      stats.limitExceeded++;
      this.#counts.limitExceeded++;
      throw errors.limitExceeded(ours + others, this.#settings.maxConcurrentJobs);
    }
    const { processingTimeMs, retentionMs, seed } = this.#settings;
    const processing = typeof processingTimeMs === 'function' ? processingTimeMs(request) : processingTimeMs;
    const readyAt = now + Math.max(0, processing);
    const jobId = createHash('sha256').update(`${seed}\0${this.#sequence++}\0${fingerprint}`).digest('hex');
    const { Bucket, Name, Version = '' } = input.s3Object;
    const job: Job = {
      jobId,
      input,
      request,
      contentSeed: hashString(`${Bucket}\0${Name}\0${Version}`, seed) | 0,
      createdAt: now,
      readyAt,
      expiresAt: readyAt + retentionMs,
    };
    this.#jobs.set(jobId, job);
    if (input.clientRequestToken !== undefined) this.#byToken.set(input.clientRequestToken, job);
    stats.jobIds.push(jobId);
    this.#counts.jobsCreated++;
    if (readyAt > now) this.#notePeak(ours + 1, others);
    this.#settings.onJobCreated?.(job);
    return job;
  }

  /** The video an object asks for, or the error the service answers a Start on it with. */
  #admit(s3Object: S3ObjectRef): VideoRequest {
    if (this.#settings.deniedBuckets?.has(s3Object.Bucket)) throw errors.accessDenied(DENIED_MESSAGE);
    let request: VideoRequest;
    try {
      request = parseObjectName(s3Object.Name);
    } catch (error) {
      if (error instanceof ObjectNameError) throw errors.invalidS3Object(`(emulator object-name convention: ${error.message})`);
      throw error;
    }
    if (request.s3Error === 'denied') throw errors.accessDenied(DENIED_MESSAGE);
    if (request.s3Error === 'missing' || this.#settings.missingBuckets?.has(s3Object.Bucket)) {
      throw errors.invalidS3Object('Check object key, region and/or access permissions.');
    }
    if (request.durationMs > this.#settings.maxVideoDurationMs) {
      throw errors.videoTooLarge(
        `The maximum duration is ${formatDuration(this.#settings.maxVideoDurationMs)}; the object is ${formatDuration(request.durationMs)}.`,
      );
    }
    return request;
  }

  /**
   * Makes other applications hold `slots` job slots of the shared quota from clock time `from` until `until`
   * (exclusive; `Infinity` until released). Returns the hold, whose `until` {@link releaseHold} sets.
   */
  holdSlots(slots: number, from: number, until: number): SlotHold {
    const hold: SlotHold = { slots, from, until };
    this.#holds.push(hold);
    const now = this.#settings.clock.now();
    if (from <= now && now < until) this.#notePeak(this.#oursInProgress(now), this.#othersInProgress(now));
    return hold;
  }

  /** Ends a hold now (idempotent). */
  releaseHold(hold: SlotHold): void {
    hold.until = Math.min(hold.until, this.#settings.clock.now());
  }

  /** Job counters since the store was created. */
  stats(): JobStats {
    const now = this.#settings.clock.now();
    // Holds that began without any request since (future `from` at creation): count their start now.
    for (const hold of this.#holds) {
      if (hold.from <= now && hold.from < hold.until) this.#notePeak(this.#oursInProgress(hold.from), this.#othersInProgress(hold.from));
    }
    const ours = this.#oursInProgress(now);
    const others = this.#othersInProgress(now);
    return {
      ...this.#counts,
      inProgress: { ours, others, total: ours + others },
      peakInProgress: { ...this.#peak },
      byObject: [...this.#byObject.values()].map((o) => ({ ...o, jobs: o.jobIds.length, jobIds: [...o.jobIds] })),
    };
  }

  #objectStats(s3Object: S3ObjectRef): MutableObjectStats {
    const key = `${s3Object.Bucket}\0${s3Object.Name}\0${s3Object.Version ?? ''}`;
    let stats = this.#byObject.get(key);
    if (!stats) {
      if (this.#byObject.size >= MAX_OBJECT_STATS) this.#byObject.delete(this.#byObject.keys().next().value!);
      stats = { bucket: s3Object.Bucket, name: s3Object.Name, version: s3Object.Version, starts: 0, jobIds: [], limitExceeded: 0, idempotentRepeats: 0 };
      this.#byObject.set(key, stats);
    }
    return stats;
  }

  #notePeak(ours: number, others: number): void {
    const p = this.#peak;
    this.#peak = { ours: Math.max(p.ours, ours), others: Math.max(p.others, others), total: Math.max(p.total, ours + others) };
  }

  #oursInProgress(at: number): number {
    let open = 0;
    for (const job of this.#jobs.values()) if (job.createdAt <= at && at < job.readyAt) open++;
    return open;
  }

  #othersInProgress(at: number): number {
    let held = 0;
    for (const hold of this.#holds) if (hold.from <= at && at < hold.until) held += hold.slots;
    return held;
  }

  /** The job `jobId`, unless unknown or expired at the current clock time. */
  get(jobId: string): Job | undefined {
    const job = this.#jobs.get(jobId);
    if (!job) return undefined;
    if (this.#settings.clock.now() >= job.expiresAt) {
      this.#forget(job);
      return undefined;
    }
    return job;
  }

  /** Every retained job, oldest first. */
  list(): Job[] {
    return [...this.#jobs.values()];
  }

  /** The status of `job` at the current clock time. */
  status(job: Job): JobStatus {
    if (this.#settings.clock.now() < job.readyAt) return 'IN_PROGRESS';
    return job.request.failure === undefined ? 'SUCCEEDED' : 'FAILED';
  }

  /** Number of jobs still IN_PROGRESS at `now`: ours and those of other applications. */
  openJobCount(now = this.#settings.clock.now()): number {
    return this.#oursInProgress(now) + this.#othersInProgress(now);
  }

  /**
   * The synthetic video of `job`: deterministic, shared by every job on the same object and attributes, and
   * recreated on demand when evicted from the small cache.
   */
  video(job: Job): SyntheticVideo {
    const key = videoKey(job);
    let video = this.#videos.get(key);
    if (video) {
      this.#videos.delete(key);
    } else {
      video = syntheticVideo({
        seed: job.contentSeed,
        preset: job.request.preset,
        durationMs: job.request.durationMs,
        people: job.request.people,
        faceAttributes: job.input.faceAttributes,
        numbers: this.#settings.numbers,
      });
      if (this.#videos.size >= VIDEO_CACHE_SIZE) this.#videos.delete(this.#videos.keys().next().value!);
    }
    this.#videos.set(key, video);
    return video;
  }

  #prune(now: number): void {
    for (const job of this.#jobs.values()) {
      if (now >= job.expiresAt || this.#jobs.size > this.#settings.maxRetainedJobs - 1) this.#forget(job);
      else break;
    }
  }

  #forget(job: Job): void {
    this.#jobs.delete(job.jobId);
    const token = job.input.clientRequestToken;
    if (token !== undefined && this.#byToken.get(token) === job) this.#byToken.delete(token);
  }
}

const DENIED_MESSAGE =
  'User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: rekognition:StartFaceDetection on the requested video (emulator: denied bucket or object).';

function videoKey(job: Job): string {
  const { Bucket, Name, Version = '' } = job.input.s3Object;
  return `${job.input.faceAttributes}\0${Bucket}\0${Name}\0${Version}`;
}

function formatDuration(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

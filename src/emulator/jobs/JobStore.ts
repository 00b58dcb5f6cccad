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
}

/** Videos kept (by content: jobs on the same object share one); others are recreated on demand. */
const VIDEO_CACHE_SIZE = 32;

/** Holds the jobs of one emulator. */
export class JobStore {
  readonly #settings: JobStoreSettings;
  readonly #jobs = new Map<string, Job>();
  readonly #byToken = new Map<string, Job>();
  readonly #videos = new Map<string, SyntheticVideo>();
  #sequence = 0;

  constructor(settings: JobStoreSettings) {
    this.#settings = settings;
  }

  /** Starts a job, or returns the job of an earlier call with the same `ClientRequestToken` and input. */
  start(input: StartInput): Job {
    const now = this.#settings.clock.now();
    this.#prune(now);
    const fingerprint = JSON.stringify(input);
    if (input.clientRequestToken !== undefined) {
      const earlier = this.#byToken.get(input.clientRequestToken);
      if (earlier && now >= earlier.expiresAt) this.#forget(earlier);
      else if (earlier) {
        if (JSON.stringify(earlier.input) !== fingerprint) throw errors.idempotentParameterMismatch();
        return earlier;
      }
    }
    let request: VideoRequest;
    try {
      request = parseObjectName(input.s3Object.Name);
    } catch (error) {
      if (error instanceof ObjectNameError) throw errors.invalidS3Object(`(emulator object-name convention: ${error.message})`);
      throw error;
    }
    if (request.durationMs > this.#settings.maxVideoDurationMs) {
      throw errors.videoTooLarge(
        `The maximum duration is ${formatDuration(this.#settings.maxVideoDurationMs)}; the object is ${formatDuration(request.durationMs)}.`,
      );
    }
    const open = this.openJobCount(now);
    if (open >= this.#settings.maxConcurrentJobs) throw errors.limitExceeded(open, this.#settings.maxConcurrentJobs);
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
    return job;
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

  /** Number of jobs still IN_PROGRESS at `now`. */
  openJobCount(now = this.#settings.clock.now()): number {
    let open = 0;
    for (const job of this.#jobs.values()) if (now < job.readyAt) open++;
    return open;
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

function videoKey(job: Job): string {
  const { Bucket, Name, Version = '' } = job.input.s3Object;
  return `${job.input.faceAttributes}\0${Bucket}\0${Name}\0${Version}`;
}

function formatDuration(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

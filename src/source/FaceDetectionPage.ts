import type { FaceDetection, Video, VideoMetadata } from '../types.js';

/**
 * The job a stream reads: the metadata `GetFaceDetection` returns with every page, taken from the first page
 * (no extra request).
 */
export interface JobInfo {
  /** The job id. */
  readonly JobId: string;
  /** `SUCCEEDED` for a job whose results are being streamed (enums are open strings). */
  readonly JobStatus: string;
  /** The service's status message, if any. */
  readonly StatusMessage?: string | undefined;
  /** Codec, duration, frame rate and size of the analysed video. */
  readonly VideoMetadata?: VideoMetadata | undefined;
  /** The `JobTag` given to `StartFaceDetection`. */
  readonly JobTag?: string | undefined;
  /** The analysed video (S3 object). */
  readonly Video?: Video | undefined;
}

/**
 * Where to resume a stream: spread it into the options of `faceDetections` / `faceDetectionPages` to read
 * exactly the detections that follow the page it was taken from.
 */
export interface Checkpoint {
  /** The job. */
  readonly jobId: string;
  /** The `NextToken` of the last fully processed page. */
  readonly startingToken: string;
  /** Detections delivered up to and including that page (lets an expired token be recovered). */
  readonly startingCount: number;
}

/** One page of a job's face detections, as delivered by `faceDetectionPages`. */
export interface FaceDetectionPage {
  /** Job metadata (the same object on every page of a run). */
  readonly job: JobInfo;
  /** The page's detections in service order, exactly as the SDK returned them. */
  readonly Faces: readonly FaceDetection[];
  /** The page's `NextToken`; `undefined` on the last page. */
  readonly NextToken: string | undefined;
  /** 0-based page number within this run. */
  readonly index: number;
  /**
   * Detections delivered up to and including this page: absolute when the stream started at the first page
   * or was given `startingCount`, otherwise counted from the starting token.
   */
  readonly count: number;
  /** Where to resume after this page; `undefined` on the last page (nothing remains). */
  readonly checkpoint: Checkpoint | undefined;
}

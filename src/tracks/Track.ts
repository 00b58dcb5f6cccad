/**
 * The face track summary emitted by `faceTracks`: who was on screen, when, for how long, looking how.
 *
 * @module
 */
import type { TrackCloseReason } from '../core/tracking/TrackState.js';
import type { BoundingBox, FaceDetection } from '../types.js';

export type { TrackCloseReason };

/** One point of a track's box path. */
export interface TrackPoint {
  /** Sample time in ms. */
  readonly Timestamp: number;
  /**
   * The box (frame ratios): the detected box smoothed over `smoothingWindowMs` (the detected box itself with
   * `smoothingWindowMs: 0`), or, for an interpolated point, the linear interpolation of its neighbours.
   */
  readonly BoundingBox: BoundingBox;
  /** Detection confidence (0–100); 0 for an interpolated point. */
  readonly Confidence: number;
  /** Present (true) on points interpolated in a short gap: the face was not detected in that sample. */
  readonly Interpolated?: true;
}

/** A confidence-weighted vote on a yes/no attribute. */
export interface BooleanVote {
  /** The winning value. */
  readonly Value: boolean;
  /** Confidence-weighted probability of the winning value, 50–100. */
  readonly Confidence: number;
}

/** Confidence-weighted attribute votes over a track's detections (only attributes that were present). */
export interface TrackAttributes {
  /** Confidence-weighted mean of the detections' `AgeRange` bounds, rounded. */
  readonly AgeRange?: { readonly Low: number; readonly High: number };
  /** Confidence-weighted gender vote. */
  readonly Gender?: { readonly Value: 'Male' | 'Female'; readonly Confidence: number };
  readonly Eyeglasses?: BooleanVote;
  readonly Sunglasses?: BooleanVote;
  readonly Beard?: BooleanVote;
  readonly Mustache?: BooleanVote;
  /** Share (0–1) of the track's time smiling (confidence-weighted share of detections with `Smile.Value`). */
  readonly SmileShare?: number;
  /** Share (0–1) of detections with eyes open. */
  readonly EyesOpenShare?: number;
  /** Share (0–1) of detections with mouth open. */
  readonly MouthOpenShare?: number;
}

/** A run of consecutive detections whose strongest emotion is the same. */
export interface EmotionSegment {
  /** Emotion type (`HAPPY`, `CALM`, …). */
  readonly Type: string;
  /** Timestamp of the first detection of the run. */
  readonly StartTimestamp: number;
  /** Timestamp of the last detection of the run. */
  readonly EndTimestamp: number;
  /** Detections in the run. */
  readonly DetectionCount: number;
  /** Mean confidence of the emotion over the run. */
  readonly Confidence: number;
}

/** The emotions of a track (present only when detections carried `Emotions`). */
export interface TrackEmotions {
  /** The emotion with the largest confidence-weighted total over the track. */
  readonly Dominant: { readonly Type: string; readonly Share: number };
  /** The strongest emotion over time, run-length encoded. */
  readonly Timeline: readonly EmotionSegment[];
}

/** A face track: one person's continuous presence on screen. */
export interface Track {
  /** Track id, 1, 2, … in order of confirmation; the `TrackId` of the labelling form. */
  readonly trackId: number;
  /** `open` for live updates, `closed` once the track has ended. */
  readonly status: 'open' | 'closed';
  /** Why the track closed (only when `status` is `closed`). */
  readonly closeReason?: TrackCloseReason;
  /** Timestamp of the first detection, ms. */
  readonly startTimestamp: number;
  /** Timestamp of the last detection, ms. */
  readonly endTimestamp: number;
  /** `endTimestamp − startTimestamp`. */
  readonly durationMs: number;
  /** Number of detections in the track. */
  readonly detectionCount: number;
  /** Mean detection confidence (0–100). */
  readonly meanConfidence: number;
  /** The box path in time order: one point per detection, plus interpolated points in short gaps. */
  readonly path: readonly TrackPoint[];
  /** The track's detections as received (omitted with `includeDetections: false`). */
  readonly detections?: readonly FaceDetection[];
  /** The best frame: highest Confidence × image Quality × frontal Pose. */
  readonly bestDetection: FaceDetection;
  /** The best frame's score in [0, 1]. */
  readonly bestScore: number;
  /** Confidence-weighted attribute votes. */
  readonly attributes: TrackAttributes;
  /** Emotion timeline and dominant emotion, when detections carried emotions. */
  readonly emotions?: TrackEmotions;
}

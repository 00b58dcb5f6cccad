/**
 * What the tracking core consumes: one detection reduced to the numbers association needs.
 *
 * @module
 */
import type { Box } from '../geometry.js';

/**
 * Optional face cues used as tie-breakers at crossings (all from Rekognition's `FaceDetail` when present).
 * Angles in degrees, confidences in [0, 100]. `NaN` / `undefined` means "not known".
 */
export interface FaceCues {
  /** `Pose.Yaw` in degrees (left/right head turn), if known. */
  readonly yaw?: number;
  /** `Pose.Pitch` in degrees, if known. */
  readonly pitch?: number;
  /** Signed male evidence in [-100, 100]: +Confidence for `Male`, −Confidence for `Female`; 0 if unknown. */
  readonly male?: number;
  /** `AgeRange.Low`, if known. */
  readonly ageLow?: number;
  /** `AgeRange.High`, if known. */
  readonly ageHigh?: number;
  /** Signed evidence in [-100, 100] for `Eyeglasses`, `Sunglasses`, `Beard`, `Mustache` (same convention as `male`). */
  readonly eyeglasses?: number;
  readonly sunglasses?: number;
  readonly beard?: number;
  readonly mustache?: number;
}

/**
 * One detection as the tracker sees it. The tracker writes `trackId` once it knows whether the detection
 * belongs to a reported track: a number (the public track id) or `null` (not part of any reported track).
 * `undefined` means "not decided yet" (the detection sits in a tentative track).
 */
export interface TrackerObservation<T> {
  /** Sample time in ms (Rekognition `Timestamp`). */
  readonly timestamp: number;
  /** Box in frame ratios (or any unit consistent across the stream). */
  readonly box: Box;
  /** Detection confidence in [0, 100]. */
  readonly confidence: number;
  /** Optional face cues (pose, stable attributes). */
  readonly cues: FaceCues | undefined;
  /** The caller's object (e.g. the `FaceDetection`), carried through untouched. */
  readonly payload: T;
  /** Public id of the reported track this detection belongs to; `null` = none; `undefined` = not decided yet. */
  trackId: number | null | undefined;
}

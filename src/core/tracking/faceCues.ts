/**
 * Extracts tracking cues (pose and stable attributes) from a Rekognition `FaceDetail`.
 *
 * @module
 */
import type { FaceDetail } from '../../types.js';
import type { FaceCues } from './TrackerObservation.js';

interface BooleanAttribute {
  readonly Value?: boolean | undefined;
  readonly Confidence?: number | undefined;
}

/** +Confidence when `Value` is true, −Confidence when false, `undefined` when unknown. */
export function signedEvidence(attribute: BooleanAttribute | undefined): number | undefined {
  if (!attribute || typeof attribute.Value !== 'boolean') return undefined;
  const confidence = finite(attribute.Confidence) ?? 50;
  return attribute.Value ? confidence : -confidence;
}

/**
 * The cues of a face (`Pose`, `Gender`, `AgeRange`, `Eyeglasses`, `Sunglasses`, `Beard`, `Mustache`), or
 * `undefined` when it carries none of them (DEFAULT-attribute detections still have `Pose`).
 *
 * @example
 * ```ts
 * import { faceCuesFromDetail } from './faceCues.js';
 *
 * faceCuesFromDetail({ Pose: { Yaw: 12, Pitch: -3, Roll: 0 }, Gender: { Value: 'Female', Confidence: 99 } });
 * // { yaw: 12, pitch: -3, male: -99 }
 * ```
 */
export function faceCuesFromDetail(face: FaceDetail | undefined): FaceCues | undefined {
  if (!face) return undefined;
  const cues: {
    -readonly [K in keyof FaceCues]: FaceCues[K];
  } = {};
  let any = false;
  const yaw = finite(face.Pose?.Yaw);
  if (yaw !== undefined) ((cues.yaw = yaw), (any = true));
  const pitch = finite(face.Pose?.Pitch);
  if (pitch !== undefined) ((cues.pitch = pitch), (any = true));
  const gender = face.Gender;
  if (gender && (gender.Value === 'Male' || gender.Value === 'Female')) {
    const confidence = finite(gender.Confidence) ?? 50;
    cues.male = gender.Value === 'Male' ? confidence : -confidence;
    any = true;
  }
  const low = finite(face.AgeRange?.Low);
  const high = finite(face.AgeRange?.High);
  if (low !== undefined && high !== undefined && high >= low) ((cues.ageLow = low), (cues.ageHigh = high), (any = true));
  const eyeglasses = signedEvidence(face.Eyeglasses);
  if (eyeglasses !== undefined) ((cues.eyeglasses = eyeglasses), (any = true));
  const sunglasses = signedEvidence(face.Sunglasses);
  if (sunglasses !== undefined) ((cues.sunglasses = sunglasses), (any = true));
  const beard = signedEvidence(face.Beard);
  if (beard !== undefined) ((cues.beard = beard), (any = true));
  const mustache = signedEvidence(face.Mustache);
  if (mustache !== undefined) ((cues.mustache = mustache), (any = true));
  return any ? cues : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

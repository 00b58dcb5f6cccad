/**
 * Validates one `FaceDetection` and turns it into the tracking core's observation.
 *
 * @module
 */
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { boxFromBoundingBox } from '../core/geometry.js';
import type { Box } from '../core/geometry.js';
import { faceCuesFromDetail } from '../core/tracking/faceCues.js';
import type { TrackerObservation } from '../core/tracking/TrackerObservation.js';
import type { FaceDetection } from '../types.js';

/**
 * The observation of `detection` (the `index`-th input, used in error messages). Only `Timestamp`,
 * `Face.BoundingBox` and (optionally, default 100) `Face.Confidence` are required; `Pose` and the stable
 * attributes become cues when `useCues`.
 *
 * @throws {@link InvalidParameterError} naming the offending field, e.g. `detections[3].Face.BoundingBox.Width`.
 */
export function observationFromDetection(
  detection: FaceDetection,
  index: number,
  useCues: boolean,
): TrackerObservation<FaceDetection> {
  // Field names are built only on the way to an error: this runs once per detection, and building
  // `detections[${index}]…` up front cost a number-to-string conversion and string concatenations every time.
  if (typeof detection !== 'object' || detection === null) {
    throw new InvalidParameterError(fieldName(index, ''), 'a FaceDetection object ({ Timestamp, Face })', detection);
  }
  const timestamp = detection.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new InvalidParameterError(fieldName(index, '.Timestamp'), 'a finite number (ms)', timestamp);
  }
  const face = detection.Face;
  if (typeof face !== 'object' || face === null) {
    throw new InvalidParameterError(fieldName(index, '.Face'), 'an object with a BoundingBox', face);
  }
  let box: Box;
  try {
    box = boxFromBoundingBox(face.BoundingBox);
  } catch {
    // Invalid: validate again to throw the error that names the field in full.
    box = boxFromBoundingBox(face.BoundingBox, fieldName(index, '.Face.BoundingBox'));
  }
  let confidence = face.Confidence;
  if (confidence === undefined) confidence = 100;
  else if (typeof confidence !== 'number' || !Number.isFinite(confidence)) {
    throw new InvalidParameterError(fieldName(index, '.Face.Confidence'), 'a finite number from 0 to 100', confidence);
  }
  return {
    timestamp,
    box,
    confidence,
    cues: useCues ? faceCuesFromDetail(face) : undefined,
    payload: detection,
    trackId: undefined,
  };
}

/** The name of a field of the `index`-th detection in error messages, e.g. `detections[3].Face`. */
function fieldName(index: number, field: string): string {
  return `detections[${index}]${field}`;
}

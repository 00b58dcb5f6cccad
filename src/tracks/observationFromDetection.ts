/**
 * Validates one `FaceDetection` and turns it into the tracking core's observation.
 *
 * @module
 */
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { boxFromBoundingBox } from '../core/geometry.js';
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
  const name = `detections[${index}]`;
  if (typeof detection !== 'object' || detection === null) {
    throw new InvalidParameterError(name, 'a FaceDetection object ({ Timestamp, Face })', detection);
  }
  const timestamp = detection.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new InvalidParameterError(`${name}.Timestamp`, 'a finite number (ms)', timestamp);
  }
  const face = detection.Face;
  if (typeof face !== 'object' || face === null) {
    throw new InvalidParameterError(`${name}.Face`, 'an object with a BoundingBox', face);
  }
  const box = boxFromBoundingBox(face.BoundingBox, `${name}.Face.BoundingBox`);
  let confidence = face.Confidence;
  if (confidence === undefined) confidence = 100;
  else if (typeof confidence !== 'number' || !Number.isFinite(confidence)) {
    throw new InvalidParameterError(`${name}.Face.Confidence`, 'a finite number from 0 to 100', confidence);
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

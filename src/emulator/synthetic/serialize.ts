/**
 * Fast JSON of `FaceDetection`s: hand-built strings for DEFAULT results (the emulator's hot path), byte for
 * byte what `JSON.stringify(toFaceDetection(face, mode))` gives (a unit test holds the two equal).
 *
 * @module
 */
import { DEFAULT_LANDMARKS, landmarkPoints, LANDMARK_TYPES, toFaceDetection, type FaceAttributesMode } from './faceDetail.js';
import type { RawFace } from './sampler.js';

const LANDMARK_PREFIXES = LANDMARK_TYPES.map((type, i) => `${i === 0 ? '' : ','}{"Type":"${type}","X":`);

/** The JSON text of the `FaceDetection` of `face`. */
export function faceDetectionJson(face: RawFace, mode: FaceAttributesMode): string {
  if (mode === 'ALL') return JSON.stringify(toFaceDetection(face, mode));
  const xy = landmarkPoints(face, DEFAULT_LANDMARKS);
  let landmarks = '';
  for (let i = 0; i < DEFAULT_LANDMARKS; i++) {
    landmarks += LANDMARK_PREFIXES[i]! + num(xy[2 * i]!) + ',"Y":' + num(xy[2 * i + 1]!) + '}';
  }
  return (
    '{"Timestamp":' +
    face.timestamp +
    ',"Face":{"BoundingBox":{"Width":' +
    num(face.width) +
    ',"Height":' +
    num(face.height) +
    ',"Left":' +
    num(face.left) +
    ',"Top":' +
    num(face.top) +
    '},"Landmarks":[' +
    landmarks +
    '],"Pose":{"Roll":' +
    num(face.roll) +
    ',"Yaw":' +
    num(face.yaw) +
    ',"Pitch":' +
    num(face.pitch) +
    '},"Quality":{"Brightness":' +
    num(face.brightness) +
    ',"Sharpness":' +
    num(face.sharpness) +
    '},"Confidence":' +
    num(face.confidence) +
    '}}'
  );
}

/** A finite number as JSON writes it (`-0` as `0`). */
function num(value: number): string {
  return value === 0 ? '0' : '' + value;
}

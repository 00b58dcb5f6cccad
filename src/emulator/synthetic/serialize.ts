/**
 * Fast JSON of `FaceDetection`s, written straight into a {@link ByteWriter}: hand-built for DEFAULT results
 * (the emulator's hot path), {@link writeJson} of the `FaceDetail` object for ALL. Byte for byte what
 * `JSON.stringify(toFaceDetection(face, mode))` gives (a unit test holds the two equal).
 *
 * @module
 */
import { ByteWriter, fragment } from '../protocol/ByteWriter.js';
import { writeJson } from '../protocol/writeJson.js';
import { PERCENT_DIGITS, PERCENT_SCALE, RATIO_DIGITS, RATIO_SCALE } from './decimal.js';
import { DEFAULT_LANDMARKS, landmarkPoints, LANDMARK_TYPES, toFaceDetection, type FaceAttributesMode } from './faceDetail.js';
import type { RawFace } from './sampler.js';

const F = {
  timestamp: fragment('{"Timestamp":'),
  width: fragment(',"Face":{"BoundingBox":{"Width":'),
  height: fragment(',"Height":'),
  left: fragment(',"Left":'),
  top: fragment(',"Top":'),
  landmarks: fragment('},"Landmarks":['),
  y: fragment(',"Y":'),
  landmarkEnd: fragment('}'),
  roll: fragment('],"Pose":{"Roll":'),
  yaw: fragment(',"Yaw":'),
  pitch: fragment(',"Pitch":'),
  brightness: fragment('},"Quality":{"Brightness":'),
  sharpness: fragment(',"Sharpness":'),
  confidence: fragment('},"Confidence":'),
  end: fragment('}}'),
};
const LANDMARK_PREFIXES = LANDMARK_TYPES.map((type, i) => fragment(`${i === 0 ? '' : ','}{"Type":"${type}","X":`));

/** Appends the JSON of the `FaceDetection` of `face` to `out`. */
export function writeFaceDetection(out: ByteWriter, face: RawFace, mode: FaceAttributesMode): void {
  if (mode === 'ALL') {
    writeJson(out, toFaceDetection(face, mode));
    return;
  }
  out.bytes(F.timestamp);
  out.integer(face.timestamp);
  out.bytes(F.width);
  out.decimal(face.width, RATIO_SCALE, RATIO_DIGITS);
  out.bytes(F.height);
  out.decimal(face.height, RATIO_SCALE, RATIO_DIGITS);
  out.bytes(F.left);
  out.decimal(face.left, RATIO_SCALE, RATIO_DIGITS);
  out.bytes(F.top);
  out.decimal(face.top, RATIO_SCALE, RATIO_DIGITS);
  out.bytes(F.landmarks);
  const xy = landmarkPoints(face, DEFAULT_LANDMARKS);
  for (let i = 0; i < DEFAULT_LANDMARKS; i++) {
    out.bytes(LANDMARK_PREFIXES[i]!);
    out.decimal(xy[2 * i]!, RATIO_SCALE, RATIO_DIGITS);
    out.bytes(F.y);
    out.decimal(xy[2 * i + 1]!, RATIO_SCALE, RATIO_DIGITS);
    out.bytes(F.landmarkEnd);
  }
  out.bytes(F.roll);
  out.decimal(face.roll, PERCENT_SCALE, PERCENT_DIGITS);
  out.bytes(F.yaw);
  out.decimal(face.yaw, PERCENT_SCALE, PERCENT_DIGITS);
  out.bytes(F.pitch);
  out.decimal(face.pitch, PERCENT_SCALE, PERCENT_DIGITS);
  out.bytes(F.brightness);
  out.decimal(face.brightness, PERCENT_SCALE, PERCENT_DIGITS);
  out.bytes(F.sharpness);
  out.decimal(face.sharpness, PERCENT_SCALE, PERCENT_DIGITS);
  out.bytes(F.confidence);
  out.decimal(face.confidence, PERCENT_SCALE, PERCENT_DIGITS);
  out.bytes(F.end);
}

/** The JSON text of the `FaceDetection` of `face` (convenience over {@link writeFaceDetection}). */
export function faceDetectionJson(face: RawFace, mode: FaceAttributesMode): string {
  const out = new ByteWriter(1024);
  writeFaceDetection(out, face, mode);
  return out.finish().toString('utf8');
}

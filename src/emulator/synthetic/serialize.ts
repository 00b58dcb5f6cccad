/**
 * Fast JSON of `FaceDetection`s, written straight into a {@link ByteWriter}: hand-built for DEFAULT results
 * (the emulator's hot path), {@link writeJson} of the `FaceDetail` object for ALL. Byte for byte what
 * `JSON.stringify(toFaceDetection(face, mode, numbers))` gives (a unit test holds the two equal).
 *
 * @module
 */
import { ByteWriter, fragment } from '../protocol/ByteWriter.js';
import { writeJson } from '../protocol/writeJson.js';
import { PERCENT_DIGITS, PERCENT_SCALE, RATIO_DIGITS, RATIO_SCALE, type NumberFormat } from './decimal.js';
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

/**
 * Appends the JSON of the `FaceDetection` of `face` to `out`, its float fields in `numbers` format (see
 * {@link NumberFormat}).
 */
export function writeFaceDetection(out: ByteWriter, face: RawFace, mode: FaceAttributesMode, numbers: NumberFormat = 'float32'): void {
  if (mode === 'ALL') {
    writeJson(out, toFaceDetection(face, mode, numbers));
    return;
  }
  const float32 = numbers === 'float32';
  const ratio = (value: number) => (float32 ? out.float32(value) : out.decimal(value, RATIO_SCALE, RATIO_DIGITS));
  const percent = (value: number) => (float32 ? out.float32(value) : out.decimal(value, PERCENT_SCALE, PERCENT_DIGITS));
  out.bytes(F.timestamp);
  out.integer(face.timestamp);
  out.bytes(F.width);
  ratio(face.width);
  out.bytes(F.height);
  ratio(face.height);
  out.bytes(F.left);
  ratio(face.left);
  out.bytes(F.top);
  ratio(face.top);
  out.bytes(F.landmarks);
  const xy = landmarkPoints(face, DEFAULT_LANDMARKS);
  for (let i = 0; i < DEFAULT_LANDMARKS; i++) {
    out.bytes(LANDMARK_PREFIXES[i]!);
    ratio(xy[2 * i]!);
    out.bytes(F.y);
    ratio(xy[2 * i + 1]!);
    out.bytes(F.landmarkEnd);
  }
  out.bytes(F.roll);
  percent(face.roll);
  out.bytes(F.yaw);
  percent(face.yaw);
  out.bytes(F.pitch);
  percent(face.pitch);
  out.bytes(F.brightness);
  percent(face.brightness);
  out.bytes(F.sharpness);
  percent(face.sharpness);
  out.bytes(F.confidence);
  percent(face.confidence);
  out.bytes(F.end);
}

/** The JSON text of the `FaceDetection` of `face` (convenience over {@link writeFaceDetection}). */
export function faceDetectionJson(face: RawFace, mode: FaceAttributesMode, numbers: NumberFormat = 'float32'): string {
  const out = new ByteWriter(1024);
  writeFaceDetection(out, face, mode, numbers);
  return out.finish().toString('utf8');
}

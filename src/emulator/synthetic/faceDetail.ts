/**
 * Turns a {@link RawFace} into the `FaceDetection` the service returns: the five DEFAULT attributes, or the
 * full `FaceDetail` for `FaceAttributes: ALL` (never `FaceOccluded`/`EyeDirection`, like the real
 * `GetFaceDetection`). Members are in the service's order.
 *
 * @module
 */
import type { Emotion, FaceDetail, FaceDetection, Landmark } from '../../types.js';
import { EMOTIONS } from './appearance.js';
import { percent, ratio, type NumberFormat } from './decimal.js';
import { hashKey, Rng } from './random.js';
import type { RawFace } from './sampler.js';

/** Which attributes a job returns (`StartFaceDetection.FaceAttributes`). */
export type FaceAttributesMode = 'DEFAULT' | 'ALL';

/** Landmark template: type, position in the box (u, v), depth (how far a yaw moves it). */
const LANDMARKS: readonly (readonly [string, number, number, number])[] = [
  ['eyeLeft', 0.3, 0.38, 0.6],
  ['eyeRight', 0.7, 0.38, 0.6],
  ['mouthLeft', 0.36, 0.74, 0.6],
  ['mouthRight', 0.64, 0.74, 0.6],
  ['nose', 0.5, 0.58, 1],
  ['leftEyeBrowLeft', 0.18, 0.28, 0.4],
  ['leftEyeBrowUp', 0.3, 0.25, 0.5],
  ['leftEyeBrowRight', 0.42, 0.28, 0.6],
  ['rightEyeBrowLeft', 0.58, 0.28, 0.6],
  ['rightEyeBrowUp', 0.7, 0.25, 0.5],
  ['rightEyeBrowRight', 0.82, 0.28, 0.4],
  ['leftEyeLeft', 0.22, 0.38, 0.5],
  ['leftEyeRight', 0.38, 0.38, 0.6],
  ['leftEyeUp', 0.3, 0.355, 0.6],
  ['leftEyeDown', 0.3, 0.405, 0.6],
  ['rightEyeLeft', 0.62, 0.38, 0.6],
  ['rightEyeRight', 0.78, 0.38, 0.5],
  ['rightEyeUp', 0.7, 0.355, 0.6],
  ['rightEyeDown', 0.7, 0.405, 0.6],
  ['noseLeft', 0.43, 0.62, 0.8],
  ['noseRight', 0.57, 0.62, 0.8],
  ['mouthUp', 0.5, 0.7, 0.7],
  ['mouthDown', 0.5, 0.8, 0.7],
  ['leftPupil', 0.3, 0.38, 0.6],
  ['rightPupil', 0.7, 0.38, 0.6],
  ['upperJawlineLeft', 0.04, 0.42, 0.1],
  ['midJawlineLeft', 0.12, 0.78, 0.2],
  ['chinBottom', 0.5, 1, 0.5],
  ['midJawlineRight', 0.88, 0.78, 0.2],
  ['upperJawlineRight', 0.96, 0.42, 0.1],
];

/** Landmark types, in the service's order (the first five are the DEFAULT set). */
export const LANDMARK_TYPES: readonly string[] = LANDMARKS.map(([type]) => type);

/** Number of landmarks in a DEFAULT result. */
export const DEFAULT_LANDMARKS = 5;
const MOOD_BLOCK_MS = 3000;

/** A float field as served: widened float32 (the service) or the generated value (`'rounded'`). */
type Served = (value: number) => number;
const asIs: Served = (value) => value;

/**
 * Builds the `FaceDetection` of `face` with the attributes of `mode`, its float fields in `numbers` format
 * (see {@link NumberFormat}).
 */
export function toFaceDetection(face: RawFace, mode: FaceAttributesMode, numbers: NumberFormat = 'float32'): FaceDetection {
  const f = numbers === 'float32' ? Math.fround : asIs;
  return { Timestamp: face.timestamp, Face: mode === 'ALL' ? fullDetail(face, f) : defaultDetail(face, f) };
}

function defaultDetail(face: RawFace, f: Served): FaceDetail {
  return {
    BoundingBox: { Width: f(face.width), Height: f(face.height), Left: f(face.left), Top: f(face.top) },
    Landmarks: landmarks(face, DEFAULT_LANDMARKS, f),
    Pose: { Roll: f(face.roll), Yaw: f(face.yaw), Pitch: f(face.pitch) },
    Quality: { Brightness: f(face.brightness), Sharpness: f(face.sharpness) },
    Confidence: f(face.confidence),
  };
}

function fullDetail(face: RawFace, f: Served): FaceDetail {
  const rng = new Rng(face.key);
  const a = face.appearance;
  // False positives get attributes drawn from their own key.
  const traitRng = a ? undefined : new Rng(hashKey(face.key, 0x7a));
  const t = a?.traits ?? {
    female: traitRng!.chance(0.5),
    genderConfidence: traitRng!.range(50, 90),
    ageLow: traitRng!.int(10, 40),
    ageHigh: traitRng!.int(41, 70),
    beard: traitRng!.chance(0.2),
    mustache: traitRng!.chance(0.2),
    eyeglasses: traitRng!.chance(0.2),
    sunglasses: traitRng!.chance(0.1),
    temperament: traitRng!.int(0, EMOTIONS.length - 1),
    brightness: 50,
  };
  const emotions = emotionsOf(face, t.temperament, rng, f);
  const happy = emotions[0]!.Type === 'HAPPY';
  const genderFlip = t.genderConfidence < 80 && rng.chance(0.12);
  return {
    BoundingBox: { Width: f(face.width), Height: f(face.height), Left: f(face.left), Top: f(face.top) },
    AgeRange: { Low: t.ageLow, High: t.ageHigh },
    Smile: binary(happy ? rng.chance(0.85) : rng.chance(0.04), rng, f),
    Eyeglasses: binary(t.eyeglasses, rng, f),
    Sunglasses: binary(t.sunglasses, rng, f),
    Gender: {
      Value: t.female !== genderFlip ? 'Female' : 'Male',
      Confidence: f(percent(genderFlip ? rng.range(50, 65) : clampPercent(t.genderConfidence + rng.gaussian() * 1.5))),
    },
    Beard: binary(t.beard, rng, f),
    Mustache: binary(t.mustache, rng, f),
    EyesOpen: binary(!rng.chance(0.06), rng, f),
    MouthOpen: binary(rng.chance(0.3), rng, f),
    Emotions: emotions,
    Landmarks: landmarks(face, LANDMARKS.length, f),
    Pose: { Roll: f(face.roll), Yaw: f(face.yaw), Pitch: f(face.pitch) },
    Quality: { Brightness: f(face.brightness), Sharpness: f(face.sharpness) },
    Confidence: f(face.confidence),
  };
}

function binary(value: boolean, rng: Rng, f: Served): { Value: boolean; Confidence: number } {
  return { Value: value, Confidence: f(percent(clampPercent(100 - Math.abs(rng.gaussian()) * 4 - rng.next() * 4))) };
}

/** All eight emotions, sorted by confidence: the person's mood of the current 3 s block dominates. */
function emotionsOf(face: RawFace, temperament: number, rng: Rng, f: Served): Emotion[] {
  const a = face.appearance;
  const block = Math.floor(face.timestamp / MOOD_BLOCK_MS);
  const moodRng = new Rng(a ? hashKey(a.seed, block, 0x3e) : face.key);
  const mood = moodRng.chance(0.65) ? temperament : moodRng.int(0, EMOTIONS.length - 1);
  const dominant = moodRng.range(55, 99);
  const weights = EMOTIONS.map(() => rng.next() + 0.05);
  const rest = weights.reduce((s, w) => s + w, 0) - weights[mood]!;
  const list = EMOTIONS.map((type, i) => ({
    Type: type,
    Confidence: percent(i === mood ? dominant : ((100 - dominant) * weights[i]!) / rest),
  }));
  list.sort((p, q) => q.Confidence - p.Confidence);
  for (const e of list) e.Confidence = f(e.Confidence);
  return list;
}

function landmarks(face: RawFace, count: number, f: Served): Landmark[] {
  const xy = landmarkPoints(face, count);
  const out: Landmark[] = new Array<Landmark>(count);
  for (let i = 0; i < count; i++) {
    out[i] = { Type: LANDMARKS[i]![0] as Landmark['Type'], X: f(xy[2 * i]!), Y: f(xy[2 * i + 1]!) };
  }
  return out;
}

const points = new Float64Array(2 * LANDMARKS.length);

/**
 * The first `count` landmarks of `face` (in {@link LANDMARK_TYPES} order) as `[x0, y0, x1, y1, …]`
 * (7 decimals), placed from a face template shifted by yaw and rotated by roll. The returned array is reused
 * by the next call.
 */
export function landmarkPoints(face: RawFace, count: number): Float64Array {
  const yaw = Math.sin((face.yaw * Math.PI) / 180) * 0.28;
  const roll = (face.roll * Math.PI) / 180;
  const cos = Math.cos(roll);
  const sin = Math.sin(roll);
  const aspect = face.height / face.width;
  for (let i = 0; i < count; i++) {
    const [, u0, v, depth] = LANDMARKS[i]!;
    const u = u0 + yaw * depth - 0.5;
    const dv = v - 0.5;
    // Rotate around the box centre in pixel-proportional space.
    const x = u * cos - dv * aspect * sin;
    const y = (u * sin) / aspect + dv * cos;
    points[2 * i] = ratio(face.left + (0.5 + x) * face.width);
    points[2 * i + 1] = ratio(face.top + (0.5 + y) * face.height);
  }
  return points;
}

function clampPercent(value: number): number {
  return value < 0 ? 0 : value > 99.99 ? 99.99 : value;
}

/**
 * One sample of a synthetic video: the faces truly present at that instant, which of them the simulated
 * detector reports (occlusion, look-aways, misses), their jittered boxes and per-sample measurements, and
 * rare false positives. Pure: a sample depends only on the video seed, the script and the sample index.
 *
 * @module
 */
import { trueBox, type Appearance } from './appearance.js';
import type { PresetSpec } from './presets.js';
import { percent, ratio } from './decimal.js';
import { hashKey, Rng } from './random.js';

/** A detection before it becomes a `FaceDetail`: numbers only, ratios rounded to 7 decimals, others to 5. */
export interface RawFace {
  readonly timestamp: number;
  /** Ground-truth person id; `null` for a false positive. */
  readonly personId: number | null;
  /** The appearance detected, `null` for a false positive. */
  readonly appearance: Appearance | null;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly confidence: number;
  readonly roll: number;
  readonly yaw: number;
  readonly pitch: number;
  readonly brightness: number;
  readonly sharpness: number;
  /** Hash seed of this detection's attribute noise. */
  readonly key: number;
}

/** A face truly present (in frame, facing the camera) at a sample, detected or not: a ground-truth row. */
export interface TruthFace {
  readonly sample: number;
  readonly timestamp: number;
  readonly personId: number;
  /** Noise-free box (frame ratios). */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Fraction of the face not hidden by nearer faces (0–1). */
  readonly visibility: number;
  /** Whether the simulated detector reported it. */
  readonly detected: boolean;
}

/** What every sample of one video shares. */
export interface SampleContext {
  readonly spec: PresetSpec;
  readonly seed: number;
  /** Frame width / height. */
  readonly frameAspect: number;
}

/** Yaw beyond which a face is turned away: neither detected nor in the ground truth. */
const MAX_YAW = 72;
const LOOK_AWAY_BLOCK_MS = 5000;
const U32 = 4294967296;

interface Candidate {
  readonly a: Appearance;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly yaw: number;
  visibility: number;
}

const box = new Float64Array(4);
/** Reused for every candidate: generation is synchronous and each use starts with `reset`. */
const sampleRng = new Rng(0);

/**
 * Generates sample `index` at `timestamp` from the appearances `active` (a superset of those on screen).
 * Appends detections (sorted by `left`) to `faces` and, when given, ground-truth rows to `truth`.
 */
export function generateSample(
  ctx: SampleContext,
  index: number,
  timestamp: number,
  active: readonly Appearance[],
  faces: RawFace[],
  truth?: TruthFace[],
): void {
  const candidates: Candidate[] = [];
  for (const a of active) {
    if (timestamp < a.startMs || timestamp >= a.endMs) continue;
    trueBox(a, timestamp, ctx.frameAspect, box);
    const left = box[0]!;
    const top = box[1]!;
    const width = box[2]!;
    const height = box[3]!;
    if (inFrameFraction(left, top, width, height) < 0.55) continue;
    const yaw = yawAt(ctx, a, timestamp);
    if (Math.abs(yaw) >= MAX_YAW) continue;
    candidates.push({ a, left, top, width, height, yaw, visibility: 1 });
  }
  // Nearer (larger) faces hide farther ones.
  candidates.sort((p, q) => q.width * q.height - p.width * p.height);
  for (let i = 1; i < candidates.length; i++) {
    const c = candidates[i]!;
    const area = c.width * c.height;
    let hidden = 0;
    for (let j = 0; j < i; j++) {
      const o = candidates[j]!;
      if (o.width * o.height < area * 1.15) continue;
      hidden = Math.max(hidden, intersection(c, o) / area);
    }
    c.visibility = 1 - hidden;
  }
  const start = faces.length;
  const spec = ctx.spec;
  for (const c of candidates) {
    const a = c.a;
    const rng = sampleRng.reset(hashKey(a.seed, index));
    const hidden = 1 - c.visibility;
    const absYaw = Math.abs(c.yaw);
    const missProbability =
      spec.missProbability +
      a.extraMiss +
      (hidden > 0.15 ? hidden * 0.8 : 0) +
      (absYaw > 45 ? ((absYaw - 45) / (MAX_YAW - 45)) * 0.35 : 0) +
      (c.width < 0.03 ? (0.03 - c.width) * 8 : 0);
    const detected = hidden < 0.5 && !rng.chance(missProbability);
    truth?.push({
      sample: index,
      timestamp,
      personId: a.personId,
      left: c.left,
      top: c.top,
      width: c.width,
      height: c.height,
      visibility: c.visibility,
      detected,
    });
    if (!detected) continue;
    const s = spec.jitter;
    const t = a.traits;
    const lack = Math.exp(rng.gaussian() * 1.1 - 4.2) * (1 + hidden * 40 + absYaw / 12 + (c.width < 0.04 ? 4 : 0));
    faces.push({
      timestamp,
      personId: a.personId,
      appearance: a,
      left: ratio(c.left + rng.gaussian() * s * c.width),
      top: ratio(c.top + rng.gaussian() * s * c.height),
      width: ratio(c.width * (1 + rng.gaussian() * s * 0.7)),
      height: ratio(c.height * (1 + rng.gaussian() * s * 0.7)),
      confidence: percent(Math.max(90, 100 - lack)),
      roll: percent(rollAt(a, timestamp) + rng.gaussian() * 1.5),
      yaw: percent(c.yaw + rng.gaussian() * 2.5),
      pitch: percent(pitchAt(a, timestamp) + rng.gaussian() * 2),
      brightness: percent(clamp(t.brightness + rng.gaussian() * 2.5, 1, 99.9)),
      sharpness: percent(clamp(spec.sharpness * (0.75 + Math.min(c.width, 0.2) * 1.5) + rng.gaussian() * 6, 1, 99.9)),
      key: hashKey(a.seed, index, 0x77),
    });
  }
  falsePositive(ctx, index, timestamp, faces);
  if (faces.length - start > 1) sortTail(faces, start);
}

function falsePositive(ctx: SampleContext, index: number, timestamp: number, faces: RawFace[]): void {
  const key = hashKey(ctx.seed, 0xf9, index);
  if (key / U32 >= ctx.spec.falsePositiveRate) return;
  const rng = new Rng(key);
  const width = rng.range(0.015, 0.07);
  const height = width * rng.range(1.0, 1.6) * ctx.frameAspect;
  faces.push({
    timestamp,
    personId: null,
    appearance: null,
    left: ratio(rng.range(0, 1 - width)),
    top: ratio(rng.range(0, 1 - height)),
    width: ratio(width),
    height: ratio(height),
    confidence: percent(rng.range(50, 96)),
    roll: percent(rng.range(-25, 25)),
    yaw: percent(rng.range(-50, 50)),
    pitch: percent(rng.range(-30, 30)),
    brightness: percent(rng.range(20, 90)),
    sharpness: percent(rng.range(3, 40)),
    key: hashKey(key, 0x77),
  });
}

/** Head yaw of `a` at `t`: usual yaw, slow drift, and look-away episodes (turned out of range). */
export function yawAt(ctx: SampleContext, a: Appearance, t: number): number {
  const base = a.yaw0 + a.yawDrift * Math.sin((2 * Math.PI * t) / (a.swayPeriodMs * 1.7) + a.phase);
  const block = Math.floor((t - a.startMs) / LOOK_AWAY_BLOCK_MS);
  let away = 0;
  for (let b = block - 1; b <= block; b++) {
    if (b < 0) continue;
    if (hashKey(a.seed, b, 0x100) / U32 >= ctx.spec.lookAwayRate * a.lookAway) continue;
    const h = hashKey(a.seed, b, 0x101);
    const start = a.startMs + b * LOOK_AWAY_BLOCK_MS + (h / U32) * LOOK_AWAY_BLOCK_MS;
    const length = 600 + (hashKey(a.seed, b, 0x102) / U32) * 2400;
    if (t < start || t >= start + length) continue;
    away = (h & 1 ? 1 : -1) * 100 * Math.sin((Math.PI * (t - start)) / length);
  }
  return clamp(base + away, -179, 179);
}

function pitchAt(a: Appearance, t: number): number {
  return ((a.seed & 0xff) / 255 - 0.5) * 18 + 4 * Math.sin((2 * Math.PI * t) / (a.swayPeriodMs * 0.8) + a.phase);
}

function rollAt(a: Appearance, t: number): number {
  return (((a.seed >>> 8) & 0xff) / 255 - 0.5) * 12 + 3 * Math.sin((2 * Math.PI * t) / (a.swayPeriodMs * 1.3));
}

function inFrameFraction(left: number, top: number, width: number, height: number): number {
  const w = Math.min(1, left + width) - Math.max(0, left);
  const h = Math.min(1, top + height) - Math.max(0, top);
  return w <= 0 || h <= 0 ? 0 : (w * h) / (width * height);
}

function intersection(p: Candidate, q: Candidate): number {
  const w = Math.min(p.left + p.width, q.left + q.width) - Math.max(p.left, q.left);
  const h = Math.min(p.top + p.height, q.top + q.height) - Math.max(p.top, q.top);
  return w <= 0 || h <= 0 ? 0 : w * h;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** Sorts `faces[start..]` by `left` in place (insertion sort: a sample holds a handful of faces). */
function sortTail(faces: RawFace[], start: number): void {
  for (let i = start + 1; i < faces.length; i++) {
    const face = faces[i]!;
    let j = i - 1;
    while (j >= start && faces[j]!.left > face.left) {
      faces[j + 1] = faces[j]!;
      j--;
    }
    faces[j + 1] = face;
  }
}

/**
 * An appearance: one continuous presence of one person in the synthetic video (the unit of ground-truth
 * identity), with its motion parameters and stable attributes; and the pure motion model.
 *
 * @module
 */

/** Emotion names, in the order Rekognition documents them. */
export const EMOTIONS = ['HAPPY', 'SAD', 'ANGRY', 'CONFUSED', 'DISGUSTED', 'SURPRISED', 'CALM', 'FEAR'] as const;

/** Stable attributes of a person (drawn once per appearance). */
export interface Traits {
  readonly female: boolean;
  /** Confidence of the gender estimate (its `Value` flips in a few samples when this is low). */
  readonly genderConfidence: number;
  readonly ageLow: number;
  readonly ageHigh: number;
  readonly beard: boolean;
  readonly mustache: boolean;
  readonly eyeglasses: boolean;
  readonly sunglasses: boolean;
  /** Index into {@link EMOTIONS} of the person's usual emotion. */
  readonly temperament: number;
  /** Base image brightness (0–100). */
  readonly brightness: number;
}

/** One continuous presence of one person: the ground-truth identity of its detections. */
export interface Appearance {
  /** Ground-truth person id, 1-based, unique within the video (assigned in order of first appearance). */
  personId: number;
  /** Presence interval, ms of video time, end exclusive. */
  readonly startMs: number;
  readonly endMs: number;
  /** Face centre at `startMs` (frame ratios). */
  readonly x0: number;
  readonly y0: number;
  /** Linear velocity, frame ratios per ms. */
  readonly vx: number;
  readonly vy: number;
  /** Sway amplitude (frame ratios) and period (ms), and a phase (radians). */
  readonly swayX: number;
  readonly swayY: number;
  readonly swayPeriodMs: number;
  readonly phase: number;
  /** Face width at `startMs` (ratio of frame width); relative growth per ms (approaching faces grow). */
  readonly width0: number;
  readonly growthPerMs: number;
  /** Usual head yaw (degrees) and its slow drift amplitude. */
  readonly yaw0: number;
  readonly yawDrift: number;
  /** Multiplier of the preset's look-away rate. */
  readonly lookAway: number;
  /** Extra per-sample miss probability of this person (hair, hat, lighting). */
  readonly extraMiss: number;
  readonly traits: Traits;
  /** Hash seed of this appearance's per-sample randomness. */
  readonly seed: number;
}

/** Face height / width (of the face itself, in pixels). */
export const FACE_ASPECT = 1.28;

/** Writes the true (noise-free) box of `a` at time `t` into `out` as `[left, top, width, height]`. */
export function trueBox(a: Appearance, t: number, frameAspect: number, out: Float64Array): void {
  const dt = t - a.startMs;
  const width = a.width0 * (1 + dt * a.growthPerMs);
  const height = width * FACE_ASPECT * frameAspect;
  const angle = (2 * Math.PI * t) / a.swayPeriodMs + a.phase;
  const cx = a.x0 + a.vx * dt + a.swayX * (Math.sin(angle) + 0.45 * Math.sin(2.71 * angle + 1.3));
  const cy = a.y0 + a.vy * dt + a.swayY * (Math.sin(1.37 * angle + 0.4) + 0.35 * Math.sin(3.1 * angle));
  out[0] = cx - width / 2;
  out[1] = cy - height / 2;
  out[2] = width;
  out[3] = height;
}

/**
 * The script of a synthetic video: who is on screen when, where and how they move. Built once per video from
 * its seed (a few hundred bytes per appearance, independent of the detection count), then sampled lazily.
 *
 * @module
 */
import { EMOTIONS, type Appearance, type Traits } from './appearance.js';
import type { PresetName, PresetSpec } from './presets.js';
import { hashKey, Rng } from './random.js';

/** The script: appearances sorted by start time, and shot boundaries (ms) for edited footage. */
export interface Script {
  readonly appearances: readonly Appearance[];
  /** Start times of shots after the first (cuts), ascending. Empty for unedited presets. */
  readonly cuts: readonly number[];
}

/** Builds the script of a video. Pure: same arguments, same script. */
export function buildScript(spec: PresetSpec, seed: number, durationMs: number, people: number): Script {
  const rng = new Rng(hashKey(seed, 0x5c1, PRESET_KEYS[spec.name]));
  const builder = new ScriptBuilder(spec, seed, rng);
  const cuts: number[] = [];
  switch (spec.name) {
    case 'interview':
      interview(builder, durationMs, people);
      break;
    case 'meeting':
      meeting(builder, durationMs, people);
      break;
    case 'walkers':
      walkers(builder, durationMs, people);
      break;
    case 'edited':
      edited(builder, durationMs, people, cuts);
      break;
  }
  const appearances = builder.appearances.filter((a) => a.endMs > 0 && a.startMs < durationMs);
  appearances.sort((a, b) => a.startMs - b.startMs || a.x0 - b.x0);
  appearances.forEach((a, i) => (a.personId = i + 1));
  return { appearances, cuts };
}

const PRESET_KEYS: Readonly<Record<PresetName, number>> = { interview: 1, meeting: 2, walkers: 3, edited: 4 };

type AppearanceInput = Omit<Appearance, 'personId' | 'traits' | 'seed' | 'lookAway' | 'extraMiss' | 'yawDrift'> &
  Partial<Pick<Appearance, 'lookAway' | 'extraMiss' | 'yawDrift'>>;

class ScriptBuilder {
  readonly appearances: Appearance[] = [];
  #next = 0;

  constructor(
    readonly spec: PresetSpec,
    readonly seed: number,
    readonly rng: Rng,
  ) {}

  add(input: AppearanceInput, sunglassesRate = 0.04): void {
    const rng = this.rng;
    this.appearances.push({
      lookAway: rng.range(0.5, 1.5),
      extraMiss: rng.chance(0.15) ? rng.range(0.02, 0.08) : 0,
      yawDrift: rng.range(4, 14),
      ...input,
      personId: 0,
      traits: drawTraits(rng, sunglassesRate),
      seed: hashKey(this.seed, 0xa99, this.#next++),
    });
  }
}

function drawTraits(rng: Rng, sunglassesRate: number): Traits {
  const female = rng.chance(0.5);
  const age = rng.int(16, 72);
  const beard = !female && rng.chance(0.3);
  const temperamentWeights = [0.25, 0.06, 0.04, 0.08, 0.03, 0.06, 0.45, 0.03];
  let u = rng.next() * temperamentWeights.reduce((s, w) => s + w, 0);
  let temperament = 0;
  for (; temperament < EMOTIONS.length - 1; temperament++) {
    u -= temperamentWeights[temperament]!;
    if (u < 0) break;
  }
  return {
    female,
    genderConfidence: rng.chance(0.1) ? rng.range(55, 80) : rng.range(92, 99.9),
    ageLow: Math.max(0, age - rng.int(2, 7)),
    ageHigh: age + rng.int(3, 10),
    beard,
    mustache: beard ? rng.chance(0.6) : !female && rng.chance(0.08),
    eyeglasses: rng.chance(0.25),
    sunglasses: rng.chance(sunglassesRate),
    temperament,
    brightness: rng.range(45, 88),
  };
}

/** Seated interviewees, side by side, for the whole video. */
function interview(b: ScriptBuilder, durationMs: number, people: number): void {
  const rng = b.rng;
  for (let i = 0; i < people; i++) {
    const slot = (i + 0.5) / people;
    const width0 = rng.range(0.1, 0.17) * (people > 2 ? 0.8 : 1);
    b.add({
      startMs: 0,
      endMs: durationMs,
      x0: 0.12 + 0.76 * slot + rng.range(-0.03, 0.03),
      y0: rng.range(0.36, 0.46),
      vx: 0,
      vy: 0,
      swayX: rng.range(0.004, 0.012),
      swayY: rng.range(0.003, 0.008),
      swayPeriodMs: rng.range(5000, 14000),
      phase: rng.range(0, 2 * Math.PI),
      width0,
      growthPerMs: 0,
      // Interviewees look at each other: the left one yaws right, the right one left.
      yaw0: people === 1 ? rng.range(-8, 8) : (slot < 0.5 ? -1 : 1) * rng.range(10, 28),
      lookAway: rng.range(0.7, 1.4),
    });
  }
}

/** Seats in two rows; each seat's occupants change every few minutes; occasional passers-by. */
function meeting(b: ScriptBuilder, durationMs: number, seats: number): void {
  const rng = b.rng;
  const front = Math.ceil(seats / 2);
  for (let s = 0; s < seats; s++) {
    const isFront = s < front;
    const rowCount = isFront ? front : seats - front;
    const col = isFront ? s : s - front;
    const x = 0.08 + 0.84 * ((col + (isFront ? 0.5 : 0.75)) / (rowCount + (isFront ? 0 : 0.5)));
    const y = isFront ? rng.range(0.56, 0.62) : rng.range(0.34, 0.4);
    const width0 = isFront ? rng.range(0.055, 0.075) : rng.range(0.033, 0.047);
    // Alternate occupied stints and empty gaps along the seat's timeline.
    let t = rng.chance(0.8) ? -rng.range(0, 60_000) : rng.range(0, 120_000);
    while (t < durationMs) {
      const stint = rng.exponential(8 * 60_000) + 20_000;
      b.add({
        startMs: Math.max(0, t),
        endMs: Math.min(durationMs, t + stint),
        x0: x + rng.range(-0.02, 0.02),
        y0: y + rng.range(-0.01, 0.01),
        vx: 0,
        vy: 0,
        swayX: rng.range(0.004, 0.014),
        swayY: rng.range(0.002, 0.008),
        swayPeriodMs: rng.range(4000, 12000),
        phase: rng.range(0, 2 * Math.PI),
        width0,
        growthPerMs: 0,
        yaw0: (0.5 - x) * rng.range(40, 80),
      });
      t += stint + rng.range(10_000, 90_000);
    }
  }
  // Passers-by walk in front of the camera: large, fast, and they occlude the table.
  let t = rng.exponential(90_000);
  while (t < durationMs) {
    const right = rng.chance(0.5);
    const width0 = rng.range(0.09, 0.13);
    const speed = rng.range(0.03, 0.06) / 200;
    const crossing = (1 + 2 * width0) / speed;
    b.add({
      startMs: t,
      endMs: Math.min(durationMs, t + crossing),
      x0: right ? -width0 : 1 + width0,
      y0: rng.range(0.4, 0.55),
      vx: right ? speed : -speed,
      vy: 0,
      swayX: 0,
      swayY: rng.range(0.003, 0.008),
      swayPeriodMs: rng.range(900, 1300),
      phase: rng.range(0, 2 * Math.PI),
      width0,
      growthPerMs: 0,
      yaw0: (right ? 1 : -1) * rng.range(20, 45),
      yawDrift: 5,
    });
    t += crossing + rng.exponential(90_000);
  }
}

/**
 * Walkers crossing a street scene, left to right or back, at 1.2–6 % of the frame width per 200 ms: the fast
 * ones move more than their own width between samples (zero IoU), and opposite directions cross.
 */
function walkers(b: ScriptBuilder, durationMs: number, people: number): void {
  const rng = b.rng;
  const meanCrossingMs = 6_500;
  const meanGapMs = meanCrossingMs / people;
  // Start with the scene already populated: walkers that entered before t=0.
  let t = -meanCrossingMs * 2;
  while (t < durationMs) {
    const right = rng.chance(0.5);
    // Perspective: walkers further up the frame are further away, so smaller.
    const y0 = rng.range(0.3, 0.7);
    const width0 = (0.02 + (y0 - 0.3) * 0.07) * rng.range(0.85, 1.15);
    const speed = (rng.chance(0.4) ? rng.range(0.035, 0.06) : rng.range(0.012, 0.035)) / 200;
    const approaching = rng.chance(0.2);
    const crossing = (1 + 2 * width0) / speed;
    b.add(
      {
        startMs: t,
        endMs: t + crossing,
        x0: right ? -width0 : 1 + width0,
        y0,
        vx: right ? speed : -speed,
        vy: approaching ? rng.range(0.00001, 0.00003) : rng.range(-0.000006, 0.000006),
        swayX: 0,
        swayY: width0 * 0.08,
        swayPeriodMs: rng.range(950, 1250),
        phase: rng.range(0, 2 * Math.PI),
        width0,
        growthPerMs: approaching ? rng.range(0.00003, 0.00008) : 0,
        yaw0: (right ? 1 : -1) * rng.range(10, 40),
        yawDrift: rng.range(8, 20),
      },
      0.15,
    );
    t += rng.exponential(meanGapMs);
  }
}

/** Shots of 1.5–10 s; each shot has its own faces (new identities after every cut). */
function edited(b: ScriptBuilder, durationMs: number, maxPerShot: number, cuts: number[]): void {
  const rng = b.rng;
  let t = 0;
  while (t < durationMs) {
    const length = Math.min(10_000, 1500 + rng.exponential(3500));
    const end = Math.min(durationMs, t + length);
    const kind = rng.next();
    // 15 % cutaways without faces; close-ups (1 large face); medium shots; wide shots (small faces).
    const count = kind < 0.15 ? 0 : kind < 0.45 ? 1 : rng.int(1, maxPerShot);
    const scale = count === 1 ? rng.range(0.12, 0.3) : rng.range(0.05, 0.12);
    const panX = rng.chance(0.3) ? rng.range(-0.00002, 0.00002) : 0;
    for (let i = 0; i < count; i++) {
      b.add({
        startMs: t,
        endMs: end,
        x0: count === 1 ? rng.range(0.3, 0.7) : (i + 0.5) / count + rng.range(-0.05, 0.05),
        y0: rng.range(0.3, 0.55),
        vx: panX,
        vy: 0,
        swayX: rng.range(0.002, 0.01),
        swayY: rng.range(0.002, 0.006),
        swayPeriodMs: rng.range(3000, 9000),
        phase: rng.range(0, 2 * Math.PI),
        width0: scale * rng.range(0.85, 1.15),
        growthPerMs: rng.chance(0.2) ? rng.range(-0.00003, 0.00005) : 0,
        yaw0: rng.range(-35, 35),
      });
    }
    t = end;
    if (t < durationMs) cuts.push(t);
  }
}

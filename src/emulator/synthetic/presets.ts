/**
 * The footage presets of the synthetic videos: frame format, how many people, how big and fast their faces
 * are, and how noisy the simulated detector is.
 *
 * @module
 */

/** Names of the synthetic footage presets. */
export type PresetName = 'interview' | 'meeting' | 'walkers' | 'edited';

/** Every preset name, in documentation order. */
export const PRESET_NAMES: readonly PresetName[] = ['interview', 'meeting', 'walkers', 'edited'];

/** The parameters of one preset. Ratios are of the frame width/height, as in Rekognition boxes. */
export interface PresetSpec {
  readonly name: PresetName;
  /** One-line description for docs and `--help`. */
  readonly description: string;
  /** What `people=` means for this preset. */
  readonly peopleMeaning: string;
  /** Default and maximum of `people=`. */
  readonly defaultPeople: number;
  readonly maxPeople: number;
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly frameRate: number;
  readonly colorRange: 'FULL' | 'LIMITED';
  /** Probability that a visible, unoccluded face is missed in one sample. */
  readonly missProbability: number;
  /** Standard deviation of box jitter, relative to the box size. */
  readonly jitter: number;
  /** Probability of a false positive per sample. */
  readonly falsePositiveRate: number;
  /** Probability, per 5 s of presence, of a look-away (face turned out of detector range for 0.6–3 s). */
  readonly lookAwayRate: number;
  /** Base image sharpness (Rekognition `Quality.Sharpness`, 0–100) of faces in this footage. */
  readonly sharpness: number;
}

const specs: Readonly<Record<PresetName, PresetSpec>> = {
  interview: {
    name: 'interview',
    description: 'a seated interview: 1–4 large, nearly still faces for the whole video, with look-aways',
    peopleMeaning: 'number of interviewees on screen (default 2)',
    defaultPeople: 2,
    maxPeople: 4,
    frameWidth: 1920,
    frameHeight: 1080,
    frameRate: 29.97,
    colorRange: 'LIMITED',
    missProbability: 0.015,
    jitter: 0.02,
    falsePositiveRate: 0.002,
    lookAwayRate: 0.1,
    sharpness: 86,
  },
  meeting: {
    name: 'meeting',
    description: 'a meeting room: seats in two rows, people come and go, passers-by occlude the table',
    peopleMeaning: 'number of seats (default 5); seats are sometimes empty',
    defaultPeople: 5,
    maxPeople: 40,
    frameWidth: 1920,
    frameHeight: 1080,
    frameRate: 30,
    colorRange: 'FULL',
    missProbability: 0.04,
    jitter: 0.035,
    falsePositiveRate: 0.004,
    lookAwayRate: 0.08,
    sharpness: 70,
  },
  walkers: {
    name: 'walkers',
    description: 'a street: small faces crossing the frame at 1.2–6 % of its width per sample (often no overlap between samples), crossings',
    peopleMeaning: 'average number of walkers in view (default 5)',
    defaultPeople: 5,
    maxPeople: 40,
    frameWidth: 1280,
    frameHeight: 720,
    frameRate: 25,
    colorRange: 'LIMITED',
    missProbability: 0.07,
    jitter: 0.05,
    falsePositiveRate: 0.01,
    lookAwayRate: 0.05,
    sharpness: 38,
  },
  edited: {
    name: 'edited',
    description: 'edited footage: shots of 1.5–10 s separated by cuts, new faces after every cut',
    peopleMeaning: 'maximum number of faces per shot (default 3)',
    defaultPeople: 3,
    maxPeople: 12,
    frameWidth: 1920,
    frameHeight: 1080,
    frameRate: 23.976,
    colorRange: 'LIMITED',
    missProbability: 0.03,
    jitter: 0.03,
    falsePositiveRate: 0.004,
    lookAwayRate: 0.06,
    sharpness: 74,
  },
};

/**
 * The spec of a preset.
 *
 * @example
 * ```ts
 * import { presetSpec, PRESET_NAMES } from 'rekognition-face-stream/emulator';
 *
 * for (const name of PRESET_NAMES) console.log(name, presetSpec(name).description);
 * ```
 */
export function presetSpec(name: PresetName): PresetSpec {
  return specs[name];
}

/** Whether `name` is a preset name. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(specs, name);
}

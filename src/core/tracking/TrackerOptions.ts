/**
 * Options of the tracking core (shared by `faceTracks`, `labelFaceTracks` and the `tracks` CLI command).
 *
 * @module
 */
import { expectInteger, expectNumber, expectObject } from '../../internal/validate.js';
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';

/** Tracker tuning knobs. Every duration is in ms of video time (data timestamps), never frames. */
export interface TrackerOptions {
  /**
   * A track closes when it has had no detection for longer than this (look-aways, occlusions and missed
   * detections shorter than this keep the identity).
   * @default 6000
   */
  readonly maxGapMs?: number;
  /**
   * Detections needed before a new track is confirmed (reported). Earlier detections are back-filled into
   * the track, so confirmation costs no recall; unconfirmed tracks are dropped as false positives.
   * @default 3
   */
  readonly minHits?: number;
  /**
   * A new track must collect `minHits` detections within this time of its first detection, or it is dropped.
   * @default 1000
   */
  readonly confirmWithinMs?: number;
  /**
   * Detections whose `Confidence` (0–100) is below this are ignored (they belong to no track).
   * @default 0
   */
  readonly minConfidence?: number;
  /**
   * A detection can only start a new track if its `Confidence` is at least this (it may still extend an
   * existing track when lower).
   * @default 0
   */
  readonly newTrackMinConfidence?: number;
  /**
   * Largest distance, in face sizes (`normalizedCentreDistance`), between a track's predicted box and a
   * detection in the next sample. The allowance grows with the time since the track was last seen.
   * @default 1
   */
  readonly maxCentreDistance?: number;
  /**
   * The same allowance for a track seen only once (its velocity is still unknown, so fast faces need more).
   * @default 2.5
   */
  readonly newTrackMaxCentreDistance?: number;
  /**
   * Growth of the centre-distance allowance per second since the track was last seen, in face sizes.
   * @default 0.5
   */
  readonly centreDistanceGrowthPerSecond?: number;
  /**
   * Pairs whose IoU with the predicted box reaches this are always admissible (whatever the centre distance).
   * @default 0.3
   */
  readonly minIou?: number;
  /**
   * Largest size change between a track and a detection, as `|ln(side ratio)|` (0.5 ≈ ×1.65).
   * @default 0.5
   */
  readonly maxScaleChange?: number;
  /**
   * Cost of leaving a track unmatched in a sample. A pair is matched only if its cost is lower, so larger
   * values link more aggressively. The cost of an admissible pair is `centreDistance / allowance (≤ 1) +
   * 0.5·(1 − IoU) + 2·scaleChange + 0.1·gapSeconds (+ 0.1 for a tentative track) + cue penalties (≤ 0.6)`.
   * @default 2
   */
  readonly maxCost?: number;
  /**
   * Close every open track at a shot cut: a sample where at least two tracks seen in the previous sample
   * exist and (nearly) none of them matches any detection while new faces appear.
   * @default true
   */
  readonly shotCuts?: boolean;
  /**
   * Use `Pose` and stable attributes (gender, age range, glasses, beard, mustache) as tie-breakers when
   * present.
   * @default true
   */
  readonly useFaceCues?: boolean;
  /**
   * Longest extrapolation of a track's velocity into a gap; beyond it the prediction stays put.
   * @default 2000
   */
  readonly maxExtrapolationMs?: number;
}

/** {@link TrackerOptions} with every default applied. */
export type ResolvedTrackerOptions = { readonly [K in keyof TrackerOptions]-?: NonNullable<TrackerOptions[K]> };

/** The defaults of {@link TrackerOptions}. */
export const DEFAULT_TRACKER_OPTIONS: ResolvedTrackerOptions = Object.freeze({
  maxGapMs: 6000,
  minHits: 3,
  confirmWithinMs: 1000,
  minConfidence: 0,
  newTrackMinConfidence: 0,
  maxCentreDistance: 1,
  newTrackMaxCentreDistance: 2.5,
  centreDistanceGrowthPerSecond: 0.5,
  minIou: 0.3,
  maxScaleChange: 0.5,
  maxCost: 2,
  shotCuts: true,
  useFaceCues: true,
  maxExtrapolationMs: 2000,
});

const NUMBER_RANGES: Readonly<Record<string, readonly [number, number, boolean]>> = {
  // name: [min, max, integer]
  maxGapMs: [0, Number.MAX_SAFE_INTEGER, false],
  minHits: [1, 1000, true],
  confirmWithinMs: [0, Number.MAX_SAFE_INTEGER, false],
  minConfidence: [0, 100, false],
  newTrackMinConfidence: [0, 100, false],
  maxCentreDistance: [0, 1000, false],
  newTrackMaxCentreDistance: [0, 1000, false],
  centreDistanceGrowthPerSecond: [0, 1000, false],
  minIou: [0, 1, false],
  maxScaleChange: [0, 100, false],
  maxCost: [0, 1000, false],
  maxExtrapolationMs: [0, Number.MAX_SAFE_INTEGER, false],
};

/**
 * Validates the tracker options in `options` and applies the defaults. Unknown keys are rejected (a typo
 * must not silently fall back to a default), except `extraKeys`, which a shell validates itself.
 *
 * @param prefix - how the options object is called in error messages (e.g. `options`).
 * @throws {@link InvalidParameterError} naming the offending option.
 */
export function resolveTrackerOptions(
  options: unknown,
  prefix = 'options',
  extraKeys: readonly string[] = [],
): ResolvedTrackerOptions {
  if (options === undefined) return DEFAULT_TRACKER_OPTIONS;
  const input = expectObject(prefix, options);
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(DEFAULT_TRACKER_OPTIONS, key) && !extraKeys.includes(key)) {
      const known = [...Object.keys(DEFAULT_TRACKER_OPTIONS), ...extraKeys].join(', ');
      throw new InvalidParameterError(`${prefix}.${key}`, `not to be set (unknown option; known: ${known})`, input[key]);
    }
  }
  const resolved: Record<string, unknown> = { ...DEFAULT_TRACKER_OPTIONS };
  for (const key of Object.keys(DEFAULT_TRACKER_OPTIONS)) {
    const value = input[key];
    if (value === undefined) continue;
    const range = NUMBER_RANGES[key];
    if (range) {
      const [min, max, integer] = range;
      resolved[key] = integer ? expectInteger(`${prefix}.${key}`, value, min, max) : expectNumber(`${prefix}.${key}`, value, min, max);
    } else if (typeof value !== 'boolean') {
      throw new InvalidParameterError(`${prefix}.${key}`, 'a boolean', value);
    } else {
      resolved[key] = value;
    }
  }
  return resolved as ResolvedTrackerOptions;
}

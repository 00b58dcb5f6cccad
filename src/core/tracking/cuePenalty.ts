/**
 * Association penalty from face cues: a head that turned implausibly fast, or stable attributes (gender, age
 * range, glasses, beard, mustache) that contradict what the track has shown so far. Small next to the
 * geometric cost, so cues only break ties (typically at crossings of two similar boxes).
 *
 * @module
 */
import type { TrackState } from './TrackState.js';
import type { FaceCues } from './TrackerObservation.js';

/** Largest total cue penalty. */
const MAX_PENALTY = 0.6;
/** Yaw change allowed for free, plus per second since the yaw was seen, degrees. */
const FREE_YAW = 20;
const FREE_YAW_PER_SECOND = 60;

/**
 * Penalty (≥ 0, at most 0.6) for matching a detection with `cues` at `timestamp` to `track`: e.g. a track
 * that has been clearly male and a clearly female detection (`{ male: -99 }`) cost about 0.29 more. Internal
 * to the tracker (not exported from the package).
 */
export function cuePenalty<T>(track: TrackState<T>, cues: FaceCues, timestamp: number): number {
  let penalty = 0;
  if (cues.yaw !== undefined && !Number.isNaN(track.yaw)) {
    const free = FREE_YAW + (FREE_YAW_PER_SECOND * (timestamp - track.yawTimestamp)) / 1000;
    const excess = Math.abs(cues.yaw - track.yaw) - free;
    if (excess > 0) penalty += Math.min(0.3, excess / 150);
  }
  const e = track.evidence;
  const n = e.cueCount;
  if (n > 0) {
    penalty += contradiction(e.male / n, cues.male, 0.3);
    penalty += contradiction(e.sunglasses / n, cues.sunglasses, 0.2);
    penalty += contradiction(e.eyeglasses / n, cues.eyeglasses, 0.15);
    penalty += contradiction(e.beard / n, cues.beard, 0.15);
    penalty += contradiction(e.mustache / n, cues.mustache, 0.1);
  }
  if (track.ageCount > 0 && cues.ageLow !== undefined && cues.ageHigh !== undefined) {
    const low = track.ageLowSum / track.ageCount;
    const high = track.ageHighSum / track.ageCount;
    const apart = Math.max(low, cues.ageLow) - Math.min(high, cues.ageHigh);
    if (apart > 0) penalty += Math.min(0.25, apart / 40);
  }
  return Math.min(MAX_PENALTY, penalty);
}

/** `weight` scaled by how strongly two signed evidences (in [-100, 100]) disagree; 0 when they agree. */
function contradiction(trackEvidence: number, detection: number | undefined, weight: number): number {
  if (detection === undefined || trackEvidence * detection >= 0) return 0;
  const strength = Math.min(Math.abs(trackEvidence), Math.abs(detection));
  // Only confident opinions count: below 60 the attribute is a coin flip.
  return strength > 60 ? (weight * (strength - 60)) / 40 : 0;
}

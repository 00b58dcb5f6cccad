import type { WindowAggregate } from '../../core/windows/windowTypes.js';
import type { DetectionLike } from './faceShapes.js';

/** The mean estimated age range of a window's faces (years). */
export interface MeanAgeRange {
  /** Mean of `AgeRange.Low`. */
  readonly Low: number;
  /** Mean of `AgeRange.High`. */
  readonly High: number;
}

interface AgeAccumulator {
  low: number;
  high: number;
  count: number;
}

/**
 * Mean `Face.AgeRange` (mean `Low`, mean `High`) of a window; `null` when no item has an age range. Needs
 * `FaceAttributes: 'ALL'` detections.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { meanAgeRange, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0, Face: { AgeRange: { Low: 20, High: 30 } } }])
 *   .pipe(tumblingWindow(1000, { aggregate: meanAgeRange() }))
 *   .subscribe((w) => console.log(w.value)); // { Low: 20, High: 30 }
 * ```
 */
export function meanAgeRange(): WindowAggregate<DetectionLike, AgeAccumulator, MeanAgeRange | null> {
  return {
    create: () => ({ low: 0, high: 0, count: 0 }),
    add: (acc, d) => {
      const range = d.Face?.AgeRange;
      const low = range?.Low;
      const high = range?.High;
      if (typeof low === 'number' && typeof high === 'number' && Number.isFinite(low) && Number.isFinite(high)) {
        acc.low += low;
        acc.high += high;
        acc.count++;
      }
      return acc;
    },
    merge: (a, b) => {
      a.low += b.low;
      a.high += b.high;
      a.count += b.count;
      return a;
    },
    result: (acc) => (acc.count === 0 ? null : { Low: acc.low / acc.count, High: acc.high / acc.count }),
  };
}

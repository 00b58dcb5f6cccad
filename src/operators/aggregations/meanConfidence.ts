import type { WindowAggregate } from '../../core/windows/windowTypes.js';
import type { DetectionLike, MeanAccumulator } from './faceShapes.js';

/**
 * Mean face-detection confidence (`Face.Confidence`, 0–100) of a window; `null` when no item has one.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { meanConfidence, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0, Face: { Confidence: 90 } }, { Timestamp: 5, Face: { Confidence: 100 } }])
 *   .pipe(tumblingWindow(1000, { aggregate: meanConfidence() }))
 *   .subscribe((w) => console.log(w.value)); // 95
 * ```
 */
export function meanConfidence(): WindowAggregate<DetectionLike, MeanAccumulator, number | null> {
  return {
    create: () => ({ sum: 0, count: 0 }),
    add: (acc, d) => {
      const c = d.Face?.Confidence;
      if (typeof c === 'number' && Number.isFinite(c)) {
        acc.sum += c;
        acc.count++;
      }
      return acc;
    },
    merge: (a, b) => {
      a.sum += b.sum;
      a.count += b.count;
      return a;
    },
    result: (acc) => (acc.count === 0 ? null : acc.sum / acc.count),
  };
}

import type { WindowAggregate } from '../../core/windows/windowTypes.js';

/**
 * Counts the items of a window (detections per window). Works for any item type; merges by adding.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { countAggregate, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0 }, { Timestamp: 10 }])
 *   .pipe(tumblingWindow(1000, { aggregate: countAggregate }))
 *   .subscribe((w) => console.log(w.value)); // 2
 * ```
 */
export const countAggregate: WindowAggregate<unknown, number, number> = Object.freeze({
  create: () => 0,
  add: (count: number) => count + 1,
  merge: (a: number, b: number) => a + b,
  result: (count: number) => count,
});

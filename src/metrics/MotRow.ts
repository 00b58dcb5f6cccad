/**
 * One row of a MOTChallenge 2D text file (`frame,id,left,top,width,height,conf,x,y,z`), for ground truth or
 * tracker output. Boxes are in pixels (or any unit, as long as both files use the same one).
 *
 * @example
 * ```ts
 * import type { MotRow } from 'rekognition-face-stream';
 *
 * const row: MotRow = { frame: 1, id: 3, left: 10, top: 20, width: 50, height: 80, conf: 1 };
 * console.log(row.width * row.height); // 4000
 * ```
 */
export interface MotRow {
  /** Frame number, 1-based. */
  readonly frame: number;
  /** Track (or ground-truth object) id, a non-negative integer. */
  readonly id: number;
  /** Left edge of the box. */
  readonly left: number;
  /** Top edge of the box. */
  readonly top: number;
  /** Box width. */
  readonly width: number;
  /** Box height. */
  readonly height: number;
  /**
   * Confidence column. In ground truth, MOTChallenge uses it as a flag: `0` marks a row to ignore
   * ("zero-marked"), anything else is evaluated. Tracker confidences are not used by the metrics.
   */
  readonly conf: number;
}

/**
 * Axis-aligned box geometry for tracking: intersection over union, scale-normalized centre distance, scale
 * change, interpolation and conversion from/to Rekognition `BoundingBox` ratios. Pure functions, no I/O.
 *
 * Boxes are `{ left, top, width, height }` in any consistent unit (Rekognition uses ratios of the frame size;
 * MOT files use pixels). Widths and heights are expected to be ≥ 0.
 *
 * @module
 */
import type { BoundingBox } from '../types.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';

/** An axis-aligned box: top-left corner and size, in any consistent unit. */
export interface Box {
  /** Left edge (x of the top-left corner). */
  readonly left: number;
  /** Top edge (y of the top-left corner). */
  readonly top: number;
  /** Width, ≥ 0. */
  readonly width: number;
  /** Height, ≥ 0. */
  readonly height: number;
}

/**
 * Intersection over union of two boxes, in [0, 1]; 0 when either box is empty or they do not overlap.
 *
 * @example
 * ```ts
 * import { iou } from './geometry.js';
 *
 * iou({ left: 0, top: 0, width: 1, height: 2 }, { left: 0, top: 0, width: 1, height: 1 }); // 0.5
 * ```
 */
export function iou(a: Box, b: Box): number {
  const ix = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  if (ix <= 0) return 0;
  const iy = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (iy <= 0) return 0;
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Distance between the centres of two boxes measured in box sizes: the horizontal offset divided by the
 * geometric-mean width and the vertical offset divided by the geometric-mean height, combined as a Euclidean
 * norm. Symmetric, independent of scale and of the frame's aspect ratio (Rekognition ratios stretch x and y
 * differently); `Infinity` if a box is empty.
 *
 * Unlike IoU it keeps decreasing smoothly when boxes stop overlapping, so a fast face that moved more than
 * its own width between two samples can still be matched.
 *
 * @example
 * ```ts
 * import { normalizedCentreDistance } from './geometry.js';
 *
 * normalizedCentreDistance({ left: 0, top: 0, width: 1, height: 2 }, { left: 3, top: 8, width: 1, height: 2 }); // 5
 * ```
 */
export function normalizedCentreDistance(a: Box, b: Box): number {
  const w = Math.sqrt(a.width * b.width);
  const h = Math.sqrt(a.height * b.height);
  if (!(w > 0) || !(h > 0)) return Infinity;
  const dx = (a.left + a.width / 2 - (b.left + b.width / 2)) / w;
  const dy = (a.top + a.height / 2 - (b.top + b.height / 2)) / h;
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * Absolute log ratio of the two boxes' side lengths (`|ln √(areaA / areaB)|`): 0 for equal sizes,
 * ln 2 ≈ 0.69 when one box is twice as wide and high as the other. `Infinity` if a box is empty.
 *
 * @example
 * ```ts
 * import { scaleChange } from './geometry.js';
 *
 * scaleChange({ left: 0, top: 0, width: 2, height: 2 }, { left: 5, top: 5, width: 1, height: 1 }); // ≈ 0.693
 * ```
 */
export function scaleChange(a: Box, b: Box): number {
  const areaA = a.width * a.height;
  const areaB = b.width * b.height;
  if (!(areaA > 0) || !(areaB > 0)) return Infinity;
  return Math.abs(0.5 * Math.log(areaA / areaB));
}

/**
 * Linear interpolation between two boxes (`t = 0` → `a`, `t = 1` → `b`); `t` outside [0, 1] extrapolates.
 *
 * @example
 * ```ts
 * import { lerpBox } from './geometry.js';
 *
 * lerpBox({ left: 0, top: 0, width: 2, height: 2 }, { left: 2, top: 2, width: 4, height: 4 }, 0.5);
 * // { left: 1, top: 1, width: 3, height: 3 }
 * ```
 */
export function lerpBox(a: Box, b: Box, t: number): Box {
  return {
    left: a.left + (b.left - a.left) * t,
    top: a.top + (b.top - a.top) * t,
    width: a.width + (b.width - a.width) * t,
    height: a.height + (b.height - a.height) * t,
  };
}

/**
 * Converts a Rekognition `BoundingBox` (ratios of the frame: `Left`, `Top`, `Width`, `Height`) to a {@link Box}.
 *
 * @throws {@link InvalidParameterError} naming `parameter` if a member is missing or not a finite number, or a
 *   size is negative.
 *
 * @example
 * ```ts
 * import { boxFromBoundingBox } from './geometry.js';
 *
 * boxFromBoundingBox({ Left: 0.1, Top: 0.2, Width: 0.3, Height: 0.4 }); // { left: 0.1, top: 0.2, width: 0.3, height: 0.4 }
 * ```
 */
export function boxFromBoundingBox(box: BoundingBox | undefined, parameter = 'BoundingBox'): Box {
  if (typeof box !== 'object' || box === null) {
    throw new InvalidParameterError(parameter, 'an object with numeric Left, Top, Width and Height', box);
  }
  const { Left: left, Top: top, Width: width, Height: height } = box;
  if (!isFiniteNumber(left)) throw new InvalidParameterError(`${parameter}.Left`, 'a finite number', left);
  if (!isFiniteNumber(top)) throw new InvalidParameterError(`${parameter}.Top`, 'a finite number', top);
  if (!isFiniteNumber(width) || width < 0) {
    throw new InvalidParameterError(`${parameter}.Width`, 'a finite number >= 0', width);
  }
  if (!isFiniteNumber(height) || height < 0) {
    throw new InvalidParameterError(`${parameter}.Height`, 'a finite number >= 0', height);
  }
  return { left, top, width, height };
}

/**
 * Converts a {@link Box} back to a Rekognition `BoundingBox` (`Width`, `Height`, `Left`, `Top`, the SDK's order).
 *
 * @example
 * ```ts
 * import { boundingBoxFromBox } from './geometry.js';
 *
 * boundingBoxFromBox({ left: 0.1, top: 0.2, width: 0.3, height: 0.4 }); // { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 }
 * ```
 */
export function boundingBoxFromBox(box: Box): BoundingBox {
  return { Width: box.width, Height: box.height, Left: box.left, Top: box.top };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

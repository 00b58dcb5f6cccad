/** Boxes as parallel columns (`left`, `top`, `width`, `height`), `count` of them. @internal */
export interface BoxColumns {
  readonly count: number;
  readonly left: Float64Array;
  readonly top: Float64Array;
  readonly width: Float64Array;
  readonly height: Float64Array;
}

const EPS = Number.EPSILON; // np.finfo('float').eps

/**
 * IoU matrix (row-major, `a.count × b.count`) of `[left, top, width, height]` boxes, computed with the same
 * floating-point operations as TrackEval's `_calculate_box_ious(..., box_format='xywh')`: corners first,
 * areas from corners, zero IoU for degenerate boxes or unions.
 *
 * @internal
 */
export function boxIous(a: BoxColumns, b: BoxColumns): Float64Array {
  const out = new Float64Array(a.count * b.count);
  for (let i = 0; i < a.count; i++) {
    const ax0 = a.left[i] as number;
    const ay0 = a.top[i] as number;
    const ax1 = ax0 + (a.width[i] as number);
    const ay1 = ay0 + (a.height[i] as number);
    const areaA = (ax1 - ax0) * (ay1 - ay0);
    for (let j = 0; j < b.count; j++) {
      const bx0 = b.left[j] as number;
      const by0 = b.top[j] as number;
      const bx1 = bx0 + (b.width[j] as number);
      const by1 = by0 + (b.height[j] as number);
      const areaB = (bx1 - bx0) * (by1 - by0);
      let intersection =
        Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0) * Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0);
      let union = areaA + areaB - intersection;
      if (areaA <= EPS || areaB <= EPS || union <= EPS) intersection = 0;
      if (union <= EPS) union = 1;
      out[i * b.count + j] = intersection / union;
    }
  }
  return out;
}

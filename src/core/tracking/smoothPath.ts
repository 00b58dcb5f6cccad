/**
 * Offline smoothing of a track's box path: each box is replaced by the value at its time of a least-squares
 * line fitted (per coordinate) through the boxes within ±`windowMs`. Linear motion passes through unchanged
 * (also at the ends of the path, unlike a moving average); detector jitter is averaged out.
 *
 * @module
 */
import type { Box } from '../geometry.js';

/**
 * Smoothed boxes, one per input box. `times` must be ascending; `windowMs <= 0` returns copies of the boxes.
 *
 * @example
 * ```ts
 * import { smoothPath } from './smoothPath.js';
 *
 * const jittery = [0.1, 0.13, 0.1, 0.13, 0.1].map((left) => ({ left, top: 0.2, width: 0.1, height: 0.1 }));
 * smoothPath([0, 200, 400, 600, 800], jittery, 400)[2]?.left; // ≈ 0.112
 * ```
 */
export function smoothPath(times: readonly number[], boxes: readonly Box[], windowMs: number): Box[] {
  const n = boxes.length;
  const out: Box[] = new Array<Box>(n);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    while ((times[lo] as number) < t - windowMs) lo++;
    while (hi + 1 < n && (times[hi + 1] as number) <= t + windowMs) hi++;
    if (hi === lo || windowMs <= 0) {
      out[i] = { ...(boxes[i] as Box) };
      continue;
    }
    const count = hi - lo + 1;
    let st = 0;
    const sum = [0, 0, 0, 0];
    for (let k = lo; k <= hi; k++) {
      const b = boxes[k] as Box;
      st += times[k] as number;
      sum[0] = (sum[0] as number) + b.left;
      sum[1] = (sum[1] as number) + b.top;
      sum[2] = (sum[2] as number) + b.width;
      sum[3] = (sum[3] as number) + b.height;
    }
    const mt = st / count;
    const mean = sum.map((s) => s / count);
    let stt = 0;
    const stv = [0, 0, 0, 0];
    for (let k = lo; k <= hi; k++) {
      const b = boxes[k] as Box;
      const d = (times[k] as number) - mt;
      stt += d * d;
      stv[0] = (stv[0] as number) + d * (b.left - (mean[0] as number));
      stv[1] = (stv[1] as number) + d * (b.top - (mean[1] as number));
      stv[2] = (stv[2] as number) + d * (b.width - (mean[2] as number));
      stv[3] = (stv[3] as number) + d * (b.height - (mean[3] as number));
    }
    const dt = t - mt;
    const at = (c: number) => (mean[c] as number) + (stt > 0 ? ((stv[c] as number) / stt) * dt : 0);
    out[i] = { left: at(0), top: at(1), width: at(2), height: at(3) };
  }
  return out;
}

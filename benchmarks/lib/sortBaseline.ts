/**
 * The benchmark's baseline: a SORT-style tracker (Bewley et al., ICIP 2016) with frame-based memory, written
 * from the paper's description and the behaviour of its reference implementation (abewley/sort):
 * a 7-D constant-velocity Kalman filter on (cx, cy, area, aspect), IoU between detections and predicted boxes,
 * optimal assignment, `maxAge` frames of memory, `minHits` consecutive hits before output, Kalman-state boxes
 * as output. Benchmark-only code (not part of the library).
 */
import { linearSumAssignment } from '../../src/core/linearSumAssignment.js';
import { iou } from '../../src/core/geometry.js';
import type { Box } from '../../src/core/geometry.js';

/** SORT parameters, in frames. */
export interface SortOptions {
  /** Frames a track survives without a match (SORT default 1). */
  readonly maxAge: number;
  /** Consecutive hits before a track is output (SORT default 3). */
  readonly minHits: number;
  /** Smallest IoU of a match (SORT default 0.3). */
  readonly iouThreshold: number;
}

/** SORT's defaults. */
export const SORT_DEFAULTS: SortOptions = { maxAge: 1, minHits: 3, iouThreshold: 0.3 };

/** One output box of a frame. */
export interface SortOutput {
  readonly id: number;
  readonly box: Box;
}

type Vec = number[];
type Mat = number[][];

const eye = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const mul = (a: Mat, b: Mat): Mat =>
  a.map((row) => (b[0] as Vec).map((_, j) => row.reduce((s, v, k) => s + v * ((b[k] as Vec)[j] as number), 0)));
const transpose = (a: Mat): Mat => (a[0] as Vec).map((_, j) => a.map((row) => row[j] as number));
const add = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v + ((b[i] as Vec)[j] as number)));
const sub = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v - ((b[i] as Vec)[j] as number)));

function inverse(m: Mat): Mat {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...(eye(n)[i] as Vec)]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((a[r] as Vec)[c] as number) > Math.abs((a[p] as Vec)[c] as number)) p = r;
    [a[c], a[p]] = [a[p] as Vec, a[c] as Vec];
    const pivot = (a[c] as Vec)[c] as number;
    a[c] = (a[c] as Vec).map((v) => v / pivot);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = (a[r] as Vec)[c] as number;
      if (f !== 0) a[r] = (a[r] as Vec).map((v, j) => v - f * ((a[c] as Vec)[j] as number));
    }
  }
  return a.map((row) => row.slice(n));
}

const F: Mat = [
  [1, 0, 0, 0, 1, 0, 0],
  [0, 1, 0, 0, 0, 1, 0],
  [0, 0, 1, 0, 0, 0, 1],
  [0, 0, 0, 1, 0, 0, 0],
  [0, 0, 0, 0, 1, 0, 0],
  [0, 0, 0, 0, 0, 1, 0],
  [0, 0, 0, 0, 0, 0, 1],
];
const H: Mat = [
  [1, 0, 0, 0, 0, 0, 0],
  [0, 1, 0, 0, 0, 0, 0],
  [0, 0, 1, 0, 0, 0, 0],
  [0, 0, 0, 1, 0, 0, 0],
];
const R: Mat = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 10, 0],
  [0, 0, 0, 10],
];
const Q: Mat = eye(7).map((row, i) => row.map((v) => (i >= 4 ? v * 0.01 : v) * (i === 6 ? 0.01 : 1)));

function toZ(b: Box): Mat {
  return [[b.left + b.width / 2], [b.top + b.height / 2], [b.width * b.height], [b.width / b.height]];
}

function toBox(x: Mat): Box {
  const s = (x[2] as Vec)[0] as number;
  const r = (x[3] as Vec)[0] as number;
  const w = Math.sqrt(s * r);
  const h = s / w;
  return { left: ((x[0] as Vec)[0] as number) - w / 2, top: ((x[1] as Vec)[0] as number) - h / 2, width: w, height: h };
}

class KalmanBoxTracker {
  x: Mat;
  P: Mat;
  timeSinceUpdate = 0;
  hitStreak = 0;
  constructor(
    box: Box,
    readonly id: number,
  ) {
    this.x = [...toZ(box), [0], [0], [0]];
    this.P = eye(7).map((row, i) => row.map((v) => v * (i >= 4 ? 1000 : 1) * 10));
  }
  predict(): Box {
    const x = this.x;
    if (((x[6] as Vec)[0] as number) + ((x[2] as Vec)[0] as number) <= 0) (x[6] as Vec)[0] = 0;
    this.x = mul(F, this.x);
    this.P = add(mul(mul(F, this.P), transpose(F)), Q);
    if (this.timeSinceUpdate > 0) this.hitStreak = 0;
    this.timeSinceUpdate++;
    return toBox(this.x);
  }
  update(box: Box): void {
    this.timeSinceUpdate = 0;
    this.hitStreak++;
    const y = sub(toZ(box), mul(H, this.x));
    const Ht = transpose(H);
    const S = add(mul(mul(H, this.P), Ht), R);
    const K = mul(mul(this.P, Ht), inverse(S));
    this.x = add(this.x, mul(K, y));
    const IKH = sub(eye(7), mul(K, H));
    this.P = add(mul(mul(IKH, this.P), transpose(IKH)), mul(mul(K, R), transpose(K)));
  }
  get box(): Box {
    return toBox(this.x);
  }
}

/**
 * Runs SORT over `frames` (every frame, including empty ones, in order) and returns the output boxes of each
 * frame, with track ids from 1.
 */
export function sortTrack(frames: readonly (readonly Box[])[], options: SortOptions = SORT_DEFAULTS): SortOutput[][] {
  const { maxAge, minHits, iouThreshold } = options;
  let trackers: KalmanBoxTracker[] = [];
  let nextId = 1;
  const out: SortOutput[][] = [];
  let frameCount = 0;
  for (const dets of frames) {
    frameCount++;
    const predicted = trackers.map((t) => t.predict());
    const keep = predicted.map((b) => Number.isFinite(b.left + b.top + b.width + b.height));
    trackers = trackers.filter((_, i) => keep[i]);
    const boxes = predicted.filter((_, i) => keep[i]);
    const matchedDet = new Array<boolean>(dets.length).fill(false);
    if (dets.length > 0 && boxes.length > 0) {
      const m = dets.map((d) => boxes.map((b) => iou(d, b)));
      const pairs: [number, number][] = [];
      const above = m.map((row) => row.map((v) => v > iouThreshold));
      const rowMax = Math.max(...above.map((row) => row.filter(Boolean).length));
      const colMax = Math.max(...boxes.map((_, j) => above.filter((row) => row[j]).length));
      if (rowMax === 1 && colMax === 1) {
        above.forEach((row, i) => row.forEach((v, j) => v && pairs.push([i, j])));
      } else {
        const { rows, cols } = linearSumAssignment(m.map((row) => row.map((v) => -v)));
        rows.forEach((i, k) => pairs.push([i, cols[k] as number]));
      }
      for (const [i, j] of pairs) {
        if (((m[i] as number[])[j] as number) < iouThreshold) continue;
        (trackers[j] as KalmanBoxTracker).update(dets[i] as Box);
        matchedDet[i] = true;
      }
    }
    dets.forEach((d, i) => {
      if (!matchedDet[i]) trackers.push(new KalmanBoxTracker(d, nextId++));
    });
    const frameOut: SortOutput[] = [];
    for (let i = trackers.length - 1; i >= 0; i--) {
      const t = trackers[i] as KalmanBoxTracker;
      if (t.timeSinceUpdate < 1 && (t.hitStreak >= minHits || frameCount <= minHits)) frameOut.push({ id: t.id, box: t.box });
      if (t.timeSinceUpdate > maxAge) trackers.splice(i, 1);
    }
    out.push(frameOut);
  }
  return out;
}

/**
 * MOT15 adapter for the tracker benchmark: loads `det.txt` / `gt.txt`, keeps every `stride`-th frame (of both,
 * renumbered 1, 2, …), converts pixel detections to Rekognition-style `FaceDetection`s (ratio boxes,
 * `Timestamp` from the frame rate, `Confidence` in 0–100) and tracker labels back to MOT rows.
 */
import { readFileSync } from 'node:fs';
import { parseMot } from '../../src/metrics/parseMot.js';
import type { MotRow } from '../../src/metrics/MotRow.js';
import type { Box } from '../../src/core/geometry.js';
import type { FaceDetection } from '../../src/types.js';

/** Where the fixtures live (in the repository; source and licence in its README). */
export const MOT15_DIR = new URL('../../test/fixtures/mot15-tud/', import.meta.url);

/** A loaded sequence at some stride. */
export interface MotSequence {
  readonly name: string;
  /** Frames after subsampling. */
  readonly frames: number;
  readonly gt: MotRow[];
  readonly det: MotRow[];
  readonly width: number;
  readonly height: number;
  /** Milliseconds between two kept frames. */
  readonly frameMs: number;
}

/** TUD sequences: 640×480 at 25 fps. */
export const TUD_SEQUENCES = ['TUD-Campus', 'TUD-Stadtmitte'] as const;

/** Keeps frames 1, 1+stride, 1+2·stride, … and renumbers them 1, 2, 3, … */
export function strideRows(rows: readonly MotRow[], stride: number): MotRow[] {
  return rows
    .filter((r) => (r.frame - 1) % stride === 0)
    .map((r) => ({ ...r, frame: (r.frame - 1) / stride + 1 }));
}

/** Loads a TUD sequence at `stride`. */
export function loadTud(name: string, stride: number): MotSequence {
  const read = (file: string) => parseMot(readFileSync(new URL(`${name}/${file}`, MOT15_DIR), 'utf8'));
  const gt = strideRows(read('gt.txt'), stride);
  const det = strideRows(read('det.txt'), stride);
  const frames = Math.max(...gt.map((r) => r.frame), ...det.map((r) => r.frame));
  return { name, frames, gt, det, width: 640, height: 480, frameMs: 40 * stride };
}

/** The detections of a sequence as Rekognition-like `FaceDetection`s, in frame order. */
export function detectionsOf(seq: MotSequence): FaceDetection[] {
  return [...seq.det]
    .sort((a, b) => a.frame - b.frame)
    .map((r) => ({
      Timestamp: (r.frame - 1) * seq.frameMs,
      Face: {
        BoundingBox: { Width: r.width / seq.width, Height: r.height / seq.height, Left: r.left / seq.width, Top: r.top / seq.height },
        Confidence: r.conf * 100,
      },
    }));
}

/** Per-frame pixel boxes of the detections (every frame, empty ones included) for frame-based baselines. */
export function framesOf(seq: MotSequence): Box[][] {
  const frames: Box[][] = Array.from({ length: seq.frames }, () => []);
  for (const r of seq.det) frames[r.frame - 1]?.push({ left: r.left, top: r.top, width: r.width, height: r.height });
  return frames;
}

/** MOT rows (pixels) of labelled detections; unlabelled ones are left out. */
export function rowsOfLabels(seq: MotSequence, labelled: readonly (FaceDetection & { TrackId: number | null })[]): MotRow[] {
  const rows: MotRow[] = [];
  for (const d of labelled) {
    if (d.TrackId === null) continue;
    const b = d.Face?.BoundingBox;
    rows.push({
      frame: Math.round((d.Timestamp as number) / seq.frameMs) + 1,
      id: d.TrackId,
      left: (b?.Left as number) * seq.width,
      top: (b?.Top as number) * seq.height,
      width: (b?.Width as number) * seq.width,
      height: (b?.Height as number) * seq.height,
      conf: 1,
    });
  }
  return rows;
}

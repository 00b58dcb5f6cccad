/**
 * MOT Challenge text export of a synthetic video's ground truth, for scoring trackers (TrackEval,
 * py-motmetrics, our `evaluateMot`): one `frame,id,left,top,width,height,conf,-1,-1,-1` row per line, boxes
 * in pixels, frame = sample index + 1.
 *
 * @module
 */
import type { SyntheticVideo } from './syntheticVideo.js';

/** Options of {@link motExport}. */
export interface MotExportOptions {
  /**
   * `truth`: every face truly present (noise-free boxes; missed and occluded faces included, look-aways and
   * false positives not) — the ground truth to score a tracker against. The conf column is 1, or 0
   * ("zero-marked", ignored by MOTChallenge evaluation and `evaluateMot`) for faces more than half hidden
   * by a nearer one, which no detector reports.
   * `detections`: every reported detection (jittered box) labelled with its true person, conf =
   * `Confidence / 100`, false positives left out — an oracle tracker's output.
   * @default 'truth'
   */
  readonly kind?: 'truth' | 'detections';
}

/**
 * The MOT text of `video` (lines end with `\n`). Holds every row in memory: see {@link motLines} for long
 * videos.
 *
 * @example
 * ```ts
 * import { motExport, syntheticVideo } from 'rekognition-face-stream/emulator';
 *
 * const video = syntheticVideo({ seed: 1, preset: 'walkers', durationMs: 60_000 });
 * const gt = motExport(video); // score a tracker's MOT output against it with evaluateMot
 * const oracle = motExport(video, { kind: 'detections' });
 * console.log(gt.split('\n')[0], oracle.length);
 * ```
 */
export function motExport(video: SyntheticVideo, options: MotExportOptions = {}): string {
  let text = '';
  for (const line of motLines(video, options)) text += `${line}\n`;
  return text;
}

/**
 * The MOT rows of `video`, one line (without `\n`) at a time, generated lazily.
 *
 * @example
 * ```ts
 * import { motLines, syntheticVideo } from 'rekognition-face-stream/emulator';
 *
 * let rows = 0;
 * for (const _line of motLines(syntheticVideo({ seed: 1, preset: 'meeting', durationMs: 3_600_000 }))) rows++;
 * console.log(rows);
 * ```
 */
export function* motLines(video: SyntheticVideo, options: MotExportOptions = {}): Iterable<string> {
  const width = video.metadata.FrameWidth!;
  const height = video.metadata.FrameHeight!;
  const row = (frame: number, id: number, l: number, t: number, w: number, h: number, conf: string) =>
    `${frame},${id},${px(l * width)},${px(t * height)},${px(w * width)},${px(h * height)},${conf},-1,-1,-1`;
  if ((options.kind ?? 'truth') === 'truth') {
    for (const f of video.truth()) {
      yield row(f.sample + 1, f.personId, f.left, f.top, f.width, f.height, f.visibility < 0.5 ? '0' : '1');
    }
    return;
  }
  for (const f of video.rawDetections()) {
    if (f.personId === null) continue;
    const frame = Math.round(f.timestamp / video.samplePeriodMs) + 1;
    yield row(frame, f.personId, f.left, f.top, f.width, f.height, (f.confidence / 100).toFixed(4));
  }
}

function px(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}

/**
 * Builds a {@link ReportModel} in one pass: detections one at a time (`add`, O(1) each), track summaries as
 * the tracker closes them (`addTrack`), then `build` with what is known of the job. Pure: no I/O, no clock.
 *
 * @module
 */
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectNumber } from '../internal/validate.js';
import type { MotMetrics } from '../metrics/MotMetrics.js';
import type { Track } from '../tracks/Track.js';
import type { FaceDetection, VideoMetadata } from '../types.js';
import type { EmotionTimeline, Histogram, ReportModel, ReportTrack } from './ReportModel.js';

/** The emotion types of Rekognition, in the order the report draws them. */
export const EMOTION_TYPES = ['HAPPY', 'CALM', 'SAD', 'ANGRY', 'CONFUSED', 'DISGUSTED', 'SURPRISED', 'FEAR', 'UNKNOWN'] as const;

/** Options of {@link ReportBuilder}. */
export interface ReportBuilderOptions {
  /**
   * A gap longer than this between two detections of a track starts a new span on screen (the swimlanes show
   * it as a gap), ms.
   * @default 1000
   */
  readonly gapMs?: number;
  /**
   * Most spans drawn per track: beyond it only the longest gaps split the track (keeps a 6-hour report small).
   * @default 256
   */
  readonly maxSegmentsPerTrack?: number;
  /**
   * Most emotion-timeline bins; the bin width is the smallest whole number of seconds that fits.
   * @default 240
   */
  readonly maxEmotionBins?: number;
}

/** What {@link ReportBuilder.build} needs to know besides the detections. */
export interface ReportJobInfo {
  /** The job metadata of the stream (`stream.job`): JobId, JobStatus, JobTag, VideoMetadata, Video. */
  readonly job?: {
    readonly JobId?: string | undefined;
    readonly JobStatus?: string | undefined;
    readonly JobTag?: string | undefined;
    readonly VideoMetadata?: VideoMetadata | undefined;
    readonly Video?: { readonly S3Object?: { readonly Bucket?: string | undefined; readonly Name?: string | undefined } | undefined } | undefined;
  };
  /** What reading the job cost (`stream.stats`). */
  readonly stats?: { readonly pagesFetched: number; readonly requests: number };
  /** MOT metrics of the tracks against a ground truth. */
  readonly metrics?: MotMetrics;
  /** Report title. @default the video's object name, else the JobId, else `"face-stream report"` */
  readonly title?: string;
}

const HEATMAP_COLUMNS = 32;
const HEATMAP_ROWS = 18;
/** The longest timeline the report accepts (Rekognition Video takes videos of up to 6 hours). */
const MAX_SECONDS = 7 * 24 * 3600;
const MIN_FACE_PX = 40;

/** A histogram under construction. */
class Bins {
  readonly counts: number[];
  constructor(
    readonly label: string,
    readonly min: number,
    readonly width: number,
    bins: number,
  ) {
    this.counts = new Array<number>(bins).fill(0);
  }

  add(value: unknown): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    const i = Math.min(this.counts.length - 1, Math.max(0, Math.floor((value - this.min) / this.width)));
    this.counts[i]!++;
  }

  histogram(): Histogram {
    return { label: this.label, min: this.min, width: this.width, counts: [...this.counts] };
  }
}

/**
 * Accumulates detections and tracks into a report model.
 *
 * @example
 * ```ts
 * import { ReportBuilder, renderReportHtml } from 'rekognition-face-stream';
 *
 * const builder = new ReportBuilder();
 * builder.add({ Timestamp: 0, Face: { BoundingBox: { Left: 0.4, Top: 0.3, Width: 0.1, Height: 0.2 }, Confidence: 99 } });
 * const html = renderReportHtml(builder.build({ title: 'one face' }));
 * console.log(html.length > 0);
 * ```
 */
export class ReportBuilder {
  private readonly gapMs: number;
  private readonly maxSegments: number;
  private readonly maxEmotionBins: number;
  private readonly counts: number[] = [];
  private readonly emotionsPerSecond: number[][] = [];
  private readonly tracks: Track[] = [];
  private readonly heatmap = new Array<number>(HEATMAP_COLUMNS * HEATMAP_ROWS).fill(0);
  private readonly heights = new Bins('box height (share of frame height)', 0, 0.01, 100);
  private readonly sharpness = new Bins('sharpness (Quality)', 0, 5, 20);
  private readonly brightness = new Bins('brightness (Quality)', 0, 5, 20);
  private readonly yaw = new Bins('yaw (°)', -90, 5, 36);
  private readonly pitch = new Bins('pitch (°)', -90, 5, 36);
  private readonly roll = new Bins('roll (°)', -180, 10, 36);
  private detections = 0;
  private lastTimestamp = 0;
  private all = false;

  constructor(options: ReportBuilderOptions = {}) {
    this.gapMs = expectNumber('gapMs', options.gapMs ?? 1000, 1);
    this.maxSegments = expectNumber('maxSegmentsPerTrack', options.maxSegmentsPerTrack ?? 256, 1);
    this.maxEmotionBins = expectNumber('maxEmotionBins', options.maxEmotionBins ?? 240, 1);
  }

  /** Counts one detection (any order; the stream's order is time order). */
  add(detection: FaceDetection): void {
    const t = detection.Timestamp;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t >= MAX_SECONDS * 1000) {
      throw new InvalidParameterError('detection.Timestamp', `a number of ms in [0, ${MAX_SECONDS * 1000})`, t);
    }
    const second = Math.floor(t / 1000);
    while (this.counts.length <= second) this.counts.push(0);
    this.counts[second]!++;
    this.detections++;
    if (t > this.lastTimestamp) this.lastTimestamp = t;
    const face = detection.Face;
    if (!face) return;
    const box = face.BoundingBox;
    if (box && typeof box.Left === 'number' && typeof box.Top === 'number' && typeof box.Width === 'number' && typeof box.Height === 'number') {
      const cx = Math.min(HEATMAP_COLUMNS - 1, Math.max(0, Math.floor((box.Left + box.Width / 2) * HEATMAP_COLUMNS)));
      const cy = Math.min(HEATMAP_ROWS - 1, Math.max(0, Math.floor((box.Top + box.Height / 2) * HEATMAP_ROWS)));
      if (Number.isFinite(cx) && Number.isFinite(cy)) this.heatmap[cy * HEATMAP_COLUMNS + cx]!++;
      this.heights.add(box.Height);
    }
    this.sharpness.add(face.Quality?.Sharpness);
    this.brightness.add(face.Quality?.Brightness);
    this.yaw.add(face.Pose?.Yaw);
    this.pitch.add(face.Pose?.Pitch);
    this.roll.add(face.Pose?.Roll);
    if (face.Emotions || face.AgeRange || face.Gender) this.all = true;
    const emotion = strongestEmotion(face.Emotions);
    if (emotion >= 0) {
      while (this.emotionsPerSecond.length <= second) this.emotionsPerSecond.push([]);
      const row = this.emotionsPerSecond[second]!;
      row[emotion] = (row[emotion] ?? 0) + 1;
    }
  }

  /** Adds a closed track summary (from `faceTracks`; its `path` is enough, `detections` are not needed). */
  addTrack(track: Track): void {
    this.tracks.push(track);
  }

  /** The report model. The builder can go on counting afterwards. */
  build(info: ReportJobInfo = {}): ReportModel {
    const meta = info.job?.VideoMetadata;
    const s3 = info.job?.Video?.S3Object;
    const durationMs = positive(meta?.DurationMillis);
    const extentMs = Math.max(durationMs ?? 0, this.lastTimestamp + 1, 1000);
    const seconds = Math.ceil(extentMs / 1000);
    const counts = padded(this.counts, seconds);
    const trackSeconds = new Array<number>(seconds).fill(0);
    const sampleMs = this.samplePeriodMs();
    let tracked = 0;
    const tracks = [...this.tracks]
      .sort((a, b) => a.trackId - b.trackId)
      .map((track) => {
        tracked += track.detectionCount;
        let previous = -1;
        for (const point of track.path) {
          if (point.Interpolated) continue;
          const second = Math.floor(point.Timestamp / 1000);
          if (second !== previous && second < seconds) trackSeconds[second]!++;
          previous = second;
        }
        return this.reportTrack(track, sampleMs);
      });
    const frameHeight = positive(meta?.FrameHeight);
    const heights = this.heights.histogram();
    const histograms: Histogram[] = [
      frameHeight === undefined
        ? heights
        : {
            label: 'box height (px)',
            min: 0,
            width: frameHeight * heights.width,
            counts: heights.counts,
            marker: { value: MIN_FACE_PX, label: `${MIN_FACE_PX} px: smallest face Rekognition detects` },
          },
      this.sharpness.histogram(),
      this.brightness.histogram(),
      this.yaw.histogram(),
      this.pitch.histogram(),
      this.roll.histogram(),
    ];
    const notes: string[] = [];
    if (!this.all && this.detections > 0) {
      notes.push('The detections carry DEFAULT attributes: emotions, age, gender and eyewear need a job started with FaceAttributes: ALL.');
    }
    if (this.detections === 0) notes.push('The job has no face detections.');
    const video = definedOnly({
      bucket: s3?.Bucket,
      name: s3?.Name,
      durationMs,
      frameRate: positive(meta?.FrameRate),
      frameWidth: positive(meta?.FrameWidth),
      frameHeight,
      codec: meta?.Codec,
    });
    const job = definedOnly({ jobId: info.job?.JobId, status: info.job?.JobStatus, jobTag: info.job?.JobTag });
    return {
      title: info.title ?? s3?.Name ?? info.job?.JobId ?? 'face-stream report',
      video,
      job,
      ...(info.stats ? { source: { pages: info.stats.pagesFetched, requests: info.stats.requests } } : {}),
      attributes: this.all ? 'ALL' : 'DEFAULT',
      detections: this.detections,
      extentMs,
      gapMs: this.gapMs,
      perSecond: { counts, tracks: trackSeconds },
      tracks,
      untrackedDetections: Math.max(0, this.detections - tracked),
      ...(this.all ? { emotions: this.emotionTimeline(seconds) } : {}),
      heatmap: { columns: HEATMAP_COLUMNS, rows: HEATMAP_ROWS, counts: [...this.heatmap] },
      histograms,
      ...(info.metrics ? { metrics: info.metrics } : {}),
      notes,
    };
  }

  /** The usual time between two samples: the smallest gap between consecutive non-empty seconds' … (≤ gapMs). */
  private samplePeriodMs(): number {
    let best = this.gapMs;
    for (const track of this.tracks) {
      let previous: number | undefined;
      for (const point of track.path) {
        if (point.Interpolated) continue;
        if (previous !== undefined && point.Timestamp > previous && point.Timestamp - previous < best) best = point.Timestamp - previous;
        previous = point.Timestamp;
      }
    }
    return best;
  }

  private reportTrack(track: Track, sampleMs: number): ReportTrack {
    const times: number[] = [];
    for (const point of track.path) if (!point.Interpolated) times.push(point.Timestamp);
    if (times.length === 0) times.push(track.startTimestamp, track.endTimestamp);
    // Split at gaps longer than gapMs; keep only the longest maxSegments − 1 of them.
    let splits: number[] = [];
    for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > this.gapMs) splits.push(i);
    if (splits.length >= this.maxSegments) {
      splits = splits
        .sort((a, b) => times[b]! - times[b - 1]! - (times[a]! - times[a - 1]!) || a - b)
        .slice(0, this.maxSegments - 1)
        .sort((a, b) => a - b);
    }
    const segments: [number, number][] = [];
    let first = 0;
    for (const split of [...splits, times.length]) {
      segments.push([times[first]!, times[split - 1]!]);
      first = split;
    }
    let screenTimeMs = 0;
    for (const [start, end] of segments) screenTimeMs += end - start + sampleMs;
    const a = track.attributes;
    const eyewear: ReportTrack['eyewear'] =
      a.Sunglasses?.Value === true ? 'sunglasses' : a.Eyeglasses?.Value === true ? 'glasses' : a.Eyeglasses || a.Sunglasses ? 'none' : undefined;
    return {
      trackId: track.trackId,
      start: track.startTimestamp,
      end: track.endTimestamp,
      screenTimeMs,
      detections: track.detectionCount,
      meanConfidence: Math.round(track.meanConfidence * 100) / 100,
      segments,
      ...definedOnly({
        gender: a.Gender?.Value,
        age: a.AgeRange ? { low: a.AgeRange.Low, high: a.AgeRange.High } : undefined,
        emotion: track.emotions?.Dominant.Type,
        eyewear,
        smileShare: a.SmileShare,
      }),
    };
  }

  private emotionTimeline(seconds: number): EmotionTimeline {
    const binSeconds = Math.max(1, Math.ceil(seconds / this.maxEmotionBins));
    const bins = Math.ceil(seconds / binSeconds);
    const counts = Array.from({ length: bins }, () => new Array<number>(EMOTION_TYPES.length).fill(0));
    this.emotionsPerSecond.forEach((row, second) => {
      const bin = counts[Math.floor(second / binSeconds)];
      if (!bin) return;
      row.forEach((n, type) => {
        if (n) bin[type]! += n;
      });
    });
    return { binMs: binSeconds * 1000, types: [...EMOTION_TYPES], counts };
  }
}

/** Index in EMOTION_TYPES of the most confident emotion, or -1. */
function strongestEmotion(emotions: readonly { Type?: string | undefined; Confidence?: number | undefined }[] | undefined): number {
  if (!emotions) return -1;
  let best = -1;
  let confidence = -Infinity;
  for (const e of emotions) {
    if (typeof e.Confidence !== 'number' || e.Confidence <= confidence) continue;
    const index = (EMOTION_TYPES as readonly string[]).indexOf(e.Type ?? '');
    if (index < 0) continue;
    best = index;
    confidence = e.Confidence;
  }
  return best;
}

function padded(values: readonly number[], length: number): number[] {
  const out = values.slice(0, length);
  while (out.length < length) out.push(0);
  return out;
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A copy of `object` without its undefined members (the model is JSON, and exactOptionalPropertyTypes is on). */
function definedOnly<T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

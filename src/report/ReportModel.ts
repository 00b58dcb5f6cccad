/**
 * The data of a job report: everything the HTML report draws, computed in one pass over the detections and
 * the track summaries (see {@link ReportBuilder}). Plain JSON: it is embedded in the report as is.
 *
 * @module
 */
import type { MotMetrics } from '../metrics/MotMetrics.js';

/** A fixed-bin histogram: `counts[i]` counts values in `[min + i·width, min + (i+1)·width)`, clamped at the ends. */
export interface Histogram {
  /** What is counted, with its unit (`"box height (px)"`). */
  readonly label: string;
  /** Lower bound of the first bin. */
  readonly min: number;
  /** Width of every bin. */
  readonly width: number;
  /** Counts per bin (values below `min` count in the first bin, above the last bin in the last). */
  readonly counts: readonly number[];
  /** A value to mark on the axis (for example the 40-pixel minimum face height), if any. */
  readonly marker?: { readonly value: number; readonly label: string };
}

/** One track, as the report shows it. */
export interface ReportTrack {
  /** The `trackId` of the track summary. */
  readonly trackId: number;
  /** First detection, ms. */
  readonly start: number;
  /** Last detection, ms. */
  readonly end: number;
  /** Time on screen: the total length of `segments`, ms. */
  readonly screenTimeMs: number;
  /** Detections in the track. */
  readonly detections: number;
  /** Mean detection confidence (0–100). */
  readonly meanConfidence: number;
  /** Spans on screen `[start, end]` in ms: a gap longer than the report's `gapMs` starts a new span. */
  readonly segments: readonly (readonly [number, number])[];
  /** Gender vote, when the job had `FaceAttributes: ALL`. */
  readonly gender?: string;
  /** Age range vote. */
  readonly age?: { readonly low: number; readonly high: number };
  /** Dominant emotion. */
  readonly emotion?: string;
  /** `sunglasses`, `glasses` or `none`, from the votes. */
  readonly eyewear?: 'sunglasses' | 'glasses' | 'none';
  /** Share of the track's time smiling (0–1). */
  readonly smileShare?: number;
}

/** Counts of the strongest emotion of each detection, per time bin (only for `FaceAttributes: ALL` jobs). */
export interface EmotionTimeline {
  /** Bin width, ms. */
  readonly binMs: number;
  /** Emotion types, in a fixed order. */
  readonly types: readonly string[];
  /** `counts[bin][type]`: detections of bin `bin` whose strongest emotion is `types[type]`. */
  readonly counts: readonly (readonly number[])[];
}

/** Everything the report draws. */
export interface ReportModel {
  /** The report title (the video name or the job id). */
  readonly title: string;
  /** The video: S3 object and `VideoMetadata`, as far as they are known. */
  readonly video: {
    readonly bucket?: string;
    readonly name?: string;
    readonly durationMs?: number;
    readonly frameRate?: number;
    readonly frameWidth?: number;
    readonly frameHeight?: number;
    readonly codec?: string;
  };
  /** The job, when the detections came from one. */
  readonly job: { readonly jobId?: string; readonly status?: string; readonly jobTag?: string };
  /** What reading the job cost (absent for file input). */
  readonly source?: { readonly pages: number; readonly requests: number };
  /** `ALL` when the detections carried the full attributes (emotions, age, gender, …), else `DEFAULT`. */
  readonly attributes: 'DEFAULT' | 'ALL';
  /** Detections read. */
  readonly detections: number;
  /** Length of the time axis, ms: the video duration, or the last timestamp when it is longer or unknown. */
  readonly extentMs: number;
  /** The gap, ms, that splits a track's spans on screen. */
  readonly gapMs: number;
  /** Per second of video: detections, and distinct tracks with a detection in that second. */
  readonly perSecond: { readonly counts: readonly number[]; readonly tracks: readonly number[] };
  /** The tracks, by `trackId`. */
  readonly tracks: readonly ReportTrack[];
  /** Detections not in any reported track (too short or too unsure to confirm). */
  readonly untrackedDetections: number;
  /** The strongest emotion over time (ALL jobs only). */
  readonly emotions?: EmotionTimeline;
  /** Box centres on a `columns × rows` grid over the frame, row-major from the top left. */
  readonly heatmap: { readonly columns: number; readonly rows: number; readonly counts: readonly number[] };
  /** Box size, image quality and pose distributions. */
  readonly histograms: readonly Histogram[];
  /** MOT metrics against ground truth, when a ground truth was given. */
  readonly metrics?: MotMetrics;
  /** Things the reader should know (for example attributes missing from a DEFAULT job). */
  readonly notes: readonly string[];
}

/**
 * The data of a batch report: one row per video of a batch (its state and what its detections add up to) and
 * the full {@link ReportModel} of as many videos as the detail budget allows. Pure: no I/O, no clock.
 *
 * @module
 */
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectInteger } from '../internal/validate.js';
import type { ReportModel } from './ReportModel.js';

/**
 * A video's state in the batch: `done` (its detections file is complete), `failed` (the batch recorded a failure),
 * `incomplete` (started, not finished: still running, interrupted, or failed without a record).
 */
export type BatchVideoState = 'done' | 'failed' | 'incomplete';

/** One video of the batch overview. */
export interface BatchReportVideo {
  /** The video, `s3://bucket/key`. */
  readonly uri: string;
  readonly state: BatchVideoState;
  /** Why it failed (`failed` only). */
  readonly error?: string;
  /** Detections (0 unless `done`). */
  readonly detections: number;
  /** Tracks. */
  readonly tracks: number;
  /** Sum of the tracks' screen time (person-time on screen), ms. */
  readonly screenTimeMs: number;
  /** The video's duration when known (VideoMetadata), else the time span of its detections (at least 1 s), ms (0 without detections). */
  readonly durationMs: number;
  /** Whether `durationMs` is the video's duration (true) or only its last detection (false). */
  readonly durationKnown: boolean;
  /** Most detections in one second. */
  readonly peakPerSecond: number;
  /** Index into {@link BatchReportModel.details}, when the video's full report is included. */
  readonly detail?: number;
}

/** Everything the batch report draws. */
export interface BatchReportModel {
  readonly title: string;
  /** The videos, in the order added (the CLI adds them sorted by URI). */
  readonly videos: readonly BatchReportVideo[];
  /** Totals over the videos. */
  readonly totals: {
    readonly videos: number;
    readonly done: number;
    readonly failed: number;
    readonly incomplete: number;
    readonly detections: number;
    readonly tracks: number;
    readonly screenTimeMs: number;
    readonly durationMs: number;
  };
  /** Full reports of the videos whose `detail` points here. */
  readonly details: readonly ReportModel[];
  /** Done videos summarised only (beyond the detail budget). */
  readonly summarisedOnly: number;
}

/** Options of {@link BatchReportBuilder}. */
export interface BatchReportBuilderOptions {
  /**
   * Most videos with a full report (swimlanes, charts, track table); the others get their overview row only.
   * @default 50
   */
  readonly maxDetailedVideos?: number;
  /**
   * Most tracks over all full reports (the tracks are most of a report's size): a done video whose tracks would
   * exceed it gets its overview row only. Bounds the file for batches of busy videos.
   * @default 20000
   */
  readonly maxDetailTracks?: number;
}

/** One video for {@link BatchReportBuilder.add}. */
export interface BatchVideoInput {
  readonly uri: string;
  readonly state: BatchVideoState;
  /** Why it failed. */
  readonly error?: string;
  /** The video's report model (`done` videos). */
  readonly report?: ReportModel;
}

/**
 * Accumulates the videos of a batch into a {@link BatchReportModel}, keeping full reports within the detail
 * budget (first come, first served) and only a summary row of the rest, so memory and file size stay bounded.
 *
 * @example
 * ```ts
 * import { BatchReportBuilder, ReportBuilder, renderBatchReportHtml } from 'rekognition-face-stream';
 *
 * const batch = new BatchReportBuilder();
 * batch.add({ uri: 's3://b/a.mp4', state: 'done', report: new ReportBuilder().build({ title: 'a.mp4' }) });
 * batch.add({ uri: 's3://b/b.mp4', state: 'failed', error: 'the job FAILED' });
 * const html = renderBatchReportHtml(batch.build({ title: 'my batch' }));
 * console.log(html.length > 0);
 * ```
 */
export class BatchReportBuilder {
  private readonly maxDetailedVideos: number;
  private readonly maxDetailTracks: number;
  private readonly videos: BatchReportVideo[] = [];
  private readonly details: ReportModel[] = [];
  private detailTracks = 0;
  private summarisedOnly = 0;

  constructor(options: BatchReportBuilderOptions = {}) {
    this.maxDetailedVideos = expectInteger('maxDetailedVideos', options.maxDetailedVideos ?? 50, 0);
    this.maxDetailTracks = expectInteger('maxDetailTracks', options.maxDetailTracks ?? 20_000, 0);
  }

  /** Adds one video (its report model is kept only within the detail budget). */
  add(video: BatchVideoInput): void {
    if (typeof video.uri !== 'string' || video.uri === '') throw new InvalidParameterError('video.uri', 'an s3://bucket/key', video.uri);
    if (!['done', 'failed', 'incomplete'].includes(video.state)) throw new InvalidParameterError('video.state', 'done, failed or incomplete', video.state);
    const report = video.report;
    let detail: number | undefined;
    if (report) {
      const fits = this.details.length < this.maxDetailedVideos && this.detailTracks + report.tracks.length <= this.maxDetailTracks;
      if (fits) {
        detail = this.details.length;
        this.details.push(report);
        this.detailTracks += report.tracks.length;
      } else this.summarisedOnly++;
    }
    let screenTimeMs = 0;
    for (const track of report?.tracks ?? []) screenTimeMs += track.screenTimeMs;
    let peak = 0;
    for (const n of report?.perSecond.counts ?? []) if (n > peak) peak = n;
    const durationMs = report?.video.durationMs;
    this.videos.push({
      uri: video.uri,
      state: video.state,
      ...(video.error === undefined ? {} : { error: video.error }),
      detections: report?.detections ?? 0,
      tracks: report?.tracks.length ?? 0,
      screenTimeMs,
      durationMs: durationMs ?? (report && report.detections > 0 ? report.extentMs : 0),
      durationKnown: durationMs !== undefined,
      peakPerSecond: peak,
      ...(detail === undefined ? {} : { detail }),
    });
  }

  /** The batch report model. */
  build(info: { readonly title?: string } = {}): BatchReportModel {
    const count = (state: BatchVideoState) => this.videos.filter((v) => v.state === state).length;
    const sum = (key: 'detections' | 'tracks' | 'screenTimeMs' | 'durationMs') => this.videos.reduce((a, v) => a + v[key], 0);
    return {
      title: info.title ?? 'face-stream batch',
      videos: [...this.videos],
      totals: {
        videos: this.videos.length,
        done: count('done'),
        failed: count('failed'),
        incomplete: count('incomplete'),
        detections: sum('detections'),
        tracks: sum('tracks'),
        screenTimeMs: sum('screenTimeMs'),
        durationMs: sum('durationMs'),
      },
      details: [...this.details],
      summarisedOnly: this.summarisedOnly,
    };
  }
}


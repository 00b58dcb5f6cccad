/**
 * `faceReport`: the RxJS shell around {@link ReportBuilder}. One pass over the detections: each one is counted
 * and fed to a `faceTracks` tracker running alongside; when the source completes, the report model is emitted.
 *
 * @module
 */
import { Observable, Subject } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { expectFunction } from '../internal/validate.js';
import { faceTracks } from '../tracks/faceTracks.js';
import type { FaceTracksOptions } from '../tracks/faceTracks.js';
import type { FaceDetection } from '../types.js';
import { ReportBuilder } from './ReportBuilder.js';
import type { ReportBuilderOptions, ReportJobInfo } from './ReportBuilder.js';
import type { ReportModel } from './ReportModel.js';

/** Options of {@link faceReport}. */
export interface FaceReportOptions extends ReportBuilderOptions {
  /**
   * What is known of the job when the detections end (called once, at completion): typically
   * `() => ({ job: stream.job, stats: stream.stats })` for a `faceDetections` stream.
   * @default no job information
   */
  readonly info?: () => ReportJobInfo;
  /**
   * Options of the tracker that makes the report's tracks (`faceTracks`; `includeDetections` is always false).
   * @default the tracker's defaults
   */
  readonly tracker?: Omit<FaceTracksOptions, 'includeDetections' | 'liveUpdates'>;
}

/**
 * Turns a stream of detections (in time order) into one {@link ReportModel}, emitted when the source
 * completes; render it with `renderReportHtml`. Options are validated at once. Memory: the per-second
 * counts, the open tracks and the closed track summaries (their box paths), never the detections.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { lastValueFrom } from 'rxjs';
 * import { createRekognitionClient, faceDetections, faceReport, renderReportHtml } from 'rekognition-face-stream';
 *
 * const stream = faceDetections({ client: createRekognitionClient(), jobId: process.argv[2]! });
 * const model = await lastValueFrom(stream.pipe(faceReport({ info: () => ({ job: stream.job, stats: stream.stats }) })));
 * writeFileSync('report.html', renderReportHtml(model));
 * ```
 */
export function faceReport(options: FaceReportOptions = {}): OperatorFunction<FaceDetection, ReportModel> {
  const { info, tracker, ...builderOptions } = options;
  if (info !== undefined) expectFunction('info', info);
  new ReportBuilder(builderOptions); // validates
  const tracks = faceTracks({ ...tracker, includeDetections: false }); // validates
  return (source) =>
    new Observable<ReportModel>((subscriber) => {
      const builder = new ReportBuilder(builderOptions);
      const input = new Subject<FaceDetection>();
      const tracking = input.pipe(tracks).subscribe({
        next: (track) => builder.addTrack(track),
        error: (error: unknown) => subscriber.error(error),
      });
      const reading = source.subscribe({
        next: (detection) => {
          try {
            builder.add(detection);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          input.next(detection);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          input.complete();
          if (subscriber.closed) return;
          subscriber.next(builder.build(info?.() ?? {}));
          subscriber.complete();
        },
      });
      return () => {
        reading.unsubscribe();
        tracking.unsubscribe();
      };
    });
}

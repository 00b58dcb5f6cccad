import { Command } from 'commander';
import { from, lastValueFrom, type Observable, tap } from 'rxjs';
import { type FaceDetection, faceDetections, faceReport, InvalidParameterError, type ReportJobInfo, renderReportHtml } from '../../index.js';
import { addConnectionOptions, addInputOptions, type InputFlags, inputKind, openJobConnection, withFlagNames } from '../input.js';
import { openOutput } from '../output/openOutput.js';
import { addProgressOptions, progressEnabled, type ProgressFlags, streamProgress, type StreamProgressSource } from '../progress.js';
import { readDetectionsNdjson } from '../readNdjson.js';
import { VERSION } from '../version.js';

interface ReportFlags extends InputFlags, ProgressFlags {
  readonly out: string;
  readonly title?: string;
}

/**
 * `face-stream report (--job-id ID | --input FILE|-) --out report.html`: one self-contained HTML report of a
 * job (track swimlanes, faces per second, emotions, where faces appear, a sortable track table, data
 * download), computed in one pass over the detections (the tracker runs alongside). The file opens offline.
 * It is written to `<out>.partial` and renamed when complete, so a failed run leaves a previous report as it was.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { reportCommand } from './report.js';
 *
 * const program = new Command('face-stream').addCommand(reportCommand());
 * ```
 */
export function reportCommand(): Command {
  const command = addInputOptions(
    new Command('report').description('write a self-contained HTML report of a job: tracks, faces per second, attributes, where faces appear'),
  )
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--title <text>', 'report title (default: the video name, else the job id)');
  addConnectionOptions(command);
  addProgressOptions(command);
  return command.action(async (flags: ReportFlags) => {
    const kind = inputKind(flags);
    if (flags.out === '') throw new InvalidParameterError('--out', 'a file path', flags.out);
    if (flags.title !== undefined && !/^[^]{1,300}$/.test(flags.title)) {
      throw new InvalidParameterError('--title', 'a title of 1–300 characters', flags.title);
    }
    const title = flags.title;
    let detections: Observable<FaceDetection>;
    let info: () => ReportJobInfo = () => ({});
    let source: StreamProgressSource = {};
    let close = async (): Promise<void> => undefined;
    if (kind === 'job') {
      const connection = openJobConnection(flags);
      close = connection.close;
      const { client, policy } = connection;
      const jobId = flags.jobId!;
      const stream = withFlagNames(() => faceDetections({ client, jobId, policy }), { jobId });
      detections = stream;
      info = () => ({ ...(stream.job ? { job: stream.job } : {}), stats: stream.stats });
      source = { pages: () => stream.stats.pagesFetched, durationMs: () => stream.job?.VideoMetadata?.DurationMillis };
    } else {
      detections = from(readDetectionsNdjson(flags.input!));
    }
    const progress = streamProgress(progressEnabled(flags), 'report', source);
    let html: string | undefined;
    try {
      const model = await lastValueFrom(
        detections.pipe(
          tap((d) => progress.tick(d.Timestamp)),
          faceReport({ info: () => ({ ...info(), ...(title ? { title } : {}) }) }),
        ),
      );
      html = renderReportHtml(model, { generator: `face-stream ${VERSION} report` });
    } finally {
      progress.stop(html !== undefined);
      await close();
    }
    // Written to <out>.partial and renamed: a reader never sees half a report, a failure keeps the previous one.
    const output = openOutput(flags.out);
    try {
      await output.write(html);
      await output.close();
    } catch (error) {
      await output.abandon();
      throw error;
    }
    process.stderr.write(`report written to ${flags.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)\n`);
  });
}

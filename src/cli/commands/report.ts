import { rename, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { from, lastValueFrom, type Observable, tap } from 'rxjs';
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectString } from '../../internal/validate.js';
import type { ReportJobInfo } from '../../report/ReportBuilder.js';
import { faceReport } from '../../report/faceReport.js';
import type { ReportModel } from '../../report/ReportModel.js';
import { renderReportHtml } from '../../report/renderReportHtml.js';
import { faceDetections } from '../../source/faceDetections.js';
import { JOB_ID_PATTERN } from '../../source/sourceRuntime.js';
import type { FaceDetection } from '../../types.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from '../clientFromOptions.js';
import { addProgressOptions, progressEnabled, type ProgressFlags, streamProgress, type StreamProgressSource } from '../progress.js';
import { readDetectionsNdjson } from '../readNdjson.js';
import { addPolicyOptions, policyFromOptions } from '../policyOptions.js';
import { VERSION } from '../version.js';

interface ReportFlags extends ClientFlags, ProgressFlags {
  readonly jobId?: string;
  readonly input?: string;
  readonly out: string;
  readonly title?: string;
}

/**
 * `face-stream report (--job-id ID | --input FILE|-) --out report.html`: one self-contained HTML report of a
 * job (track swimlanes, faces per second, emotions, where faces appear, a sortable track table, data
 * download), computed in one pass over the detections (the tracker runs alongside). The file opens offline.
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
  const command = new Command('report')
    .description('write a self-contained HTML report of a job: tracks, faces per second, attributes, where faces appear')
    .option('--job-id <id>', 'read the detections of this Rekognition Video job')
    .option('--input <file>', 'read NDJSON FaceDetections from this file (- for stdin), e.g. `face-stream detections` output')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--title <text>', 'report title (default: the video name, else the job id)');
  addClientOptions(command);
  addPolicyOptions(command);
  addProgressOptions(command);
  return command.action(async (flags: ReportFlags) => {
    if ((flags.jobId === undefined) === (flags.input === undefined)) {
      throw new InvalidParameterError('--job-id/--input', 'exactly one of --job-id ID or --input FILE|-', 'both or neither');
    }
    const out = expectString('--out', flags.out, { minLength: 1 });
    const title = flags.title === undefined ? undefined : expectString('--title', flags.title, { minLength: 1, maxLength: 300 });
    let detections: Observable<FaceDetection>;
    let info: () => ReportJobInfo = () => ({});
    let source: StreamProgressSource = {};
    let close = async (): Promise<void> => undefined;
    if (flags.jobId !== undefined) {
      const jobId = expectString('--job-id', flags.jobId, { minLength: 1, maxLength: 64, pattern: JOB_ID_PATTERN });
      const client = clientFromOptions(flags);
      const policy = policyFromOptions(flags as unknown as Readonly<Record<string, unknown>>, client);
      const stream = faceDetections({ client, jobId, policy });
      detections = stream;
      info = () => ({ ...(stream.job ? { job: stream.job } : {}), stats: stream.stats });
      source = { pages: () => stream.stats.pagesFetched, durationMs: () => stream.job?.VideoMetadata?.DurationMillis };
      close = async () => {
        await policy.close();
        client.destroy();
      };
    } else {
      detections = from(readDetectionsNdjson(flags.input as string));
    }
    const progress = streamProgress(progressEnabled(flags), 'report', source);
    let model: ReportModel | undefined;
    try {
      model = await lastValueFrom(
        detections.pipe(
          tap((d) => progress.tick(d.Timestamp)),
          faceReport({ info: () => ({ ...info(), ...(title ? { title } : {}) }) }),
        ),
      );
    } finally {
      progress.stop(model !== undefined);
      await close();
    }
    const html = renderReportHtml(model, { generator: `face-stream ${VERSION} report` });
    // Written beside the target and renamed: a reader never sees half a report.
    const partial = `${out}.partial`;
    await writeFile(partial, html);
    await rename(partial, out);
    process.stderr.write(`report written to ${out} (${(html.length / 1024).toFixed(0)} KiB)\n`);
  });
}

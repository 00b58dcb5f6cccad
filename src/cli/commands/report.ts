import { Command } from 'commander';
import { from, lastValueFrom } from 'rxjs';
import { faceReport, InvalidParameterError, type ReportJobInfo, renderReportHtml } from '../../index.js';
import { addConnectionOptions, addInputOptions, type InputFlags, inputKind, openDetectionInput } from '../input.js';
import { openOutput } from '../output/openOutput.js';
import { VERSION } from '../version.js';

interface ReportFlags extends InputFlags {
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
  return command.action(async (flags: ReportFlags) => {
    inputKind(flags);
    if (flags.out === '') throw new InvalidParameterError('--out', 'a file path', flags.out);
    if (flags.title !== undefined && !/^[^]{1,300}$/.test(flags.title)) {
      throw new InvalidParameterError('--title', 'a title of 1–300 characters', flags.title);
    }
    const title = flags.title;
    const input = openDetectionInput(flags, 'report');
    let html: string;
    try {
      const info = (): ReportJobInfo => {
        const job = input.job();
        const stats = input.stats();
        return { ...(job ? { job } : {}), ...(stats ? { stats } : {}), ...(title ? { title } : {}) };
      };
      const model = await lastValueFrom(from(input.detections).pipe(faceReport({ info })));
      html = renderReportHtml(model, { generator: `face-stream ${VERSION} report` });
    } finally {
      await input.close();
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

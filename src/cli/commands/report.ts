import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import {
  evaluateMot,
  type FaceDetection,
  faceReport,
  InvalidParameterError,
  labelFaceTracks,
  type MotMetrics,
  type MotRow,
  parseMot,
  type ReportJobInfo,
  renderBatchReportHtml,
  renderReportHtml,
} from '../../index.js';
import { addConnectionOptions, addInputOptions, type InputFlags, inputKind, openDetectionInput } from '../input.js';
import { frameMsOf, frameSizeOf, motRowWriter } from '../motRows.js';
import { openOutput } from '../output/openOutput.js';
import { VERSION } from '../version.js';
import { readBatchReport } from './reportBatch.js';

interface ReportFlags extends InputFlags {
  readonly batch?: string;
  readonly out: string;
  readonly title?: string;
  readonly gt?: string;
  readonly frameSize?: string;
  readonly frameMs?: string;
}

/**
 * `face-stream report (--job-id ID | --input FILE|- | --batch DIR) --out report.html`: one self-contained HTML
 * report of a job (track swimlanes, faces per second, emotions, where faces appear, a sortable track table, data
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
    .option('--batch <dir>', 'report a `face-stream batch` output directory: an overview of every video and the full report of each (up to a budget)')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--title <text>', 'report title (default: the video name, else the job id)')
    .option('--gt <file>', 'ground truth (MOT file): adds a tracking-quality panel (HOTA, IDF1, MOTA, …) scoring the tracks')
    .option('--frame-size <WxH>', "with --gt: frame size in pixels (default: the job's VideoMetadata; required with --input)")
    .option('--frame-ms <ms>', "with --gt: ms per MOT frame (default: the job's 5-per-second sampling; required with --input)");
  addConnectionOptions(command);
  return command.action(async (flags: ReportFlags) => {
    if (flags.batch !== undefined && (flags.jobId !== undefined || flags.input !== undefined)) {
      throw new InvalidParameterError('--batch', 'given alone (not with --job-id or --input)', flags.batch);
    }
    if (flags.batch === undefined) inputKind(flags);
    if (flags.out === '') throw new InvalidParameterError('--out', 'a file path', flags.out);
    if (flags.title !== undefined && !/^[^]{1,300}$/.test(flags.title)) {
      throw new InvalidParameterError('--title', 'a title of 1–300 characters', flags.title);
    }
    if (flags.batch !== undefined) {
      const unsupported = flags.gt !== undefined ? '--gt' : flags.frameSize !== undefined ? '--frame-size' : flags.frameMs !== undefined ? '--frame-ms' : undefined;
      if (unsupported !== undefined) throw new InvalidParameterError(unsupported, 'not given with --batch (one ground truth scores one video)', 'given');
      const model = await readBatchReport(flags.batch, flags);
      await writeReport(flags.out, renderBatchReportHtml(model, { generator: `face-stream ${VERSION} report --batch` }));
      return;
    }
    const title = flags.title;
    const frameSize = flags.frameSize === undefined ? undefined : frameSizeOf(flags.frameSize);
    const frameMs = flags.frameMs === undefined ? undefined : frameMsOf(flags.frameMs);
    if (flags.gt !== undefined && flags.input !== undefined && (frameSize === undefined || frameMs === undefined)) {
      const missing = frameSize === undefined ? '--frame-size' : '--frame-ms';
      throw new InvalidParameterError(missing, 'given with --gt and --input (NDJSON detections carry no VideoMetadata)', undefined);
    }
    const gt = flags.gt === undefined ? undefined : await readGroundTruth(flags.gt);
    const input = openDetectionInput(flags, 'report');
    let html: string;
    try {
      let metrics: MotMetrics | undefined;
      const info = (): ReportJobInfo => {
        const job = input.job();
        const stats = input.stats();
        return { ...(job ? { job } : {}), ...(stats ? { stats } : {}), ...(title ? { title } : {}), ...(metrics ? { metrics } : {}) };
      };
      // One pass: every detection goes to the report (and its tracker) and, with --gt, to the labelling tracker
      // whose MOT rows are scored before the report is built.
      const toReport = new Subject<FaceDetection>();
      const model = lastValueFrom(toReport.pipe(faceReport({ info })));
      const toLabel = new Subject<FaceDetection>();
      const labelled = gt === undefined ? undefined : lastValueFrom(toLabel.pipe(labelFaceTracks(), toArray()));
      // Their errors surface when awaited below; until then they must not count as unhandled.
      model.catch(() => undefined);
      labelled?.catch(() => undefined);
      for await (const detection of input.detections) {
        toReport.next(detection);
        if (labelled) toLabel.next(detection);
      }
      if (gt !== undefined && labelled) {
        toLabel.complete();
        const toMot = motRowWriter(frameSize, frameMs, input.videoMetadata());
        const pred = parseMot((await labelled).map((d) => toMot(d) ?? '').join(''), { source: 'tracks' });
        metrics = evaluateMot(gt, pred);
      }
      toReport.complete();
      html = renderReportHtml(await model, { generator: `face-stream ${VERSION} report` });
    } finally {
      await input.close();
    }
    await writeReport(flags.out, html);
  });
}

/** Writes the report to `<out>.partial` and renames it: a reader never sees half a report, a failure keeps the previous one. */
async function writeReport(out: string, html: string): Promise<void> {
  const output = openOutput(out);
  try {
    await output.write(html);
    await output.close();
  } catch (error) {
    await output.abandon();
    throw error;
  }
  process.stderr.write(`report written to ${out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)\n`);
}

async function readGroundTruth(path: string): Promise<MotRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidParameterError(`--gt ${path}`, 'a readable MOT file', (error as NodeJS.ErrnoException).code ?? String(error), { cause: error });
  }
  return parseMot(text, { source: `--gt ${path}` });
}

import { Command, Option } from 'commander';
import { faceDetectionPages, InvalidParameterError, MAX_RESULTS_LIMIT } from '../../index.js';
import type { ClientFlags } from '../clientFromOptions.js';
import { addConnectionOptions, openJobConnection, withFlagNames } from '../input.js';
import { DETECTION_FORMATS, type DetectionFormat, detectionFormatter } from '../output/formatDetections.js';
import { openOutput } from '../output/openOutput.js';
import type { PolicyFlags } from '../policyOptions.js';
import { addProgressOptions, progressEnabled, type ProgressFlags, streamProgress } from '../progress.js';
import { type SourceFlags, sourceOptionsFromFlags } from '../sourceOptions.js';

interface DetectionsFlags extends ClientFlags, PolicyFlags, SourceFlags, ProgressFlags {
  readonly jobId: string;
  readonly maxResults?: string;
  readonly format: DetectionFormat;
  readonly output?: string;
  readonly fastPath: boolean;
}

/**
 * `face-stream detections --job-id ID`: writes every FaceDetection of a finished job, in service order, each
 * exactly once — NDJSON by default (each line the FaceDetection as the SDK returned it), or a JSON array, or
 * CSV — to stdout or `--output FILE` (written through `FILE.partial`, renamed over FILE only on success),
 * respecting the output's backpressure. Invalid `--job-id` or
 * `--max-results` is refused before any request.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { detectionsCommand } from './detections.js';
 *
 * const program = new Command('face-stream').addCommand(detectionsCommand());
 * ```
 */
export function detectionsCommand(): Command {
  const command = new Command('detections')
    .description('write every face detection of a Rekognition Video job (NDJSON by default) to stdout or a file')
    .requiredOption('--job-id <id>', 'the JobId returned by StartFaceDetection')
    .option('--max-results <n>', `detections per page (1..${MAX_RESULTS_LIMIT}; larger values are clamped)`)
    .addOption(new Option('--format <format>', 'output format').choices(DETECTION_FORMATS).default('ndjson'))
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--no-fast-path', "parse responses with the SDK's generic deserializer instead of the fast parser");
  addConnectionOptions(addProgressOptions(command));
  return command.action(async (flags: DetectionsFlags) => {
    const maxResults = flags.maxResults === undefined ? undefined : parseMaxResults(flags.maxResults);
    const source = sourceOptionsFromFlags(flags);
    // NDJSON and JSON copy the bytes of canonical detections instead of parsing and re-serialising them.
    const connection = openJobConnection(flags, { fastPath: flags.fastPath, rawFaces: flags.format !== 'csv' });
    try {
      const { client, policy } = connection;
      const jobId = flags.jobId;
      const pages = withFlagNames(
        () => faceDetectionPages({ client, jobId, policy, ...source, ...(maxResults === undefined ? {} : { maxResults }) }),
        { jobId, maxResults },
      );
      const formatter = detectionFormatter(flags.format);
      const output = openOutput(flags.output);
      const progress = streamProgress(progressEnabled(flags), 'detections', {
        pages: () => pages.stats.pagesFetched,
        durationMs: () => pages.job?.VideoMetadata?.DurationMillis,
      });
      let completed = false;
      try {
        await output.write(formatter.header);
        let written = 0;
        for await (const page of pages) {
          await output.write(formatter.page(page.Faces, written === 0));
          written += page.Faces.length;
          // Only the page's last detection is read (a byte-backed page is not parsed for the progress line).
          progress.advance(page.Faces.length, page.Faces.length > 0 ? page.Faces[page.Faces.length - 1]!.Timestamp : undefined);
          if (output.readerGone) break; // e.g. `| head`: stop fetching, quietly
        }
        await output.write(formatter.footer);
        await output.close();
        completed = true;
      } catch (error) {
        await output.abandon(); // a previous --output file is left as it was
        throw error;
      } finally {
        progress.stop(completed);
      }
    } finally {
      await connection.close();
    }
  });
}

function parseMaxResults(text: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidParameterError('--max-results', `an integer >= 1 (values above ${MAX_RESULTS_LIMIT} are clamped)`, text);
  }
  return value;
}

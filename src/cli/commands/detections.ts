import { Command, Option } from 'commander';
import { faceDetectionPages, InvalidParameterError, MAX_RESULTS_LIMIT } from '../../index.js';
import type { ClientFlags } from '../clientFromOptions.js';
import { addConnectionOptions, openJobConnection, withFlagNames } from '../input.js';
import { DETECTION_FORMATS, type DetectionFormat, detectionFormatter } from '../output/formatDetections.js';
import { openOutput } from '../output/openOutput.js';
import type { PolicyFlags } from '../policyOptions.js';
import { existsSync, statSync } from 'node:fs';
import { type OutputState, outputPaths, writeCheckpointedNdjson } from '../batch/checkpointedNdjson.js';
import { readJson, removeFiles } from '../batch/durableFile.js';
import type { Checkpoint, FaceDetectionPage, SourceStream } from '../../index.js';
import { addProgressOptions, progressEnabled, type ProgressFlags, streamProgress } from '../progress.js';
import { type SourceFlags, sourceOptionsFromFlags } from '../sourceOptions.js';

type FaceDetectionPageStream = SourceStream<FaceDetectionPage>;

interface DetectionsFlags extends ClientFlags, PolicyFlags, SourceFlags, ProgressFlags {
  readonly jobId: string;
  readonly maxResults?: string;
  readonly format: DetectionFormat;
  readonly output?: string;
  readonly fastPath: boolean;
  readonly resume?: boolean;
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
    .option('--no-fast-path', "parse responses with the SDK's generic deserializer instead of the fast parser")
    .option('--resume', 'continue FILE.partial of an interrupted run from its last checkpoint (needs --output FILE, ndjson)');
  addConnectionOptions(addProgressOptions(command));
  return command.action(async (flags: DetectionsFlags) => {
    const maxResults = flags.maxResults === undefined ? undefined : parseMaxResults(flags.maxResults);
    const source = sourceOptionsFromFlags(flags);
    // NDJSON and JSON copy the bytes of canonical detections instead of parsing and re-serialising them.
    const connection = openJobConnection(flags, { fastPath: flags.fastPath, rawFaces: flags.format !== 'csv' });
    try {
      const { client, policy } = connection;
      const jobId = flags.jobId;
      const regularFile =
        flags.output !== undefined && flags.output !== '-' && statSync(flags.output, { throwIfNoEntry: false })?.isFile() !== false;
      if (regularFile && flags.format === 'ndjson') {
        // A file of NDJSON is written checkpointed (FILE.partial + FILE.state, renamed to FILE when complete),
        // so an interrupted run can be continued exactly once with --resume. (A device or a pipe, such as
        // /dev/null, is written directly below: it cannot be replaced by a rename.)
        let current: FaceDetectionPageStream | undefined;
        const progress = streamProgress(progressEnabled(flags), 'detections', {
          pages: () => current?.stats.pagesFetched ?? 0,
          durationMs: () => current?.job?.VideoMetadata?.DurationMillis,
        });
        let completed = false;
        try {
          await writeResumable(flags.output!, jobId, flags.resume === true, async function* (checkpoint) {
            current = withFlagNames(
              () =>
                faceDetectionPages({
                  client,
                  jobId,
                  policy,
                  ...source,
                  ...(maxResults === undefined ? {} : { maxResults }),
                  ...(checkpoint === undefined ? {} : { startingToken: checkpoint.startingToken, startingCount: checkpoint.startingCount }),
                }),
              { jobId, maxResults },
            );
            for await (const page of current) {
              yield page;
              progress.advance(page.Faces.length, page.Faces.length > 0 ? page.Faces[page.Faces.length - 1]!.Timestamp : undefined);
            }
          });
          completed = true;
        } finally {
          progress.stop(completed);
        }
        return;
      }
      if (flags.resume) throw new InvalidParameterError('--resume', 'used with --output FILE and --format ndjson', flags.output);
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

async function writeResumable(
  file: string,
  jobId: string,
  resume: boolean,
  openPages: (checkpoint: Checkpoint | undefined) => AsyncIterable<FaceDetectionPage>,
): Promise<void> {
  const paths = outputPaths(file);
  const state = resume ? ((await readJson(paths.state)) as OutputState | undefined) : undefined;
  if (state !== undefined && state.jobId !== jobId) {
    throw new InvalidParameterError('--resume', `the job of ${paths.state} (${String(state.jobId)})`, jobId);
  }
  if (!resume) await removeFiles(paths.state);
  try {
    await writeCheckpointedNdjson({ paths, jobId, state, openPages });
  } catch (error) {
    // The same convention as every --output: the previous FILE is intact, the pages so far are in FILE.partial.
    if (existsSync(paths.partial)) process.stderr.write(`face-stream: partial output kept at ${paths.partial}\nface-stream: continue it with --resume\n`);
    throw error;
  }
}

function parseMaxResults(text: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidParameterError('--max-results', `an integer >= 1 (values above ${MAX_RESULTS_LIMIT} are clamped)`, text);
  }
  return value;
}

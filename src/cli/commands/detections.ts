import { Command, Option } from 'commander';
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectString } from '../../internal/validate.js';
import { faceDetectionPages } from '../../source/faceDetectionPages.js';
import { JOB_ID_PATTERN, MAX_RESULTS_LIMIT } from '../../source/sourceRuntime.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from '../clientFromOptions.js';
import { DETECTION_FORMATS, type DetectionFormat, detectionFormatter } from '../output/formatDetections.js';
import { openOutput } from '../output/openOutput.js';
import { addPolicyOptions, policyFromOptions } from '../policyOptions.js';
import { addSourceOptions, type SourceFlags, sourceOptionsFromFlags } from '../sourceOptions.js';

interface DetectionsFlags extends ClientFlags, SourceFlags {
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
  addSourceOptions(command);
  addClientOptions(command);
  addPolicyOptions(command);
  return command.action(async (flags: DetectionsFlags) => {
    const jobId = expectString('--job-id', flags.jobId, { minLength: 1, maxLength: 64, pattern: JOB_ID_PATTERN });
    const maxResults = flags.maxResults === undefined ? undefined : parseMaxResults(flags.maxResults);
    const source = sourceOptionsFromFlags(flags);
    // NDJSON and JSON copy the bytes of canonical detections instead of parsing and re-serialising them.
    const client = clientFromOptions(flags, { fastPath: flags.fastPath, rawFaces: flags.format !== 'csv' });
    const policy = policyFromOptions(flags as unknown as Readonly<Record<string, unknown>>, client);
    try {
      const pages = faceDetectionPages({ client, jobId, policy, ...source, ...(maxResults === undefined ? {} : { maxResults }) });
      const formatter = detectionFormatter(flags.format);
      const output = openOutput(flags.output);
      try {
        await output.write(formatter.header);
        let written = 0;
        for await (const page of pages) {
          await output.write(formatter.page(page.Faces, written === 0));
          written += page.Faces.length;
          if (output.readerGone) break; // e.g. `| head`: stop fetching, quietly
        }
        await output.write(formatter.footer);
        await output.close();
      } catch (error) {
        await output.abandon(); // a previous --output file is left as it was
        throw error;
      }
    } finally {
      client.destroy();
      await policy.close();
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

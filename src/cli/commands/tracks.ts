import { Command, Option } from 'commander';
import { Subject } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { DEFAULT_TRACKER_OPTIONS } from '../../core/tracking/TrackerOptions.js';
import type { TrackerOptions } from '../../core/tracking/TrackerOptions.js';
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectString } from '../../internal/validate.js';
import { faceDetections } from '../../source/faceDetections.js';
import { JOB_ID_PATTERN } from '../../source/sourceRuntime.js';
import { faceTracks } from '../../tracks/faceTracks.js';
import { labelFaceTracks } from '../../tracks/labelFaceTracks.js';
import type { FaceDetection } from '../../types.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from '../clientFromOptions.js';
import { openOutput } from '../output/openOutput.js';
import { readDetectionsNdjson } from '../readNdjson.js';
import { addPolicyOptions, policyFromOptions } from '../policyOptions.js';
import { addSourceOptions, type SourceFlags, sourceOptionsFromFlags } from '../sourceOptions.js';

interface TracksFlags extends ClientFlags, SourceFlags {
  readonly jobId?: string;
  readonly input?: string;
  readonly format: 'ndjson' | 'json';
  readonly output?: string;
  readonly label: boolean;
  readonly detections: boolean;
  readonly shotCuts: boolean;
  readonly faceCues: boolean;
  readonly [numeric: string]: unknown;
}

/** Numeric tracker options as CLI flags: [flag, option name, description]. */
const NUMERIC_FLAGS: readonly (readonly [string, keyof TrackerOptions, string])[] = [
  ['--max-gap-ms <ms>', 'maxGapMs', 'close a track after this long without a detection'],
  ['--min-hits <n>', 'minHits', 'detections needed to confirm (report) a track'],
  ['--confirm-within-ms <ms>', 'confirmWithinMs', 'a new track must reach --min-hits within this time'],
  ['--min-confidence <c>', 'minConfidence', 'ignore detections below this Confidence (0-100)'],
  ['--new-track-min-confidence <c>', 'newTrackMinConfidence', 'only detections at least this confident start tracks'],
  ['--max-centre-distance <d>', 'maxCentreDistance', 'largest prediction-to-detection distance, in face sizes'],
  ['--new-track-max-centre-distance <d>', 'newTrackMaxCentreDistance', 'the same for tracks seen once'],
  ['--centre-distance-growth-per-second <d>', 'centreDistanceGrowthPerSecond', 'allowance growth per second of gap'],
  ['--min-iou <iou>', 'minIou', 'pairs with at least this IoU are always admissible'],
  ['--max-scale-change <s>', 'maxScaleChange', 'largest |ln(size ratio)| between track and detection'],
  ['--max-cost <c>', 'maxCost', 'cost of leaving a track unmatched (higher links more)'],
  ['--max-extrapolation-ms <ms>', 'maxExtrapolationMs', 'longest velocity extrapolation into a gap'],
];

/**
 * `face-stream tracks (--job-id ID | --input FILE|-)`: links face detections into tracks. Writes one line per
 * closed track (its summary; `--format json` for one JSON array), or with `--label` every input detection
 * once, in input order, with an added `"TrackId"` (null for detections in no reported track) and otherwise
 * unchanged, so the tracker can be scored externally. Input: a job's detections (`--job-id`, through the
 * resilient page source) or NDJSON FaceDetections (`--input`, `-` for stdin; e.g. `face-stream detections`
 * output). Tracker options are validated before anything is read. Detections are pulled one at a time and
 * their output written (respecting the output's backpressure) before the next is read.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { tracksCommand } from './tracks.js';
 *
 * const program = new Command('face-stream').addCommand(tracksCommand());
 * ```
 */
export function tracksCommand(): Command {
  const command = new Command('tracks')
    .description('link face detections into tracks: one summary line per closed track, or --label every detection')
    .option('--job-id <id>', 'read the detections of this Rekognition Video job (StartFaceDetection JobId)')
    .option('--input <file>', 'read NDJSON FaceDetections from this file (- for stdin)')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'json']).default('ndjson'))
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--label', 'emit every input detection, in order, with an added "TrackId"', false)
    .option('--detections', 'include each track\'s detections in its summary (the box path is always there)', false)
    .option('--no-shot-cuts', 'do not close all tracks at detected shot cuts')
    .option('--no-face-cues', 'do not use Pose and stable attributes as tie-breakers');
  for (const [flag, name, description] of NUMERIC_FLAGS) {
    command.option(flag, `${description} (default ${DEFAULT_TRACKER_OPTIONS[name] as number})`);
  }
  addSourceOptions(command);
  addClientOptions(command);
  addPolicyOptions(command);
  return command.action(async (flags: TracksFlags) => {
    if ((flags.jobId === undefined) === (flags.input === undefined)) {
      throw new InvalidParameterError('--job-id/--input', 'exactly one of --job-id ID or --input FILE|-', 'both or neither');
    }
    const options = trackerOptionsOf(flags);
    // Validate eagerly, before anything is read or requested.
    const operator: OperatorFunction<FaceDetection, unknown> = flags.label
      ? labelFaceTracks(options)
      : faceTracks({ ...options, includeDetections: flags.detections });
    const output = openOutput(flags.output);
    const json = flags.format === 'json';
    let count = 0;
    const write = async (value: unknown): Promise<void> => {
      const text = JSON.stringify(value);
      await output.write(json ? `${count === 0 ? '[\n' : ',\n'}${text}` : `${text}\n`);
      count++;
    };
    let detections: AsyncIterable<FaceDetection>;
    let destroy = (): void => undefined;
    if (flags.jobId !== undefined) {
      const jobId = expectString('--job-id', flags.jobId, { minLength: 1, maxLength: 64, pattern: JOB_ID_PATTERN });
      const source = sourceOptionsFromFlags(flags);
      const client = clientFromOptions(flags);
      destroy = () => client.destroy();
      detections = faceDetections({ client, jobId, ...source, policy: policyFromOptions(flags as Readonly<Record<string, unknown>>, client) });
    } else {
      detections = readDetectionsNdjson(flags.input as string);
    }
    try {
      // Pull one detection at a time and write what it produced before pulling the next: the output's
      // backpressure reaches the input (file, stdin or the page source).
      const results: unknown[] = [];
      let failure: { readonly error: unknown } | undefined;
      const input = new Subject<FaceDetection>();
      input.pipe(operator).subscribe({ next: (value) => results.push(value), error: (error: unknown) => (failure = { error }) });
      const drain = async (): Promise<void> => {
        if (failure) throw failure.error;
        for (const value of results.splice(0)) await write(value);
      };
      for await (const detection of detections) {
        input.next(detection);
        await drain();
      }
      input.complete();
      await drain();
      if (json) await output.write(count === 0 ? '[]\n' : '\n]\n');
      await output.close();
    } finally {
      destroy();
    }
  });
}

function trackerOptionsOf(flags: TracksFlags): TrackerOptions {
  const options: Record<string, unknown> = { shotCuts: flags.shotCuts, useFaceCues: flags.faceCues };
  for (const [flag, name] of NUMERIC_FLAGS) {
    const text = flags[name];
    if (text === undefined) continue;
    const value = typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
    if (!Number.isFinite(value)) throw new InvalidParameterError(flag.split(' ')[0] as string, 'a number', text);
    options[name] = value;
  }
  return options as TrackerOptions;
}

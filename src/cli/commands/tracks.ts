import { Command, Option } from 'commander';
import type { OperatorFunction } from 'rxjs';
import {
  DEFAULT_TRACKER_OPTIONS,
  type FaceDetection,
  faceTracks,
  InvalidParameterError,
  labelFaceTracks,
  type TrackerOptions,
} from '../../index.js';
import { addConnectionOptions, addInputOptions, driveOperator, type InputFlags, openDetectionInput } from '../input.js';
import { openOutput } from '../output/openOutput.js';

interface TracksFlags extends InputFlags {
  readonly format: 'ndjson' | 'json';
  readonly output?: string;
  readonly label: boolean;
  readonly detections: boolean;
  readonly shotCuts: boolean;
  readonly faceCues: boolean;
}

/** The parsed flags: the named ones plus one string per numeric tracker flag given (`--max-gap-ms` → `maxGapMs`). */
type ParsedTracksFlags = TracksFlags & { readonly [K in NumericOption]?: string };

type NumericOption = (typeof NUMERIC_FLAGS)[number][1];

/** Numeric tracker options as CLI flags: [flag, option name, description]. */
const NUMERIC_FLAGS = [
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
] as const satisfies readonly (readonly [string, keyof TrackerOptions, string])[];

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
    .description('link face detections into tracks: one summary line per closed track, or --label every detection');
  addInputOptions(command)
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'json']).default('ndjson'))
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--label', 'emit every input detection, in order, with an added "TrackId"', false)
    .option('--detections', 'include each track\'s detections in its summary (the box path is always there)', false)
    .option('--no-shot-cuts', 'do not close all tracks at detected shot cuts')
    .option('--no-face-cues', 'do not use Pose and stable attributes as tie-breakers');
  for (const [flag, name, description] of NUMERIC_FLAGS) {
    command.option(flag, `${description} (default ${DEFAULT_TRACKER_OPTIONS[name] as number})`);
  }
  addConnectionOptions(command);
  return command.action(async (flags: ParsedTracksFlags) => {
    const options = trackerOptionsOf(flags);
    // Validate eagerly, before anything is read or requested.
    const operator: OperatorFunction<FaceDetection, unknown> = flags.label
      ? labelFaceTracks(options)
      : faceTracks({ ...options, includeDetections: flags.detections });
    const input = openDetectionInput(flags);
    try {
      const output = openOutput(flags.output);
      const json = flags.format === 'json';
      let count = 0;
      await driveOperator(input.detections, () => operator, async (values) => {
        for (const value of values) {
          const text = JSON.stringify(value);
          await output.write(json ? `${count === 0 ? '[\n' : ',\n'}${text}` : `${text}\n`);
          count++;
        }
      });
      if (json) await output.write(count === 0 ? '[]\n' : '\n]\n');
      await output.close();
    } finally {
      await input.close();
    }
  });
}

function trackerOptionsOf(flags: ParsedTracksFlags): TrackerOptions {
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

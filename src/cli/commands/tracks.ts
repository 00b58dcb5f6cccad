import { Command, Option } from 'commander';
import type { OperatorFunction } from 'rxjs';
import {
  DEFAULT_TRACKER_OPTIONS,
  type FaceDetection,
  faceTracks,
  InvalidParameterError,
  labelFaceTracks,
  type LabelledFaceDetection,
  type TrackerOptions,
  type VideoMetadata,
} from '../../index.js';
import { addConnectionOptions, addInputOptions, driveOperator, type InputFlags, inputKind, openDetectionInput } from '../input.js';
import { frameMsOf, frameSizeOf, motRowWriter } from '../motRows.js';
import { openOutput, type Output } from '../output/openOutput.js';

interface TracksFlags extends InputFlags {
  readonly format: 'ndjson' | 'json' | 'mot';
  readonly output?: string;
  readonly label: boolean;
  readonly detections: boolean;
  readonly path: boolean;
  readonly frameSize?: string;
  readonly frameMs?: string;
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
 * closed track (its summary, without the box path unless `--path`; `--format json` for one JSON array), or
 * with `--label` every input detection once, in input order, with an added `"TrackId"` (null for detections
 * in no reported track) and otherwise unchanged, or with `--format mot` one MOTChallenge row per tracked
 * detection (pixels; frame = round(Timestamp / frame ms) + 1), which `face-stream evaluate` scores. Input: a job's detections (`--job-id`, through the
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
    .addOption(
      new Option(
        '--format <format>',
        'ndjson or json: track summaries (or --label detections); mot: MOTChallenge rows of the tracked detections, for `face-stream evaluate`',
      )
        .choices(['ndjson', 'json', 'mot'])
        .default('ndjson'),
    )
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--label', 'emit every input detection, in order, with an added "TrackId"', false)
    .option('--detections', 'include each track\'s detections in its summary', false)
    .option('--path', 'include each track\'s smoothed box path in its summary (large: one point per detection)', false)
    .option('--frame-size <WxH>', '--format mot: frame size in pixels (default: the job\'s VideoMetadata; required with --input)')
    .option(
      '--frame-ms <ms>',
      '--format mot: ms per MOT frame (default: the 5-per-second sampling of the job\'s FrameRate, the numbering of `face-stream emulator --ground-truth-dir`; required with --input)',
    )
    .option('--no-shot-cuts', 'do not close all tracks at detected shot cuts')
    .option('--no-face-cues', 'do not use Pose and stable attributes as tie-breakers');
  for (const [flag, name, description] of NUMERIC_FLAGS) {
    command.option(flag, `${description} (default ${DEFAULT_TRACKER_OPTIONS[name] as number})`);
  }
  addConnectionOptions(command);
  return command.action(async (flags: ParsedTracksFlags) => {
    inputKind(flags);
    const options = trackerOptionsOf(flags);
    const mot = flags.format === 'mot';
    if (mot && flags.label) throw new InvalidParameterError('--label', 'used without --format mot (MOT rows are labelled)', true);
    const frameSize = flags.frameSize === undefined ? undefined : frameSizeOf(flags.frameSize);
    const frameMs = flags.frameMs === undefined ? undefined : frameMsOf(flags.frameMs);
    if (mot && flags.input !== undefined) {
      const why = 'given with --format mot and --input (NDJSON detections carry no VideoMetadata)';
      if (frameSize === undefined) throw new InvalidParameterError('--frame-size', `WIDTHxHEIGHT in pixels, ${why}`, undefined);
      if (frameMs === undefined) throw new InvalidParameterError('--frame-ms', `a number of ms > 0, ${why}`, undefined);
    }
    // Validate eagerly, before anything is read or requested.
    const operator: OperatorFunction<FaceDetection, unknown> =
      flags.label || mot ? labelFaceTracks(options) : faceTracks({ ...options, includeDetections: flags.detections });
    const input = openDetectionInput(flags, 'tracks');
    let output: Output | undefined;
    try {
      // Opened only now, after every argument was checked: an invalid one leaves no <output>.partial.
      const out = (output = openOutput(flags.output));
      const json = flags.format === 'json';
      let count = 0;
      let toMot: ((detection: LabelledFaceDetection<FaceDetection>) => string | undefined) | undefined;
      const write = async (value: unknown): Promise<void> => {
        if (mot) {
          toMot ??= motRowWriter(frameSize, frameMs, input.videoMetadata());
          const row = toMot(value as LabelledFaceDetection<FaceDetection>);
          if (row !== undefined) await out.write(row);
          return;
        }
        const text = JSON.stringify(flags.label || flags.path ? value : { ...(value as object), path: undefined });
        await out.write(json ? `${count === 0 ? '[\n' : ',\n'}${text}` : `${text}\n`);
        count++;
      };
      await driveOperator(input.detections, () => operator, async (values) => {
        for (const value of values) await write(value);
      });
      if (json) await out.write(count === 0 ? '[]\n' : '\n]\n');
      await out.close();
    } catch (error) {
      // Keeps <output>.partial (the previous --output file is left as it was) and releases stdout's listener.
      await output?.abandon();
      throw error;
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

import { Command, Option } from 'commander';
import type { OperatorFunction } from 'rxjs';
import {
  attributeShares,
  combineAggregates,
  countAggregate,
  distinctTracks,
  dominantEmotion,
  FACE_ATTRIBUTE_NAMES,
  type FaceDetection,
  FaceStreamError,
  type FixedWindowOptions,
  hoppingWindow,
  InvalidParameterError,
  meanAgeRange,
  meanConfidence,
  sessionWindow,
  tumblingWindow,
  type WindowAggregate,
  type WindowResult,
} from '../../index.js';
import { addConnectionOptions, addInputOptions, driveOperator, type InputFlags, inputKind, openDetectionInput } from '../input.js';
import { openOutput, type Output } from '../output/openOutput.js';

interface WindowsFlags extends InputFlags {
  readonly size?: string;
  readonly slide?: string;
  readonly gap?: string;
  readonly offset?: string;
  readonly aggregate: string;
  readonly perTrack: boolean;
  readonly maxOutOfOrderness?: string;
  readonly allowedLateness?: string;
  readonly emptyWindows: boolean;
  readonly durationMs?: string;
  readonly lateOutput?: string;
  readonly format: 'ndjson' | 'csv';
  readonly output?: string;
}

type Item = FaceDetection & { readonly TrackId?: string | number | null };

/** A named aggregation of `--aggregate`, with its CSV columns (paths into its value). */
interface NamedAggregation {
  readonly make: () => WindowAggregate<Item, any, unknown>;
  readonly columns: readonly string[];
  readonly description: string;
  /** The `FaceDetail` field it reads that only `FaceAttributes: 'ALL'` jobs return. */
  readonly needsAll?: keyof NonNullable<FaceDetection['Face']>;
}

const AGGREGATIONS: Readonly<Record<string, NamedAggregation>> = {
  count: { make: () => countAggregate, columns: [''], description: 'detections per window' },
  confidence: { make: meanConfidence, columns: [''], description: 'mean Face.Confidence' },
  emotion: { make: dominantEmotion, columns: ['type', 'share'], description: 'dominant emotion and its share', needsAll: 'Emotions' },
  attributes: {
    make: () => attributeShares(),
    columns: FACE_ATTRIBUTE_NAMES.flatMap((name) => (name === 'Gender' ? ['Gender.Female', 'Gender.Male'] : [name])),
    description: 'share of faces with each attribute, Smile … Gender',
    needsAll: 'Smile',
  },
  age: { make: meanAgeRange, columns: ['Low', 'High'], description: 'mean AgeRange Low and High', needsAll: 'AgeRange' },
  tracks: {
    make: () => distinctTracks<Item, string | number>({ trackId: (d) => d.TrackId }),
    columns: ['count', 'trackIds'],
    description: 'distinct TrackIds, for `face-stream tracks --label` output',
  },
};

/**
 * `face-stream windows (--job-id ID | --input FILE|-) (--size MS [--slide MS] | --gap MS)`: event-time windows
 * over a job's detections (or FaceDetection NDJSON, e.g. `face-stream detections` output), one line per window
 * firing with the `--aggregate` values (count, confidence, emotion, attributes, age, tracks), as NDJSON or CSV.
 * Tumbling windows with `--size`, hopping with `--size` and `--slide`, sessions with `--gap`. Flags are
 * validated before anything is read or requested. Late detections error the command unless `--late-output`
 * names a file for them.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { windowsCommand } from './windows.js';
 *
 * const program = new Command('face-stream').addCommand(windowsCommand());
 * ```
 */
export function windowsCommand(): Command {
  const command = new Command('windows')
    .description('event-time windows (tumbling, hopping, session) over face detections, with aggregations');
  addInputOptions(command)
    .option('--size <ms>', 'window length in ms of video time (tumbling; hopping with --slide)')
    .option('--slide <ms>', 'hopping windows: a window starts every this many ms (1..size)')
    .option('--gap <ms>', 'session windows: sessions end after this many ms without detections')
    .option('--offset <ms>', 'shift the window grid by this many ms (tumbling, hopping)')
    .option(
      '--aggregate <names>',
      `comma list of: ${Object.entries(AGGREGATIONS)
        .map(([name, a]) => `${name} = ${a.description}`)
        .join('; ')}`,
      'count',
    )
    .option('--per-track', 'one window sequence per TrackId (input from `face-stream tracks --label`)', false)
    .option('--max-out-of-orderness <ms>', 'accept detections this far out of time order (default 0: sorted input)')
    .option('--allowed-lateness <ms>', 'keep windows open this long after they fire; late detections re-fire them')
    .option('--empty-windows', 'also emit windows without detections (tumbling, hopping; unkeyed)', false)
    .option('--duration-ms <ms>', 'video length bounding --empty-windows (default: the job\'s VideoMetadata.DurationMillis)')
    .option('--late-output <file>', 'write detections too late for their windows to this NDJSON file (default: fail)')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .option('--output <file>', 'write to this file instead of stdout');
  addConnectionOptions(command);
  return command.action(async (flags: WindowsFlags) => {
    const plan = planOf(flags);
    plan.build(undefined, undefined); // validates every window option before anything is read or requested
    const input = openDetectionInput(flags, 'windows');
    try {
      const output = openOutput(flags.output);
      let late: Output | undefined;
      try {
        late = flags.lateOutput === undefined ? undefined : openOutput(flags.lateOutput);
      } catch (error) {
        await output.abandon(); // the previous --output file is left as it was
        throw error;
      }
      await run(input.detections, plan, output, late, () => input.videoMetadata()?.DurationMillis);
    } finally {
      await input.close();
    }
  });
}

/** The validated command: how to build the operator and format its results. */
interface Plan {
  /**
   * Builds the window operator: `jobDurationMillis` bounds empty windows when `--duration-ms` was not given;
   * `onLate` receives late items (without it they are an error).
   */
  readonly build: (
    jobDurationMillis: number | undefined,
    onLate: ((item: Item) => void) | undefined,
  ) => OperatorFunction<Item, WindowResult<unknown, unknown>>;
  readonly header: string;
  readonly format: (result: WindowResult<unknown, unknown>) => string;
  /**
   * Throws when an input item cannot give a meaningful result: attribute aggregations over a DEFAULT job
   * (no attributes: they would print `null`), `--per-track` over detections without a TrackId.
   */
  readonly check: (item: Item, index: number) => void;
}

function planOf(flags: WindowsFlags): Plan {
  inputKind(flags);
  if ((flags.size === undefined) === (flags.gap === undefined)) {
    throw new InvalidParameterError('--size/--gap', 'exactly one of --size MS [--slide MS] or --gap MS', 'both or neither');
  }
  if (flags.slide !== undefined && flags.size === undefined) {
    throw new InvalidParameterError('--slide', 'used with --size (hopping windows)', flags.slide);
  }
  const names = flags.aggregate.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !Object.hasOwn(AGGREGATIONS, name));
  if (unknown !== undefined || names.length === 0 || new Set(names).size !== names.length) {
    throw new InvalidParameterError('--aggregate', `distinct names from ${Object.keys(AGGREGATIONS).join(', ')}`, flags.aggregate);
  }
  const integer = (flag: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min) {
      throw new InvalidParameterError(flag, `an integer >= ${min === -Infinity ? '-∞' : min} (ms)`, text);
    }
    return value;
  };
  const size = integer('--size', flags.size, 1);
  const slide = integer('--slide', flags.slide, 1);
  const gap = integer('--gap', flags.gap, 1);
  const offset = integer('--offset', flags.offset, -Infinity);
  const maxOutOfOrderness = integer('--max-out-of-orderness', flags.maxOutOfOrderness, 0);
  const allowedLateness = integer('--allowed-lateness', flags.allowedLateness, 0);
  const durationMs = integer('--duration-ms', flags.durationMs, 0);
  if (gap !== undefined && (offset !== undefined || flags.emptyWindows)) {
    throw new InvalidParameterError('--gap', 'used without --offset and --empty-windows (session windows)', flags.gap);
  }
  const parts = Object.fromEntries(names.map((name) => [name, AGGREGATIONS[name]!.make()]));
  const aggregate = combineAggregates(parts) as WindowAggregate<Item, unknown, unknown>;
  const build: Plan['build'] = (jobDurationMillis, onLate) => {
    const durationMillis = durationMs ?? jobDurationMillis;
    const options: FixedWindowOptions<Item, unknown, unknown> = {
      aggregate,
      ...(flags.perTrack ? { key: (d: Item) => d.TrackId ?? null } : {}),
      ...(maxOutOfOrderness === undefined ? {} : { maxOutOfOrderness }),
      ...(allowedLateness === undefined ? {} : { allowedLateness }),
      ...(onLate === undefined ? {} : { onLate: (late: { readonly item: Item }) => onLate(late.item) }),
      ...(offset === undefined ? {} : { offset }),
      ...(flags.emptyWindows ? { emptyWindows: true } : {}),
      ...(flags.emptyWindows && durationMillis !== undefined ? { durationMillis } : {}),
    };
    if (gap !== undefined) return sessionWindow<Item, unknown, unknown>(gap, options);
    if (slide !== undefined) return hoppingWindow<Item, unknown, unknown>(size!, slide, options);
    return tumblingWindow<Item, unknown, unknown>(size!, options);
  };
  const columns = names.flatMap((name) => AGGREGATIONS[name]!.columns.map((path) => (path ? `${name}.${path}` : name)));
  const head = ['start', 'end', ...(flags.perTrack ? ['trackId'] : []), 'timing', 'pane', 'isLast'];
  const needsAll = names.flatMap((name) => {
    const field = AGGREGATIONS[name]!.needsAll;
    return field === undefined ? [] : [[name, field] as const];
  });
  let attributesChecked = needsAll.length === 0;
  const check: Plan['check'] = (item, index) => {
    if (flags.perTrack && !Object.hasOwn(item, 'TrackId')) {
      throw new FaceStreamError(
        'ERR_INVALID_INPUT',
        `--per-track needs detections labelled with a TrackId (the output of \`face-stream tracks --label\`); detection #${index} has none`,
        { context: { index } },
      );
    }
    if (attributesChecked || item.Face === undefined) return;
    attributesChecked = true; // the first face decides: a job returns attributes for every face or for none
    const missing = needsAll.find(([, field]) => item.Face?.[field] === undefined);
    if (missing) {
      throw new FaceStreamError(
        'ERR_INVALID_INPUT',
        `--aggregate ${missing[0]} needs face attributes the detections do not carry (no ${missing[1]}): ` +
          `start the job with FaceAttributes: 'ALL' (a DEFAULT job returns only BoundingBox, Confidence, Landmarks, Pose and Quality)`,
        { context: { aggregate: missing[0], field: missing[1] } },
      );
    }
  };
  return {
    build,
    check,
    header: flags.format === 'csv' ? `${[...head, ...columns].join(',')}\n` : '',
    format:
      flags.format === 'csv'
        ? (r) => {
            const cells: unknown[] = [r.start, r.end, ...(flags.perTrack ? [r.key] : []), r.pane.timing, r.pane.index, r.pane.isLast];
            for (const column of columns) cells.push(valueAt(r.value, column));
            return `${cells.map(csvCell).join(',')}\n`;
          }
        : (r) => `${JSON.stringify(flags.perTrack ? r : { ...r, key: undefined })}\n`,
  };
}

/**
 * Feeds `source` through the window operator one item at a time and writes each result before reading on,
 * so reading follows the output's pace. Operator errors (late items without `--late-output`, bad timestamps)
 * end the command.
 */
async function run(
  source: AsyncIterable<Item>,
  plan: Plan,
  output: Output,
  lateOutput: Output | undefined,
  jobDuration: () => number | undefined,
): Promise<void> {
  const lateItems: Item[] = [];
  const onLate = lateOutput === undefined ? undefined : (item: Item) => void lateItems.push(item);
  try {
    await output.write(plan.header);
    // The operator is built at the first item, after the first page, so the job's VideoMetadata is known.
    await driveOperator(checked(source, plan.check), () => plan.build(jobDuration(), onLate), async (results) => {
      for (const r of results) await output.write(plan.format(r));
      if (lateOutput) {
        for (const item of lateItems) await lateOutput.write(`${JSON.stringify(item)}\n`);
        lateItems.length = 0;
      }
    });
  } catch (error) {
    // Keep the partial files (previous output files are left as they were) and release the outputs' listeners
    // on stdout before the error ends the command.
    await output.abandon();
    await lateOutput?.abandon();
    throw error;
  }
  await output.close();
  await lateOutput?.close();
}

/** `source`, with `check` run on each item (and its index) before it goes on. */
async function* checked(source: AsyncIterable<Item>, check: (item: Item, index: number) => void): AsyncIterable<Item> {
  let index = 0;
  for await (const item of source) {
    check(item, index++);
    yield item;
  }
}

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

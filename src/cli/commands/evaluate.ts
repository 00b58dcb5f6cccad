import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  combineMetrics,
  evaluateMot,
  FaceStreamError,
  formatMetricsTable,
  InvalidParameterError,
  type MotMetrics,
  parseMot,
} from '../../index.js';

const FORMATS = ['table', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface EvaluateFlags {
  readonly gt: readonly string[];
  readonly pred: readonly string[];
  readonly format: Format;
}

/**
 * `face-stream evaluate --gt GT --pred PRED [--gt GT2 --pred PRED2 …] [--format table|json]`: scores MOT-format
 * tracker output against ground truth with TrackEval's metrics (HOTA, IDF1, MOTA, …) and prints one row per
 * sequence, plus a COMBINED row (TrackEval's combination, not an average) when several pairs are given.
 *
 * Sequence names come from the ground-truth path ({@link sequenceName}). When a
 * MOTChallenge `seqinfo.ini` sits beside or above the ground truth, its `seqLength` is the frame count.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { evaluateCommand } from './evaluate.js';
 *
 * const program = new Command('face-stream').addCommand(evaluateCommand());
 * ```
 */
export function evaluateCommand(): Command {
  const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];
  return new Command('evaluate')
    .description('score MOT-format tracker output against ground truth (HOTA, IDF1, MOTA, … as TrackEval)')
    .requiredOption('--gt <file>', 'ground-truth MOT file (repeat with --pred for several sequences)', collect)
    .requiredOption('--pred <file>', 'tracker MOT file, paired with the --gt at the same position', collect)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .action(async (flags: EvaluateFlags) => {
      const { gt, pred } = flags;
      if (gt.length !== pred.length) {
        throw new InvalidParameterError('--pred', `given once per --gt (${gt.length} times)`, `${pred.length} times`);
      }
      const rows: Record<string, MotMetrics> = {};
      for (let k = 0; k < gt.length; k++) {
        const gtPath = gt[k] as string;
        const predPath = pred[k] as string;
        const [gtRows, predRows, numFrames] = await Promise.all([
          readMot('--gt', gtPath),
          readMot('--pred', predPath),
          sequenceLength(gtPath),
        ]);
        const options = numFrames === undefined ? {} : { numFrames };
        rows[uniqueName(rows, sequenceName(gtPath))] = withFileNames(gtPath, predPath, () =>
          evaluateMot(gtRows, predRows, options),
        );
      }
      if (gt.length > 1) rows.COMBINED = combineMetrics(Object.values(rows));
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : `${formatMetricsTable(rows)}\n`);
    });
}

async function readMot(option: string, path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InvalidParameterError(`${option} ${path}`, 'a readable MOT file', reason, { cause: error });
  }
  return parseMot(text, { source: `${option} ${path}` });
}

/** Prefixes row errors of `evaluateMot` (parameter `gt[3].frame`, `pred`, …) with the file they come from. */
function withFileNames<T>(gtPath: string, predPath: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error;
    const match = /^(gt|pred)(?:\[(\d+)\])?/.exec(error.parameter);
    if (!match) throw error;
    const [, side, index] = match;
    const file = `--${side} ${side === 'gt' ? gtPath : predPath}${index === undefined ? '' : ` (row ${Number(index) + 1})`}`;
    throw new FaceStreamError(error.code, `${file}: ${error.message}`, { cause: error, context: error.context });
  }
}

/** `seqLength` from a MOTChallenge seqinfo.ini beside the ground truth or one level up, if any. */
async function sequenceLength(gtPath: string): Promise<number | undefined> {
  for (const dir of [dirname(gtPath), dirname(dirname(gtPath))]) {
    const text = await readFile(join(dir, 'seqinfo.ini'), 'utf8').catch(() => undefined);
    const match = text === undefined ? null : /^\s*seqLength\s*=\s*(\d+)\s*$/im.exec(text);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * The sequence name of a ground-truth file: `<seq>/gt/gt.txt` and `<seq>/gt.txt` give `<seq>` (also for a
 * relative `gt.txt`: the folder's real name, never `.`); `<name>.gt.txt` (`face-stream emulator
 * --ground-truth-dir` writes `<JobId>.gt.txt`) and `<name>.txt` give `<name>`.
 */
export function sequenceName(gtPath: string): string {
  const file = basename(gtPath, extname(gtPath)).replace(/\.gt$/i, '');
  if (file !== 'gt' && file !== '') return file;
  const parent = dirname(resolve(gtPath));
  return basename(basename(parent) === 'gt' ? dirname(parent) : parent) || 'gt';
}

function uniqueName(taken: Readonly<Record<string, unknown>>, name: string): string {
  let candidate = name;
  for (let n = 2; candidate in taken || candidate === 'COMBINED'; n++) candidate = `${name}#${n}`;
  return candidate;
}

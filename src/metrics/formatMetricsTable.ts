import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectInteger } from '../internal/validate.js';
import type { MotMetrics } from './MotMetrics.js';

/** Options of {@link formatMetricsTable}. */
export interface FormatMetricsTableOptions {
  /**
   * Decimals of the percentages (ratios are printed ×100, like TrackEval's tables).
   * @default 2
   */
  readonly digits?: number;
}

type Column = readonly [header: string, key: keyof MotMetrics, kind: 'ratio' | 'count'];

const COLUMNS: readonly Column[] = [
  ['HOTA', 'HOTA', 'ratio'],
  ['DetA', 'DetA', 'ratio'],
  ['AssA', 'AssA', 'ratio'],
  ['LocA', 'LocA', 'ratio'],
  ['IDF1', 'IDF1', 'ratio'],
  ['IDP', 'IDP', 'ratio'],
  ['IDR', 'IDR', 'ratio'],
  ['MOTA', 'MOTA', 'ratio'],
  ['MOTP', 'MOTP', 'ratio'],
  ['IDSW', 'IDSW', 'count'],
  ['Frag', 'Frag', 'count'],
  ['MT', 'MT', 'count'],
  ['PT', 'PT', 'count'],
  ['ML', 'ML', 'count'],
  ['FP', 'CLR_FP', 'count'],
  ['FN', 'CLR_FN', 'count'],
];

/**
 * Formats metrics as a plain-text table, one row per named sequence (in the object's order), ratios as
 * percentages: HOTA, DetA, AssA, LocA, IDF1, IDP, IDR, MOTA, MOTP, IDSW, Frag, MT, PT, ML, FP, FN.
 *
 * @param rows - metrics by row name, e.g. `{ 'TUD-Campus': m1, COMBINED: combined }`.
 * @throws {@link InvalidParameterError} when `rows` is not an object or `digits` not an integer from 0 to 10.
 *
 * @example
 * ```ts
 * import { evaluateMot, formatMetricsTable, parseMot } from 'rekognition-face-stream';
 *
 * const gt = parseMot('1,1,0,0,10,10,1\n');
 * console.log(formatMetricsTable({ demo: evaluateMot(gt, gt) }));
 * // Sequence    HOTA    DetA    AssA    LocA    IDF1     IDP     IDR    MOTA    MOTP  IDSW  Frag  MT  PT  ML  FP  FN
 * // demo      100.00  100.00  100.00  100.00  100.00  100.00  100.00  100.00  100.00     0     0   1   0   0   0   0
 * ```
 */
export function formatMetricsTable(
  rows: Readonly<Record<string, MotMetrics>>,
  options: FormatMetricsTableOptions = {},
): string {
  if (typeof rows !== 'object' || rows === null || Array.isArray(rows)) {
    throw new InvalidParameterError('rows', 'an object mapping row names to metrics', rows);
  }
  const digits = expectInteger('digits', options.digits ?? 2, 0, 10);
  const header = ['Sequence', ...COLUMNS.map(([name]) => name)];
  const body = Object.entries(rows).map(([name, metrics]) => [
    name,
    ...COLUMNS.map(([, key, kind]) => {
      const value = metrics[key] as number;
      return kind === 'ratio' ? (100 * value).toFixed(digits) : String(value);
    }),
  ]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => (row[c] as string).length)));
  const format = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
      .join('  ')
      .trimEnd();
  return [header, ...body].map(format).join('\n');
}

import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import type { MotRow } from './MotRow.js';

/** Options of {@link parseMot}. */
export interface ParseMotOptions {
  /**
   * Name of the input in error messages (e.g. a file path): errors name `<source> (line N)`.
   * @default 'text'
   */
  readonly source?: string;
}

/**
 * Parses a MOTChallenge 2D text file (`frame,id,left,top,width,height,conf,x,y,z`, one detection per line)
 * into rows, in file order.
 *
 * Columns may be separated by commas (with optional spaces) or by whitespace; blank lines are skipped;
 * columns after the 7th are ignored and a missing confidence column reads as `1`. Frames must be positive
 * integers and ids integers (detection files use `-1`).
 *
 * @param text - the file's content.
 * @param options - see {@link ParseMotOptions}.
 * @throws {@link InvalidParameterError} naming the line when a line has fewer than 6 numeric columns, a
 *   non-integer frame or id, or a non-finite value.
 *
 * @example
 * ```ts
 * import { parseMot } from 'rekognition-face-stream';
 *
 * const rows = parseMot('1,1,399,182,121,229,1,-1,-1,-1\n2,1,400,183,121,229,1,-1,-1,-1\n');
 * console.log(rows.length, rows[0]); // 2 { frame: 1, id: 1, left: 399, top: 182, width: 121, height: 229, conf: 1 }
 * ```
 */
export function parseMot(text: string, options: ParseMotOptions = {}): MotRow[] {
  const source = options.source ?? 'text';
  if (typeof text !== 'string') throw new InvalidParameterError(source, 'a string (MOT file content)', text);
  const rows: MotRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '') continue;
    const cells = line.includes(',') ? line.split(/\s*,\s*/) : line.split(/\s+/);
    const values = cells.slice(0, 7).map((cell) => (cell === '' ? Number.NaN : Number(cell)));
    const [frame, id, left, top, width, height, conf = 1] = values;
    const bad = (expected: string): never => {
      throw new InvalidParameterError(`${source} (line ${n + 1})`, expected, line);
    };
    if (values.length < 6 || values.some((v) => !Number.isFinite(v))) {
      bad('a MOT row `frame,id,left,top,width,height[,conf,…]` of finite numbers');
    }
    if (!Number.isInteger(frame) || (frame as number) < 1) bad('a row whose frame is an integer >= 1');
    if (!Number.isInteger(id)) bad('a row whose id is an integer');
    rows.push({
      frame: frame as number,
      id: id as number,
      left: left as number,
      top: top as number,
      width: width as number,
      height: height as number,
      conf,
    });
  }
  return rows;
}

import { InvalidParameterError } from '../index.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;

/**
 * Parses a human duration into milliseconds: `250ms`, `30s`, `10m`, `1.5h`, `2d`, or a bare number of ms
 * (`90000`). Throws {@link InvalidParameterError} naming `parameter` for anything else (negative, empty, NaN,
 * unknown unit).
 *
 * @param text The duration as the user typed it.
 * @param parameter The flag or option it came from, for the error message.
 * @example
 * ```ts
 * import { parseDurationMs } from './duration.js';
 *
 * parseDurationMs('90s', '--wait-timeout'); // 90000
 * ```
 */
export function parseDurationMs(text: string, parameter = 'duration'): number {
  const match = typeof text === 'string' ? DURATION.exec(text.trim()) : null;
  const value = match ? Number(match[1]) * UNIT_MS[match[2] ?? 'ms']! : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new InvalidParameterError(parameter, 'a duration such as 500ms, 30s, 10m, 1.5h or 2d (a bare number is ms)', text);
  }
  return Math.round(value);
}

/**
 * Durations written by people: `500` (ms), `90000ms`, `10s`, `1.5m`, `6h`. One parser for the CLI's duration
 * flags and the emulator's object names.
 *
 * @module
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i;

/** What {@link parseDurationMs} accepts, in words (for error messages). */
export const DURATION_SYNTAX = 'a duration: <number>[ms|s|m|h], a plain number being ms (e.g. 500, 90000ms, 10s, 10m, 6h)';

/**
 * Parses a duration into whole milliseconds (rounded): a non-negative decimal number followed by an optional
 * unit `ms`, `s`, `m` or `h` (case-insensitive; a plain number is milliseconds). Surrounding white space is
 * ignored. Throws a one-line `RangeError` naming the expected form for anything else (negative numbers,
 * exponents, unknown units, empty text, values beyond `Number.MAX_SAFE_INTEGER` ms). Callers check the range.
 *
 * @example
 * ```ts
 * import { parseDurationMs } from 'rekognition-face-stream';
 *
 * parseDurationMs('10m'); // 600000
 * parseDurationMs('1.5s'); // 1500
 * parseDurationMs('250'); // 250
 * ```
 */
export function parseDurationMs(text: string): number {
  const match = typeof text === 'string' ? DURATION.exec(text.trim()) : null;
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms').toLowerCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    const shown = typeof text === 'string' ? JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text) : String(text);
    throw new RangeError(`Expected ${DURATION_SYNTAX}; got ${shown}.`);
  }
  return ms;
}

/**
 * The duration at the start of `text` (digits, an optional fraction and the letters after them), e.g. `10m` of
 * `10m.mp4`; `undefined` when `text` does not start with a digit. Pass the result to {@link parseDurationMs}.
 */
export function leadingDuration(text: string): string | undefined {
  return /^\d+(?:\.\d+)?[a-z]*/i.exec(text)?.[0];
}

/**
 * Writes a duration for people: `1h`, `2m 30s`, `45s`, `1.5s`, `250 ms` (seconds to one decimal below a
 * minute, whole seconds above).
 *
 * @example
 * ```ts
 * import { formatDurationMs } from './duration.js';
 *
 * formatDurationMs(150_000); // '2m 30s'
 * ```
 */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const total = Math.round(ms / 1000);
  const parts: string[] = [];
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) parts.push(`${h}h`);
  if (m > 0) parts.push(`${m}m`);
  if (s > 0) parts.push(`${s}s`);
  return parts.join(' ');
}

import { DURATION_SYNTAX, InvalidParameterError, parseDurationMs } from '../index.js';

/**
 * Parses the value of a duration flag (`500`, `90000ms`, `10s`, `10m`, `6h`; a plain number is ms) into ms, or
 * throws an `InvalidParameterError` naming the flag, before any request. `undefined` (flag absent) passes through.
 *
 * @example
 * ```ts
 * import { durationFlag } from './durationFlag.js';
 *
 * durationFlag('--wait-timeout', '10m'); // 600000
 * ```
 */
export function durationFlag(flag: string, text: string, options?: { readonly min?: number }): number;
export function durationFlag(flag: string, text: string | undefined, options?: { readonly min?: number }): number | undefined;
export function durationFlag(flag: string, text: string | undefined, options: { readonly min?: number } = {}): number | undefined {
  if (text === undefined) return undefined;
  const min = options.min ?? 0;
  const expected = `${DURATION_SYNTAX}${min > 0 ? `, at least ${min} ms` : ''}`;
  let ms: number;
  try {
    ms = parseDurationMs(text);
  } catch (error) {
    throw new InvalidParameterError(flag, expected, text, { cause: error });
  }
  if (ms < min) throw new InvalidParameterError(flag, expected, text);
  return ms;
}

/** The status-poll flags of `batch` and `worker`. */
export interface PollFlags {
  readonly pollInterval?: string | undefined;
  readonly maxPollInterval?: string | undefined;
}

/** Help of `--max-poll-interval`. */
export const MAX_POLL_INTERVAL_HELP = 'longest status-poll delay (default 6× --poll-interval)';

/**
 * The polling schedule of `--poll-interval D` (first delay; it grows 1.5× per poll) and `--max-poll-interval D`
 * (default 6× the first; with it alone the first delay is the smaller of 5 s and it); `undefined`: the library's
 * defaults. A one-line error names the flag when the maximum is below the first delay.
 */
export function pollFromFlags(flags: PollFlags): { readonly minDelay: number; readonly maxDelay: number } | undefined {
  const first = durationFlag('--poll-interval', flags.pollInterval);
  const max = durationFlag('--max-poll-interval', flags.maxPollInterval);
  if (first === undefined && max === undefined) return undefined;
  const minDelay = first ?? Math.min(5000, max!);
  const maxDelay = max ?? minDelay * 6;
  if (maxDelay < minDelay) throw new InvalidParameterError('--max-poll-interval', `a duration ≥ --poll-interval (${minDelay} ms)`, flags.maxPollInterval);
  return { minDelay, maxDelay };
}

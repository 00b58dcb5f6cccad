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

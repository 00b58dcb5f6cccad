/**
 * Pure backoff arithmetic for the retry layer (no I/O, no time source): full-jitter exponential delays and
 * how a server's `Retry-After` hint combines with them.
 *
 * @module
 */

/** Backoff parameters for one class of error. */
export interface BackoffParameters {
  /** Base delay of the first retry, ms. */
  readonly baseMs: number;
  /** Upper bound of the exponential envelope, ms. */
  readonly capMs: number;
}

/**
 * Full-jitter exponential backoff (the AWS architecture blog's "Full Jitter"):
 * `floor(random × min(cap, base × 2^retryIndex))`.
 *
 * @param retryIndex Retries already made before this one (0 for the first retry).
 * @param random A number in `[0, 1)`.
 * @example
 * ```ts
 * import { fullJitterDelay } from './backoffMath.js';
 *
 * fullJitterDelay(3, { baseMs: 1000, capMs: 20_000 }, 0.5); // 4000
 * ```
 */
export function fullJitterDelay(retryIndex: number, parameters: BackoffParameters, random: number): number {
  const envelope = Math.min(parameters.capMs, parameters.baseMs * 2 ** Math.min(retryIndex, 52));
  return Math.floor(Math.min(Math.max(random, 0), 1) * envelope);
}

/**
 * The delay before a retry, given the jittered backoff and an optional server hint: the hint is honoured
 * (never retry earlier than the server asked), bounded by `maxRetryAfterMs` so a hostile or broken header
 * cannot park a stream for hours.
 *
 * @example
 * ```ts
 * import { combineWithRetryAfter } from './backoffMath.js';
 *
 * combineWithRetryAfter(300, 1500, 60_000); // 1500
 * ```
 */
export function combineWithRetryAfter(
  backoffMs: number,
  retryAfterMs: number | undefined,
  maxRetryAfterMs: number,
): number {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return backoffMs;
  return Math.max(backoffMs, Math.min(Math.max(0, retryAfterMs), maxRetryAfterMs));
}

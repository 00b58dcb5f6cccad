/**
 * Reads a server's retry hint from a response's headers: `x-amz-retry-after` (milliseconds) or the HTTP
 * `Retry-After` (delta-seconds or an HTTP date). Header names are matched case-insensitively.
 *
 * @param headers The response headers (as on an SDK error's `$response.headers`).
 * @param nowMs The current time, epoch ms (only needed for the HTTP-date form).
 * @returns The delay in ms, or `undefined` when no valid hint is present.
 * @example
 * ```ts
 * import { parseRetryAfter } from './retryAfter.js';
 *
 * parseRetryAfter({ 'retry-after': '2' }, Date.now()); // 2000
 * ```
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined,
  nowMs: number,
): number | undefined {
  if (!headers) return undefined;
  let amz: string | undefined;
  let standard: string | undefined;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'x-amz-retry-after') amz = value.trim();
    else if (lower === 'retry-after') standard = value.trim();
  }
  if (amz !== undefined && /^\d+(\.\d+)?$/.test(amz)) return Number(amz);
  if (standard === undefined || standard === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(standard)) return Number(standard) * 1000;
  const date = Date.parse(standard);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The retry hint carried by a failed request's error: looks at the error and its `cause` chain for an SDK
 * `$response.headers` and parses it with {@link parseRetryAfter}.
 *
 * @example
 * ```ts
 * import { retryAfterFromError } from './retryAfter.js';
 *
 * const err = Object.assign(new Error('slow down'), { $response: { headers: { 'x-amz-retry-after': '1500' } } });
 * retryAfterFromError(err, Date.now()); // 1500
 * ```
 */
export function retryAfterFromError(error: unknown, nowMs: number): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const response = (current as { $response?: { headers?: Record<string, string | string[] | undefined> } })
      .$response;
    const hint = parseRetryAfter(response?.headers, nowMs);
    if (hint !== undefined) return hint;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

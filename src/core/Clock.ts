/**
 * The library's only source of time. Everything that waits (backoff, polling, rate limits) takes a `clock`
 * option so tests can run it in virtual time; library code never reads `Date.now()` or calls `setTimeout`
 * directly.
 *
 * @example
 * ```ts
 * import { systemClock } from 'rekognition-face-stream';
 *
 * const started = systemClock.now();
 * await systemClock.sleep(10);
 * console.log(systemClock.now() - started >= 10);
 * ```
 */
export interface Clock {
  /** Milliseconds since an arbitrary fixed origin; never decreases. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with an `AbortError` (the signal's reason when it is one) as
   * soon as `signal` aborts; the timer is then cleared.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Makes the error a sleep rejects with when its signal aborts. */
export function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}

/**
 * The real clock: `performance.timeOrigin + performance.now()` and `setTimeout`. The timer is not unref'd on
 * purpose: a pending sleep (a retry backoff, a poll interval) keeps the process alive until it resolves, so a
 * program awaiting it cannot exit half-way with code 0. Cancel a sleep with its `signal`.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

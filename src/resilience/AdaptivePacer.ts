import type { Clock } from '../core/Clock.js';
import { abortReason } from '../core/Clock.js';
import type { Scheduler } from './BottleneckScheduler.js';

interface Waiter {
  readonly start: () => void;
  readonly fail: (error: unknown) => void;
}

/**
 * The adaptive stage of a limiter: starts tasks in FIFO order at most `rate()` per second, on the injected
 * clock, reading the rate at each release so that a decrease takes effect at once (a queue whose start times
 * were fixed at enqueue time, like bottleneck's, keeps sending at the old pace for a while). With an
 * unlimited rate tasks start synchronously, without timers.
 *
 * @example
 * ```ts
 * import { systemClock } from '../core/Clock.js';
 * import { AdaptivePacer } from './AdaptivePacer.js';
 *
 * const pacer = new AdaptivePacer(systemClock, () => 5);
 * await Promise.all([1, 2, 3].map((i) => pacer.schedule(async () => i))); // 200 ms apart
 * ```
 */
export class AdaptivePacer implements Scheduler {
  readonly #clock: Clock;
  readonly #rate: () => number;
  readonly #steadyUntil: () => number;
  readonly #queue: Waiter[] = [];
  #lastStart = -Infinity;
  #pumping = false;
  #nap: AbortController | undefined;

  /**
   * @param clock Time source.
   * @param rate The rate in force, requests/s (`Infinity`: no pacing); read at every release.
   * @param steadyUntil Until when (ms, clock time) the rate stays as it is unless `wake` is called: a wait is
   *   cut short there and the rate read again (the end of a slower interval known in advance). @default never
   */
  constructor(clock: Clock, rate: () => number, steadyUntil: () => number = () => Infinity) {
    this.#clock = clock;
    this.#rate = rate;
    this.#steadyUntil = steadyUntil;
  }

  /** Tasks waiting for their start. */
  get waiting(): number {
    return this.#queue.length;
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#queue.length === 0 && this.#due() <= this.#clock.now()) {
      this.#lastStart = this.#clock.now();
      return task();
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          task().then(resolve, reject);
        },
        fail: reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      void this.#pump();
    });
  }

  /** Re-reads the rate now (call after it changed), instead of at the end of the current wait. */
  wake(): void {
    this.#nap?.abort();
  }

  /** Rejects every waiting task with `error`. */
  failWaiting(error: unknown): void {
    for (const waiter of this.#queue.splice(0)) waiter.fail(error);
    this.wake();
  }

  #due(): number {
    const rate = this.#rate();
    return Number.isFinite(rate) && rate > 0 ? this.#lastStart + 1000 / rate : -Infinity;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const now = this.#clock.now();
        const due = this.#due();
        if (now < due) {
          const nap = new AbortController();
          this.#nap = nap;
          await this.#clock.sleep(Math.min(due, this.#steadyUntil()) - now, nap.signal).catch(() => undefined);
          continue;
        }
        this.#lastStart = now;
        this.#queue.shift()!.start();
      }
    } finally {
      this.#pumping = false;
      this.#nap = undefined;
    }
  }
}

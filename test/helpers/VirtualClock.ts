import { abortReason, type Clock } from '../../src/core/Clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A {@link Clock} in virtual time for tests: `sleep` resolves only when the test advances the clock.
 *
 * `advance(ms)` fires due timers in time order, letting promise chains (and real I/O that is already
 * complete) settle between timers, so code under test runs exactly as it would in real time, minus the wait.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  /** Every sleep requested, in order (ms), for assertions on backoff schedules. */
  readonly sleeps: number[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    });
  }

  /** Number of sleeps waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Lets pending promise callbacks (and completed I/O callbacks) run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves virtual time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await this.settle();
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.#now = next.at;
      next.resolve();
      await this.settle();
    }
    this.#now = target;
    await this.settle();
  }

  /** Fires timers until none is left (at most `limit`), advancing time to each; returns the time moved. */
  async runAll(limit = 10_000): Promise<number> {
    const start = this.#now;
    await this.settle();
    for (let i = 0; i < limit && this.#timers.length > 0; i++) {
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      await this.settle();
    }
    return this.#now - start;
  }
}

/**
 * Advances `clock` in steps of `stepMs` until `promise` settles, letting real I/O (a loopback emulator) run
 * between steps; returns what the promise settles with.
 */
export async function driveUntilSettled<T>(clock: VirtualClock, promise: Promise<T>, stepMs = 500): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  watched.catch(() => {});
  for (let i = 0; i < 10_000 && !settled; i++) {
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 1));
  }
  return watched;
}

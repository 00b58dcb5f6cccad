import { ArrayQueue } from '../core/ArrayQueue.js';

/**
 * Counts events in a sliding time window (e.g. successful requests in the last second). Pure: the caller
 * passes the time of each event and query, so it works with any clock.
 *
 * @example
 * ```ts
 * import { SlidingWindowCounter } from './SlidingWindowCounter.js';
 *
 * const successes = new SlidingWindowCounter(1000);
 * successes.add(0);
 * successes.add(500);
 * successes.count(1200); // 1 (the event at 0 left the window)
 * ```
 */
export class SlidingWindowCounter {
  readonly #windowMs: number;
  readonly #times = new ArrayQueue<number>();

  /** @param windowMs Width of the window, ms. */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Width of the window, ms. */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** Records one event at `now`. Times (of events and queries) must not decrease. */
  add(now: number): void {
    this.#times.push(now);
    this.#evict(now);
  }

  /** Events in `(now − windowMs, now]`. */
  count(now: number): number {
    this.#evict(now);
    return this.#times.length;
  }

  /**
   * Events held in memory: those inside the window at the latest `add` or `count`, plus at most as many (or
   * 1024) that have left it and are not compacted away yet — bounded by the window, never by the event count.
   */
  get size(): number {
    return this.#times.retained;
  }

  /** Forgets events that left the window at `now` (amortized O(1)). */
  #evict(now: number): void {
    const from = now - this.#windowMs;
    const times = this.#times;
    while (times.length > 0 && times.peek()! <= from) times.shift();
  }

  /** Events per second over the window at `now`. */
  rate(now: number): number {
    return (this.count(now) * 1000) / this.#windowMs;
  }
}

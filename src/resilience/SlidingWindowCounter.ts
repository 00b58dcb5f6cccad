/**
 * Counts events in a sliding time window (e.g. successful requests in the last second). Pure: the caller
 * passes the time of each event and query, so it works with any clock.
 *
 * @example
 * ```ts
 * import { SlidingWindowCounter } from 'rekognition-face-stream';
 *
 * const successes = new SlidingWindowCounter(1000);
 * successes.add(0);
 * successes.add(500);
 * successes.count(1200); // 1 (the event at 0 left the window)
 * ```
 */
export class SlidingWindowCounter {
  readonly #windowMs: number;
  #times: number[] = [];
  #head = 0;

  /** @param windowMs Width of the window, ms. */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Width of the window, ms. */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** Records one event at `now`. Times must not decrease. */
  add(now: number): void {
    this.#times.push(now);
  }

  /** Events in `(now − windowMs, now]`. */
  count(now: number): number {
    const from = now - this.#windowMs;
    while (this.#head < this.#times.length && this.#times[this.#head]! <= from) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return this.#times.length - this.#head;
  }

  /** Events per second over the window at `now`. */
  rate(now: number): number {
    return (this.count(now) * 1000) / this.#windowMs;
  }
}

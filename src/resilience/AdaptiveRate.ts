import type { Clock } from '../core/Clock.js';
import {
  type AdaptiveRateParameters,
  type AdaptiveRateState,
  DEFAULT_ADAPTIVE_PARAMETERS,
  decreaseOnThrottle,
  initialAdaptiveState,
  rateAt,
} from './adaptiveRateMath.js';
import { SlidingWindowCounter } from './SlidingWindowCounter.js';

/** Options of {@link AdaptiveRate}. */
export interface AdaptiveRateOptions {
  /** Time source. */
  readonly clock: Clock;
  /** Controller tunables. @default DEFAULT_ADAPTIVE_PARAMETERS */
  readonly parameters?: AdaptiveRateParameters;
  /** Window over which the accepted (successful) rate is measured, ms. @default 1000 */
  readonly windowMs?: number;
}

/**
 * The stateful shell around the pure adaptive-rate math ({@link decreaseOnThrottle}, {@link rateAt}): it
 * counts successes in a sliding window, remembers the epoch each request was sent in, and reports the rate
 * in force now. One instance per limiter (per account + region + operation, per process).
 *
 * @example
 * ```ts
 * import { systemClock } from '../core/Clock.js';
 * import { AdaptiveRate } from './AdaptiveRate.js';
 *
 * const adaptive = new AdaptiveRate({ clock: systemClock });
 * const epoch = adaptive.epoch; // when sending a request
 * adaptive.recordThrottle(epoch); // it was throttled
 * console.log(adaptive.rate()); // the new, lower, rate
 * ```
 */
export class AdaptiveRate {
  readonly #clock: Clock;
  readonly #parameters: AdaptiveRateParameters;
  readonly #successes: SlidingWindowCounter;
  #state: AdaptiveRateState;

  constructor(options: AdaptiveRateOptions) {
    this.#clock = options.clock;
    this.#parameters = options.parameters ?? DEFAULT_ADAPTIVE_PARAMETERS;
    this.#successes = new SlidingWindowCounter(options.windowMs ?? 1000);
    this.#state = initialAdaptiveState(this.#parameters);
  }

  /** The current epoch: record it when a request is sent and pass it to {@link recordThrottle}. */
  get epoch(): number {
    return this.#state.epoch;
  }

  /** The state (for tests and diagnostics). */
  get state(): AdaptiveRateState {
    return this.#state;
  }

  /** The rate in force now, requests/s (`Infinity` until the first throttle). */
  rate(): number {
    return rateAt(this.#state, this.#clock.now(), this.#parameters);
  }

  /** Records a successful response. */
  recordSuccess(): void {
    this.#successes.add(this.#clock.now());
  }

  /**
   * Records a throttled response to a request sent in `requestEpoch`. Returns `true` when it lowered the rate
   * (the first throttle of the current epoch), `false` for a stale one or one with no success in the window
   * (nothing to estimate the quota from: the retry backoff handles it).
   */
  recordThrottle(requestEpoch: number): boolean {
    const now = this.#clock.now();
    const accepted = this.#successes.count(now) * (1000 / this.#successes.windowMs);
    const next = decreaseOnThrottle(this.#state, now, requestEpoch, accepted, this.#parameters);
    if (next === this.#state) return false;
    this.#state = next;
    return true;
  }
}

/**
 * A token bucket in clock time: `rate` tokens per second, at most `burst` stored (the bucket starts full).
 * The emulator's account-wide TPS quota per operation.
 *
 * @module
 */
import type { Clock } from '../../core/Clock.js';

/** A requests-per-second quota: sustained `rate`, bursts of up to `burst` requests. */
export interface TpsQuota {
  /** Sustained requests per second (> 0). */
  readonly rate: number;
  /**
   * Bucket size: requests allowed back to back after a quiet period.
   * @default max(1, rate)
   */
  readonly burst?: number;
}

/** Token bucket for one {@link TpsQuota}. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(quota: TpsQuota, clock: Clock) {
    this.#rate = quota.rate;
    this.#burst = quota.burst ?? Math.max(1, quota.rate);
    this.#clock = clock;
    this.#tokens = this.#burst;
    this.#last = clock.now();
  }

  /** Takes one token; `false` (and nothing taken) when the bucket is empty. */
  take(): boolean {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#rate) / 1000);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

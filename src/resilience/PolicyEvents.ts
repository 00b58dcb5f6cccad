import type { ServiceError } from '../errors/ServiceError.js';
import type { LimiterSettings } from './limiterSettings.js';

/** A retry is about to wait `delayMs` before attempt `attempt + 1`. */
export interface RetryEvent {
  readonly type: 'retry';
  readonly operation: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  /** The backoff before the next attempt, ms (full jitter, or the server's Retry-After). */
  readonly delayMs: number;
  readonly error: ServiceError;
  readonly context?: Readonly<Record<string, unknown>> | undefined;
}

/** The service throttled a request (ProvisionedThroughputExceeded, Throttling, HTTP 429). */
export interface ThrottleEvent {
  readonly type: 'throttle';
  readonly operation: string;
  readonly error: ServiceError;
  /** The adaptive rate after this throttle, requests/s (`Infinity` when not adaptive). */
  readonly rate: number;
  /**
   * How the adaptive stage judged it (absent when not adaptive): `rate` (our rate caused it, the rate was
   * lowered), `background` (throttles that come whatever the rate; the rate was kept, or a decrease undone),
   * `unknown` (sent before the last decrease, or nothing to judge from).
   */
  readonly cause?: 'rate' | 'background' | 'unknown';
}

/** The adaptive limiter changed its rate (on a throttle, and during recovery). */
export interface RateEvent {
  readonly type: 'rate';
  readonly operation: string;
  /** Requests/s now in force (`Infinity`: unlimited). */
  readonly rate: number;
}

/** The SDK client retried underneath the policy (`$metadata.attempts > 1`); emitted once per policy. */
export interface SdkRetriesEvent {
  readonly type: 'sdk-retries';
  readonly operation: string;
  readonly attempts: number;
}

/**
 * The Redis limiter failed and the policy fell back to a local limiter (`redis.onError: 'local'`) holding this
 * process's fair share of the shared limit, until Redis is back (then `limiter-restored`).
 */
export interface LimiterFallbackEvent {
  readonly type: 'limiter-fallback';
  readonly operation: string;
  readonly error: Error;
  /**
   * Processes that were sharing the Redis limiter when it was last read (this one included), or `undefined`
   * when Redis was never reached (the local limiter then has the whole limit).
   */
  readonly peers: number | undefined;
  /** The local limiter's settings: `tps` and `maxConcurrent` divided by `peers`, `burst` too (at least 1). */
  readonly limit: LimiterSettings;
}

/** Redis answered again after a `limiter-fallback`: the operation uses the shared limiter again. */
export interface LimiterRestoredEvent {
  readonly type: 'limiter-restored';
  readonly operation: string;
  /** Processes sharing the Redis limiter now (this one included), when it could be read. */
  readonly peers: number | undefined;
}

/** Everything a policy reports to its listeners. */
export type PolicyEvent =
  | RetryEvent
  | ThrottleEvent
  | RateEvent
  | SdkRetriesEvent
  | LimiterFallbackEvent
  | LimiterRestoredEvent;

/** Where an operation's fixed limit is enforced now. */
export interface LimiterState {
  /** `'local'`: no Redis configured; `'redis'`: shared through Redis; `'fallback'`: a local share while Redis is down. */
  readonly store: 'local' | 'redis' | 'fallback';
  /** Processes last seen sharing the Redis limiter (this one included); `undefined` without Redis or before it answered. */
  readonly peers: number | undefined;
  /** The fixed rate this process enforces, requests/s (`undefined`: none; in fallback, its share). */
  readonly tps: number | undefined;
}

/** Counters of a policy since it was created (a snapshot). */
export interface PolicyStats {
  /** Logical requests executed (`execute` calls). */
  readonly requests: number;
  /** Attempts sent (requests + retries). */
  readonly attempts: number;
  /** Requests that succeeded. */
  readonly succeeded: number;
  /** Requests that failed for good (after retries, or not retryable). */
  readonly failed: number;
  /** Retries made. */
  readonly retries: number;
  /** Throttled responses received. */
  readonly throttled: number;
  /** Requests waiting for a limiter slot now. */
  readonly queued: number;
  /** Current rate per operation, requests/s (`Infinity`: unlimited). */
  readonly rates: Readonly<Record<string, number>>;
  /** Per operation: where its fixed limit is enforced (Redis, local, local fallback) and by how many processes. */
  readonly limiters: Readonly<Record<string, LimiterState>>;
}

import type Bottleneck from 'bottleneck';
import { minTimeForRate } from './adaptiveRateMath.js';

/** A fixed rate limit: what the account's quota allows. Every member optional (absent = no limit). */
export interface LimiterSettings {
  /** Requests per second (`Infinity` or absent: no rate limit). */
  readonly tps?: number | undefined;
  /**
   * Requests that may start at once after an idle period (token-bucket capacity). With `burst` > 1 the
   * limiter is a token bucket refilled at `tps`; otherwise requests are spaced `1000 / tps` ms apart.
   */
  readonly burst?: number | undefined;
  /** Requests in flight at most (absent: unlimited). */
  readonly maxConcurrent?: number | undefined;
}

/** Token-bucket refill tick, ms (Bottleneck's reservoir increase interval; a multiple of 250 as its README asks). */
export const RESERVOIR_TICK_MS = 250;

/**
 * Heartbeat of a local token-bucket limiter, ms. Bottleneck's local store checks the refill on each heartbeat
 * and restarts the interval from the heartbeat's time, so a refill due between two heartbeats is late by up to
 * one heartbeat: with its default 250 ms heartbeat the bucket refills ~10 % slower than `tps` (measured 9.0 of
 * 10 TPS). A 10 ms heartbeat bounds that loss to a few %. (The Redis store computes refills from timestamps in
 * Lua and has no such drift.)
 */
export const LOCAL_HEARTBEAT_MS = 10;

/**
 * Translates {@link LimiterSettings} into Bottleneck's store options (pure).
 *
 * - `tps` alone → `minTime = ceil(1000 / tps)` (smooth spacing);
 * - `tps` + `burst` > 1 → a token bucket: `reservoir = burst`, increased by `tps × 0.25` every 250 ms up to
 *   `burst`, no `minTime`;
 * - `maxConcurrent` → `maxConcurrent`.
 *
 * @example
 * ```ts
 * import { bottleneckSettings } from './limiterSettings.js';
 *
 * bottleneckSettings({ tps: 10, burst: 10 }); // { maxConcurrent: null, minTime: 0, reservoir: 10, … }
 * ```
 */
export function bottleneckSettings(settings: LimiterSettings): Bottleneck.ConstructorOptions {
  const tps = settings.tps ?? Infinity;
  const burst = settings.burst ?? 1;
  const maxConcurrent = settings.maxConcurrent ?? null;
  if (Number.isFinite(tps) && burst > 1) {
    return {
      maxConcurrent,
      minTime: 0,
      reservoir: burst,
      reservoirIncreaseInterval: RESERVOIR_TICK_MS,
      reservoirIncreaseAmount: (tps * RESERVOIR_TICK_MS) / 1000,
      reservoirIncreaseMaximum: burst,
    };
  }
  return {
    maxConcurrent,
    minTime: minTimeForRate(tps),
    reservoir: null,
    reservoirIncreaseInterval: null,
    reservoirIncreaseAmount: null,
    reservoirIncreaseMaximum: null,
  };
}

/** Whether the settings limit anything at all. */
export function isLimiting(settings: LimiterSettings): boolean {
  return (
    (settings.tps !== undefined && Number.isFinite(settings.tps)) ||
    (settings.maxConcurrent !== undefined && Number.isFinite(settings.maxConcurrent))
  );
}

/**
 * Pure arithmetic of the adaptive rate limiter (no I/O, no time source; every function takes `now`).
 *
 * The controller is CUBIC-shaped like the AWS SDK's `DefaultRateLimiter` (smithy-typescript,
 * `packages/util-retry/src/DefaultRateLimiter.ts`), with changes that make it converge faster and throttle less:
 *
 * 1. **No cap until the first throttle.** The rate starts at `Infinity` (and at `maxRate` when one is set).
 * 2. **Decrease from the accepted rate, not the sent rate.** On a throttle the new reference rate
 *    (`lastMaxRate`) is `min(current limit, accepted rate)`, where the accepted rate is the number of
 *    successful requests in the last measurement window. When the server throttles, what it accepted is its
 *    quota, so one decrease lands near it — even from an unlimited start at hundreds of requests a second.
 *    A throttle with no success in the window carries no information about the quota: the rate is left
 *    alone and the retry backoff alone slows that request down (so isolated or scripted throttles never
 *    collapse the rate).
 * 3. **One decrease per epoch** (TCP's "once per round trip"): a throttle only counts if its request joined
 *    the limiter's queue at or after the last decrease (requests queued earlier were paced by the old rate).
 *    Concurrent requests throttled together cause one decrease, not one each.
 * 4. **Startup probe.** The first estimate (from an unlimited start) is contaminated by the server's burst:
 *    it may be far below the quota when the burst is small. So after the first decrease the rate doubles
 *    every `probeDoublingTime` until the next throttle, which then measures the quota with an empty bucket.
 * 5. **Scale-free recovery.** The CUBIC curve is relative to the reference rate:
 *    `rate(t) = lastMaxRate · (1 + (1 − beta)·((t − K)/K)³)` with `K = recoveryTime`, so the rate returns to
 *    `lastMaxRate` after `recoveryTime` whatever the quota (the SDK's absolute `scale` makes K grow with the
 *    rate and shrink below a second for small quotas, i.e. it re-probes — and gets throttled — every couple
 *    of seconds). It dwells near the reference (concave plateau), then probes upward (convex) to discover a
 *    raised quota: 1.17× at 2K, 2.36× at 3K (with `beta` 0.83). A token-bucket quota then sees about one probe
 *    throttle per 2K.
 *
 * @module
 */

/** Tunables of the adaptive controller. */
export interface AdaptiveRateParameters {
  /** Multiplicative decrease factor on a throttle (0 < beta < 1). */
  readonly beta: number;
  /** Time for the rate to climb back to the pre-throttle reference after a decrease, ms (CUBIC's K). */
  readonly recoveryTime: number;
  /** During the startup probe (after the first decrease), the rate doubles every this many ms. */
  readonly probeDoublingTime: number;
  /** Lowest rate ever used, requests/s. */
  readonly minRate: number;
  /** Highest rate ever used, requests/s (`Infinity`: no cap). */
  readonly maxRate: number;
}

/** Defaults: `beta` 0.83, `recoveryTime` 10 s, `probeDoublingTime` 450 ms, `minRate` 0.5 TPS, no `maxRate`. */
export const DEFAULT_ADAPTIVE_PARAMETERS: AdaptiveRateParameters = Object.freeze({
  beta: 0.83,
  recoveryTime: 10_000,
  probeDoublingTime: 450,
  minRate: 0.5,
  maxRate: Infinity,
});

/** The controller's state (immutable; every transition returns a new one). */
export interface AdaptiveRateState {
  /** The rate in force, requests/s (`Infinity` before the first throttle). */
  readonly rate: number;
  /** Reference rate of the CUBIC curve: the estimated quota at the last decrease. */
  readonly lastMaxRate: number;
  /** When the last decrease happened (ms, clock time); `-Infinity` before any. */
  readonly lastDecreaseAt: number;
  /** Incremented on every decrease; a throttle from an older epoch is ignored. */
  readonly epoch: number;
  /** In the startup probe (between the first and the second decrease): exponential growth instead of CUBIC. */
  readonly probing: boolean;
}

/** The state before any throttle: unlimited (or `maxRate`). */
export function initialAdaptiveState(parameters: AdaptiveRateParameters = DEFAULT_ADAPTIVE_PARAMETERS): AdaptiveRateState {
  return { rate: parameters.maxRate, lastMaxRate: parameters.maxRate, lastDecreaseAt: -Infinity, epoch: 0, probing: false };
}

/**
 * The state after a throttled response.
 *
 * @param requestEpoch The epoch in force when the throttled request was sent.
 * @param acceptedRate Successful requests per second over the recent window.
 * @returns The same state when the throttle is stale (`requestEpoch < state.epoch`) or uninformative (no
 *   success in the window), else the decreased one.
 */
export function decreaseOnThrottle(
  state: AdaptiveRateState,
  now: number,
  requestEpoch: number,
  acceptedRate: number,
  parameters: AdaptiveRateParameters = DEFAULT_ADAPTIVE_PARAMETERS,
): AdaptiveRateState {
  if (requestEpoch < state.epoch || !(acceptedRate > 0)) return state;
  const current = rateAt(state, now, parameters);
  const reference = clamp(Math.min(current, acceptedRate), parameters.minRate, parameters.maxRate);
  return {
    rate: clamp(reference * parameters.beta, parameters.minRate, parameters.maxRate),
    lastMaxRate: reference,
    lastDecreaseAt: now,
    epoch: state.epoch + 1,
    // The first decrease from the unlimited start (or from a restored one) starts the probe.
    probing: state.lastDecreaseAt === -Infinity,
  };
}

/** The rate in force at `now` (ms): the startup probe or the CUBIC recovery curve since the last decrease, clamped. */
export function rateAt(
  state: AdaptiveRateState,
  now: number,
  parameters: AdaptiveRateParameters = DEFAULT_ADAPTIVE_PARAMETERS,
): number {
  if (!Number.isFinite(state.lastDecreaseAt) || !Number.isFinite(state.lastMaxRate)) return state.rate;
  const elapsed = Math.max(0, now - state.lastDecreaseAt);
  if (state.probing) {
    const probe = state.rate * 2 ** Math.min(elapsed / parameters.probeDoublingTime, 64);
    return clamp(probe, parameters.minRate, parameters.maxRate);
  }
  const x = (elapsed - parameters.recoveryTime) / parameters.recoveryTime;
  const cubic = state.lastMaxRate * (1 + (1 - parameters.beta) * x ** 3);
  return clamp(cubic, parameters.minRate, parameters.maxRate);
}

/** The Bottleneck `minTime` (ms between request starts) that enforces `rate` requests/s; 0 when unlimited. */
export function minTimeForRate(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) return rate <= 0 ? Number.MAX_SAFE_INTEGER : 0;
  return Math.ceil(1000 / rate);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

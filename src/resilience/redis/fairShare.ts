import type { LimiterSettings } from '../limiterSettings.js';

/**
 * One process's share of a limit that `peers` processes share (pure): `tps` divided by `peers`, `burst` and
 * `maxConcurrent` divided and rounded down to at least 1. An unknown or non-positive `peers` counts as 1 (the
 * whole limit), so a share never exceeds the limit.
 *
 * @example
 * ```ts
 * import { fairShare } from './fairShare.js';
 *
 * fairShare({ tps: 10, burst: 10, maxConcurrent: 3 }, 2); // { tps: 5, burst: 5, maxConcurrent: 1 }
 * ```
 */
export function fairShare(settings: LimiterSettings, peers: number | undefined): LimiterSettings {
  const n = peers !== undefined && peers >= 1 ? peers : 1;
  const divided = (value: number | undefined) => (value === undefined ? undefined : Math.max(1, Math.floor(value / n)));
  return {
    tps: settings.tps === undefined ? undefined : settings.tps / n,
    burst: divided(settings.burst),
    maxConcurrent: divided(settings.maxConcurrent),
  };
}

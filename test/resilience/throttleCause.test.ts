import { expect } from 'chai';
import { AdaptiveRate } from '../../src/resilience/AdaptiveRate.js';
import { DEFAULT_ADAPTIVE_PARAMETERS } from '../../src/resilience/adaptiveRateMath.js';
import { inTrial, THROTTLE_CAUSE, ThrottleLevels, trialEnd, trialFactorFor } from '../../src/resilience/throttleCause.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { simulateThrottledService } from './throttledService.js';

/** Records `n` requests at `rate`, every `every`-th throttled (none with `every` 0). */
function record(levels: ThrottleLevels, rate: number, n: number, every: number): void {
  for (let i = 1; i <= n; i++) levels.add(rate, every > 0 && i % every === 0);
}

/** The time-weighted share of the run (sampled every 100 ms) during which the rate was below `rate`. */
const shareBelow = (rates: readonly number[], rate: number) => rates.filter((r) => r < rate).length / rates.length;

describe('resilience/throttleCause (what causes a throttle: the rate, or random load shedding)', () => {
  it('a throttle above a clean low region is caused by the rate (a quota): infinite evidence', () => {
    const levels = new ThrottleLevels();
    record(levels, 8, 30, 0);
    levels.add(11, true);
    expect(levels.evidence(11)).to.equal(Infinity);
  });

  it('throttles at the same fraction at every rate are not evidence about the rate', () => {
    const levels = new ThrottleLevels();
    for (const rate of [4, 6, 8, 11]) record(levels, rate, 20, 10); // 10 % everywhere
    expect(levels.evidence(11)).to.be.lessThan(THROTTLE_CAUSE.cutEvidence);
    expect(levels.evidence(4)).to.be.lessThan(THROTTLE_CAUSE.cutEvidence); // came down, throttles went on
    expect(levels.background()).to.be.closeTo(0.1, 0.05);
  });

  it('a fraction that grows with the rate is caused by it, even on top of random throttles', () => {
    const levels = new ThrottleLevels();
    record(levels, 6, 40, 10); // 10 % below the quota
    record(levels, 14, 20, 2); // 50 % above it
    expect(levels.evidence(14)).to.be.greaterThan(THROTTLE_CAUSE.cutEvidence);
  });

  it('came down to a new low and the throttles dropped: caused by the rate; they did not drop: not', () => {
    const dropped = new ThrottleLevels();
    record(dropped, 30, 30, 2); // 50 % at 30/s
    record(dropped, 12, 18, 6); // 17 % at 12/s (still above a quota of 10)
    expect(dropped.evidence(12)).to.be.greaterThan(THROTTLE_CAUSE.cutEvidence);
    const flat = new ThrottleLevels();
    record(flat, 30, 30, 5);
    record(flat, 12, 18, 5);
    expect(flat.evidence(12)).to.be.lessThan(THROTTLE_CAUSE.cutEvidence);
  });

  it('with too few requests recorded to have a low region, any throttle counts (the classic controller)', () => {
    const levels = new ThrottleLevels();
    record(levels, 8, 5, 0);
    levels.add(8, true);
    expect(levels.judging).to.equal(false);
    expect(levels.evidence(8)).to.equal(Infinity);
  });

  it('trial windows: the first trialMs of every trialPeriodMs of the clock, the same for every process', () => {
    const { trialPeriodMs, trialMs } = THROTTLE_CAUSE;
    expect(inTrial(5 * trialPeriodMs)).to.equal(true);
    expect(inTrial(5 * trialPeriodMs + trialMs - 1)).to.equal(true);
    expect(inTrial(5 * trialPeriodMs + trialMs)).to.equal(false);
    expect(inTrial(6 * trialPeriodMs - 1)).to.equal(false);
  });

  it('trialEnd: the end of the trial window a time is in; the time itself outside the windows', () => {
    const { trialPeriodMs, trialMs } = THROTTLE_CAUSE;
    expect(trialEnd(5 * trialPeriodMs)).to.equal(5 * trialPeriodMs + trialMs);
    expect(trialEnd(5 * trialPeriodMs + trialMs - 1)).to.equal(5 * trialPeriodMs + trialMs);
    expect(trialEnd(5 * trialPeriodMs + trialMs)).to.equal(5 * trialPeriodMs + trialMs);
    expect(trialEnd(6 * trialPeriodMs - 1)).to.equal(6 * trialPeriodMs - 1);
  });

  it('trial windows deepen with the throttled share of at least 10 recent answers: 0.7× up to 30 %, 0.3× from 55 % (flooded)', () => {
    /** `n` answers 100 ms apart from `from`, the first `throttled` of them throttles. */
    const answers = (n: number, throttled: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ at: from + i * 100, throttled: i < throttled }));
    const { trialFactor, floodTrialFactor, floodWindowMs, floodFraction, rampFrom } = THROTTLE_CAUSE;
    expect([trialFactor, floodTrialFactor, rampFrom, floodFraction]).to.deep.equal([0.7, 0.3, 0.3, 0.55]);
    expect(trialFactorFor(answers(12, 7), 1200), '7 of 12 throttled').to.equal(floodTrialFactor);
    expect(trialFactorFor(answers(20, 11), 2000), '11 of 20 throttled').to.equal(floodTrialFactor);
    expect(trialFactorFor(answers(20, 6), 2000), '6 of 20 throttled').to.equal(trialFactor);
    expect(trialFactorFor(answers(20, 2), 2000), '2 of 20 throttled').to.equal(trialFactor);
    // On the way: 0.7 − 0.4 · (share − 0.3) / 0.25.
    expect(trialFactorFor(answers(20, 8), 2000), '8 of 20 throttled').to.be.closeTo(0.54, 1e-9);
    expect(trialFactorFor(answers(12, 6), 1200), '6 of 12 throttled').to.be.closeTo(0.7 - 0.4 * (0.5 - 0.3) / 0.25, 1e-9);
    // Monotone: more throttles never make the windows lighter.
    const factors = Array.from({ length: 21 }, (_, k) => trialFactorFor(answers(20, k), 2000));
    for (let k = 1; k <= 20; k++) expect(factors[k]!, `${k} of 20`).to.be.at.most(factors[k - 1]!);
    expect(trialFactorFor(answers(9, 9), 900), 'fewer than 10 answers say nothing').to.equal(trialFactor);
    expect(trialFactorFor(answers(12, 12), 1100 + floodWindowMs + 1), 'none recent any more').to.equal(trialFactor);
    expect(trialFactorFor(answers(12, 12), 500 + floodWindowMs), '7 of them recent: too few').to.equal(trialFactor);
    // Only the last 20 answers count: 20 successes after 40 throttles are not flooded.
    const recent = Array.from({ length: 20 }, (_, i) => ({ at: 4000 + i * 10, throttled: false }));
    expect(trialFactorFor([...answers(40, 40), ...recent], 4200)).to.equal(trialFactor);
    expect(trialFactorFor([], 0)).to.equal(trialFactor);
  });

  it('trial test: throttles that drop when everyone slows down are load; the same fraction in and out is not', () => {
    const load = new ThrottleLevels();
    for (let i = 1; i <= 60; i++) load.add(5, i % 2 === 0, false); // 50 % outside the trials
    for (let i = 1; i <= 40; i++) load.add(3.5, i % 10 === 0, true); // 10 % in them
    expect(load.trialEvidence()).to.be.greaterThan(THROTTLE_CAUSE.trialCutEvidence);
    const random = new ThrottleLevels();
    for (let i = 1; i <= 60; i++) random.add(5, i % 4 === 0, false);
    for (let i = 1; i <= 40; i++) random.add(3.5, i % 4 === 0, true);
    expect(random.trialEvidence()).to.equal(0);
    const few = new ThrottleLevels();
    for (let i = 1; i <= 60; i++) few.add(5, i % 2 === 0, false);
    few.add(3.5, false, true); // fewer than trialSamples in the trials: no evidence yet
    expect(few.trialEvidence()).to.equal(0);
  });

  it('AdaptiveRate: background throttles leave the rate alone, and a decrease they caused is undone', async () => {
    const clock = new VirtualClock(0);
    const adaptive = new AdaptiveRate({ clock });
    // The startup: unlimited, a throttle with successes in the window, then the end of the probe.
    const send = async (throttled: boolean, gapMs = 100) => {
      const ticket = adaptive.ticket();
      await clock.advance(gapMs);
      if (throttled) return adaptive.recordThrottle(ticket);
      adaptive.recordSuccess(ticket);
      return 'ok';
    };
    for (let i = 0; i < 10; i++) await send(false);
    expect(await send(true)).to.equal('decreased'); // from unlimited
    for (let i = 0; i < 5; i++) await send(false);
    expect(await send(true)).to.equal('decreased'); // ends the startup probe
    const afterProbe = adaptive.rate();
    // Now one throttle in five, at whatever rate: after the low region forms, throttles stop lowering the rate
    // and the one decrease they caused is undone (the rate goes back up, probing).
    const verdicts: string[] = [];
    for (let i = 1; i <= 60; i++) verdicts.push(await send(i % 5 === 0));
    expect(verdicts.filter((v) => v === 'background').length).to.be.greaterThan(5);
    expect(verdicts.filter((v) => v === 'decreased').length).to.be.at.most(2);
    expect(verdicts).to.include('restored');
    expect(adaptive.rate()).to.be.greaterThan(afterProbe);
  });
});

describe('resilience/AdaptiveRate: the end of the burst, and the fast undo', () => {
  /** Unlimited start: 10 successes (the server's burst), then a throttle; then 5 successes and the probe's end. */
  async function afterProbe() {
    const clock = new VirtualClock(0);
    const adaptive = new AdaptiveRate({ clock });
    for (let i = 0; i < 10; i++) {
      const ticket = adaptive.ticket();
      await clock.advance(10);
      adaptive.recordSuccess(ticket);
    }
    expect(adaptive.recordThrottle(adaptive.ticket())).to.equal('decreased'); // at 100 ms, from unlimited
    for (let i = 0; i < 5; i++) {
      const ticket = adaptive.ticket();
      await clock.advance(100);
      adaptive.recordSuccess(ticket);
    }
    await clock.advance(100);
    const before = adaptive.rate(); // the startup probe, doubling every 450 ms from 8.3/s
    expect(adaptive.recordThrottle(adaptive.ticket())).to.equal('decreased'); // ends the probe, at 700 ms
    return { clock, adaptive, before };
  }

  it('the successes of the burst do not count as the quota: the probe ends at beta × what came after it', async () => {
    const { adaptive, before } = await afterProbe();
    expect(before).to.be.greaterThan(15);
    // 5 successes in the 600 ms since the burst ended: 8.3/s, cut to beta × that (the old window also counted
    // the 10 of the burst: 15/s).
    expect(adaptive.state.lastMaxRate).to.be.closeTo(5 / 0.6, 0.01);
    expect(adaptive.state.rate).to.be.closeTo(DEFAULT_ADAPTIVE_PARAMETERS.beta * (5 / 0.6), 0.01);
  });

  it('a throttle at or below the rate a decrease landed at: left alone for a second, then the decrease is undone', async () => {
    const { clock, adaptive, before } = await afterProbe();
    const landed = adaptive.state.rate;
    // Requests sent just after the decrease, at its rate, throttled all the same (random shedding).
    const early = adaptive.ticket();
    const late = adaptive.ticket();
    expect(early.level).to.be.at.most(landed * 1.05);
    await clock.advance(500);
    expect(adaptive.recordThrottle(early)).to.equal('background'); // other processes may not have slowed down yet
    expect(adaptive.state.rate).to.equal(landed);
    await clock.advance(600);
    expect(adaptive.recordThrottle(late)).to.equal('restored');
    // Probing upward again from the rate before the decrease.
    expect(adaptive.state.probing).to.equal(true);
    expect(adaptive.state.rate).to.be.at.least(before);
  });
});

const QUOTA = { rate: 10, burst: 10 } as const;
const SEEDS = [1, 2, 3] as const;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('resilience/adaptive rate under random throttles (virtual time, simulated service)', function () {
  this.timeout(120_000);

  for (const p of [0.1, 0.3]) {
    it(`random throttles (p = ${p}) and no quota, 4 streams, seeds 1–5: the rate does not collapse`, async () => {
      const runs = [];
      for (const seed of [1, 2, 3, 4, 5]) runs.push(await simulateThrottledService({ p, streams: 4, pages: 60, seed }));
      // The classic controller cut on every throttle and sat at 0.5–1 request/s (minRate) most of the run. Measured
      // share below 3/s: 0.00–0.02 (p = 0.1) and 0.00–0.21 (p = 0.3), medians 0.00; before the fast undo 0.00–0.36 and
      // 0.07–0.42 (median 0.20 at p = 0.3).
      expect(median(runs.map((run) => shareBelow(run.rates, 3))), 'median share of the run below 3/s').to.be.lessThan(0.05);
      expect(runs.every((run) => run.failed === 0)).to.equal(true);
      // 240 pages at ≥ 20/s plus backoffs: medians 7.0 s / 11.0 s since throttles that say nothing about the rate
      // (stale, uninformative) are retried with the short backoff, 6.0 s / 8.5 s before (10.0 s / 13.2 s before the
      // fast undo): at p = 0.3 without a quota the short retries let more throttles be judged ours.
      expect(median(runs.map((run) => run.wallMs)), 'median wall time').to.be.lessThan(p === 0.1 ? 10_000 : 12_000);
    });
  }

  it('random throttles (p = 0.3) on top of a quota of 10 TPS, one stream, seeds 1–20: the stream finishes, not starved', async () => {
    const runs = [];
    for (let seed = 1; seed <= 20; seed++) runs.push(await simulateThrottledService({ quota: QUOTA, p: 0.3, streams: 1, pages: 60, seed }));
    expect(runs.every((run) => run.failed === 0)).to.equal(true);
    // 60 pages need ≈ 86 requests, ≈ 8.6 s at the quota; the classic controller took several times that (the issue
    // measured 96 s on its 60-page stream). Measured: the rate sits below 3/s for 0.00–0.25 of the run (median 0.06),
    // 7.4–11.2 s (median 8.9 s), since throttles that say nothing about the rate are retried with the short backoff
    // (they had waited the throttling one, growing per attempt); before that 0.11–0.38 (median 0.30), 13.0–18.9 s
    // (median 15.3 s); before the flooded trial windows (0.3× while more than half the answers are
    // throttles, which p = 0.3 on top of the quota reaches at times) 0.11–0.38 (median 0.23), 13.1–19.0 s (median
    // 15.3 s): the deeper windows count as time below 3/s, not as a slower stream; before the fast undo 0.28–0.60
    // (median 0.55), 12.6–33.1 s (median 19.0 s). All of these were seeds 1–5, which happened to be good ones for
    // the design of the time: over seeds 1–20 it gave 0.23 and 12.4 s, and 0.03 and 9.3 s on seeds 1–5. Since
    // 2026-12-03 (beta 0.83, the probe doubling every 450 ms): over seeds 1–20 0.19 of the run below 3/s (0.00–0.48),
    // 11.4 s (medians); on seeds 1–5 0.18 and 10.4 s.
    expect(median(runs.map((run) => shareBelow(run.rates, 3))), 'median share of the run below 3/s').to.be.lessThan(0.22);
    expect(median(runs.map((run) => run.wallMs)), 'median wall time').to.be.lessThan(12_000);
  });

  // The benchmark's cases (benchmarks/throttled.bench.ts, "Sporadic throttles"): answers in about 2 ms over
  // loopback, and the fixed rate as it configures it (`tps: 10, burst: 10, adaptive: false`: a local token bucket,
  // so its first 10 requests start at once, as ours do from the unlimited start).
  const BENCH_CASES = [
    { streams: 1, pages: 30 },
    { streams: 1, pages: 60 },
    { streams: 4, pages: 15 },
  ] as const;
  /** The benchmark's seeds of the random throttles (seeds 1–3 until 2026-12-03). */
  const BENCH_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
  const sporadicRatio = async (run: Parameters<typeof simulateThrottledService>[0]) => {
    const adaptive = await simulateThrottledService(run);
    const fixed = await simulateThrottledService({ ...run, fixedRate: QUOTA.rate, fixedBurst: QUOTA.burst });
    return adaptive.failed > 0 ? Infinity : adaptive.wallMs / fixed.wallMs;
  };

  for (const { streams, pages } of BENCH_CASES) {
    for (const p of [0.1, 0.3]) {
      it(`sporadic throttles (p = ${p}) on a quota of 10 TPS, ${streams} × ${pages} pages, the benchmark's seeds 1–10: median within 1.25× the fixed rate`, async () => {
        // The goal of issue 11, as the benchmark measures it. Measured (beta 0.83, probe doubling every 450 ms):
        // one stream × 30 1.18× / 0.53×, × 60 1.02× / 0.59×, 4 streams 1.14× / 1.20× (at p = 0.1 / 0.3); with
        // beta 0.8 and 500 ms 1.17× / 0.64×, 1.19× / 0.68×, 1.04× / 1.15×. Seeds 1–3 alone, which this test
        // asserted until 2026-12-03 (when the benchmark ran those), move by ±0.3 with any change of the controller.
        const ratios: number[] = [];
        for (const seed of BENCH_SEEDS) ratios.push(await sporadicRatio({ quota: QUOTA, p, streams, pages, seed, latencyMs: 2 }));
        expect(median(ratios), `adaptive / fixed-rate wall time, seeds 1–10: ${ratios.map((r) => r.toFixed(2)).join(', ')}`).to.be.at.most(1.25);
      });
    }
  }

  it('sporadic throttles over seeds 1–10, 4 cases × p = 0.05 / 0.1 / 0.3: most runs within 1.25× the fixed rate', async () => {
    // The spread behind the cells above (`npx tsx benchmarks/throttleSweep.ts` prints it): 81 of the 120 runs are
    // within 1.25× (79 before the window end and the short backoff for throttles that say nothing, 50 before the
    // fast undo). Short streams stay seed-dependent: one stream × 30 pages at p = 0.1 is within on 7 of 10 seeds
    // (median 1.17×; 5 of 10 and 1.34× before). See docs/resilience.md.
    let within = 0;
    let failed = 0;
    for (const [streams, pages, latencyMs] of [[1, 30, 2], [4, 15, 2], [1, 60, 20], [4, 30, 20]] as const) {
      for (const p of [0.05, 0.1, 0.3]) {
        for (let seed = 1; seed <= 10; seed++) {
          const ratio = await sporadicRatio({ quota: QUOTA, p, streams, pages, seed, latencyMs });
          if (ratio === Infinity) failed++;
          else if (ratio <= 1.25) within++;
        }
      }
    }
    expect(failed, 'runs with streams that gave up').to.equal(0);
    expect(within, 'runs within 1.25× of 120').to.be.at.least(75);
  });

  it('3 independent processes sharing a quota (no Redis, each adapting on its own), seeds 1–10: few throttles, nothing fails', async () => {
    // Each process sees mostly the others' throttles, at every rate of its own: the rate test alone judged them
    // random (26–53 % of the requests throttled). Every process slows down in the same clock-aligned trial
    // windows, and the throttles drop in them: the trial test judges them ours. The fast undo waits a second after
    // a decrease (the others slow down too) and is off while the trial test hints at load. Measured: 6.4, 4.2, 5.1,
    // 4.8, 4.9, 3.8, 10.4, 4.8, 5.7 and 4.8 % throttled, 62–72 s (before throttles that say nothing about the rate
    // were retried with the short backoff and the trial windows ended on time: 5.4, 4.5, 3.1, 3.5, 9.9, 3.7, 4.0, 3.7,
    // 4.3 and 3.7 %, 60–85 s; the tail over 200 seeds is smaller now, see the next test; before the fast undo:
    // 3.2–8.0 %, over 5 % on 3 seeds; 63–82 s, and 260–300 s on 2 of seeds 11–20, where a process was cut to a crawl).
    const fractions: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const run = await simulateThrottledService({ quota: QUOTA, p: 0, streams: 2, clients: 3, pages: 100, seed });
      expect(run.failed, `seed ${seed}: streams that gave up`).to.equal(0);
      expect(run.wallMs, `seed ${seed}: wall time`).to.be.lessThan(60_000 / 0.7); // 600 pages at ≥ 70 % of the quota
      fractions.push(run.throttled / run.attempts);
    }
    expect(median(fractions), 'median throttled fraction').to.be.at.most(0.05);
    expect(fractions.filter((f) => f > 0.05).length, 'seeds above 5 % throttled').to.be.at.most(4);
    expect(Math.max(...fractions), 'worst throttled fraction').to.be.lessThan(0.12);
  });

  it('3 processes sharing a quota, the tail: the seeds of 1–100 that ended above 20 % throttled with 0.7× windows only, now each below 15 %', async () => {
    // Over 100 seeds, 7 runs ended at 22–48 % throttled when the trial windows slowed down to 0.7× only (seeds 42, 55,
    // 59, 77, 78, 87, 90: 22.1, 33.8, 24.2, 25.4, 22.3, 23.8, 48.0 %): once the three send together at twice the
    // quota and more, 0.7× of the load is still above it, and the trial windows show nothing. Flooded (more than
    // half the recent answers throttled), the windows slow down to 0.3×, the load in them falls below the quota, and
    // the trial test judges the throttles ours. Measured: 4.8, 7.0, 11.0, 4.9, 6.1, 12.7, 4.5 % (median 6.1 %), 61–79 s
    // (19.0, 17.4, 19.4, 18.0, 12.7, 15.4, 9.9 % with the flooded windows alone, before the windows ended on time
    // and throttles that say nothing about the rate were retried with the short backoff).
    const fractions: number[] = [];
    for (const seed of [42, 55, 59, 77, 78, 87, 90]) {
      const run = await simulateThrottledService({ quota: QUOTA, p: 0, streams: 2, clients: 3, pages: 100, seed, latencyMs: 20 });
      expect(run.failed, `seed ${seed}: streams that gave up`).to.equal(0);
      expect(run.throttled / run.attempts, `seed ${seed}: throttled fraction`).to.be.lessThan(0.15);
      expect(run.wallMs, `seed ${seed}: wall time`).to.be.lessThan(60_000 / 0.7);
      fractions.push(run.throttled / run.attempts);
    }
    expect(median(fractions), 'median throttled fraction').to.be.lessThan(0.1);
  });

  it('quota discovery, one stream of 60 pages, seeds 1–3: ≤ 1.30× the ideal time, few throttles', async () => {
    for (const seed of SEEDS) {
      const run = await simulateThrottledService({ quota: QUOTA, p: 0, streams: 1, pages: 60, seed, latencyMs: 5 });
      // 0.92–1.20× over seeds 1–10 since beta 0.83 and the 450-ms probe (0.94–1.22× with beta 0.8 and 500 ms; 0.92–1.12×
      // when the burst's successes counted as rate, with 3.2–6.3 % throttled). The successes of the server's burst no
      // longer count as its rate, so the first measured quota is not inflated: 2 throttles instead of 2–4, but a
      // 6-second stream ends before the recovery from the beta cut is over. Longer streams do not pay it (the
      // 4-stream case below, and the benchmark's 60-second rows).
      expect(run.wallMs, `seed ${seed}: wall time`).to.be.at.most(1.3 * 6_000);
      expect(run.throttled / run.attempts, `seed ${seed}: throttled`).to.be.lessThan(0.04);
    }
  });

  it('a quota alone (10 TPS, burst 10), 4 streams, seeds 1–5: converges below it with few throttles, as before', async () => {
    const walls: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const run = await simulateThrottledService({ quota: QUOTA, p: 0, streams: 4, pages: 150, seed });
      expect(run.throttled / run.attempts, `seed ${seed}: throttled`).to.be.lessThan(0.03);
      walls.push(run.wallMs);
      const secondHalf = run.rates.slice(run.rates.length / 2);
      // The trial windows let the bucket refill, so the recovery curve climbs further above the quota before a
      // throttle stops it (peaks of 14.5–16.9/s on these seeds, below 13/s before them); the mean stays at the quota.
      expect(Math.max(...secondHalf), `seed ${seed}: peak rate`).to.be.lessThan(1.7 * 10);
      expect(secondHalf.reduce((a, b) => a + b, 0) / secondHalf.length, `seed ${seed}: mean rate`).to.be.within(8, 10.5);
    }
    // 600 pages at 10/s: 63.6–65.4 s on these seeds (59.5–63.1 s when the burst's successes counted as rate).
    expect(median(walls), 'median wall time').to.be.lessThan(1.1 * 60_000);
  });
});

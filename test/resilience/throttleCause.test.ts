import { expect } from 'chai';
import { AdaptiveRate } from '../../src/resilience/AdaptiveRate.js';
import { THROTTLE_CAUSE, ThrottleLevels } from '../../src/resilience/throttleCause.js';
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

describe('resilience/adaptive rate under random throttles (virtual time, simulated service)', function () {
  this.timeout(60_000);

  for (const p of [0.1, 0.3]) {
    it(`random throttles (p = ${p}) and no quota, 4 streams: the rate does not collapse`, async () => {
      const run = await simulateThrottledService({ p, streams: 4, pages: 60, seed: 2 });
      // The classic controller cut on every throttle and sat at 0.5–1 request/s (minRate) most of the run.
      expect(shareBelow(run.rates, 3), 'share of the run below 3/s').to.be.lessThan(0.1);
      expect(run.finalRate).to.be.greaterThan(20);
      expect(run.wallMs).to.be.lessThan(15_000); // 240 pages at ≥ 20/s plus backoffs
    });
  }

  it('random throttles (p = 0.3) on top of a quota of 10 TPS, one stream: the rate stays near the quota', async () => {
    const run = await simulateThrottledService({ quota: { rate: 10, burst: 10 }, p: 0.3, streams: 1, pages: 60, seed: 4 });
    expect(shareBelow(run.rates, 3), 'share of the run below 3/s').to.be.lessThan(0.3);
    // 60 pages need ≈ 86 requests, ≈ 8.6 s at the quota; the classic controller took several times that.
    expect(run.wallMs).to.be.lessThan(15_000);
  });

  it('3 independent processes sharing a quota (each adapting on its own): every stream completes near the quota', async () => {
    // Known limitation (docs/resilience.md): each process sees the others' throttles at every rate of its own
    // and judges them random, so the throttled fraction is high (26–48 % across seeds in this simulation,
    // against about 3 % for the classic controller). What this test holds: nothing fails and throughput stays.
    const run = await simulateThrottledService({ quota: { rate: 10, burst: 10 }, p: 0, streams: 2, clients: 3, pages: 100, seed: 2 });
    expect(run.failed, 'streams that gave up').to.equal(0);
    expect(run.wallMs).to.be.lessThan(60_000 / 0.75); // 600 pages at ≥ 75 % of the quota
  });

  it('a quota alone (10 TPS, burst 10), 4 streams: converges below it with few throttles, as before', async () => {
    const run = await simulateThrottledService({ quota: { rate: 10, burst: 10 }, p: 0, streams: 4, pages: 150, seed: 1 });
    expect(run.throttled / run.attempts).to.be.lessThan(0.03);
    expect(run.wallMs).to.be.lessThan(1.05 * 60_000); // 600 pages at 10/s
    const secondHalf = run.rates.slice(run.rates.length / 2);
    expect(Math.max(...secondHalf)).to.be.lessThan(1.3 * 10);
    expect(secondHalf.reduce((a, b) => a + b, 0) / secondHalf.length).to.be.within(8, 10.5);
  });
});

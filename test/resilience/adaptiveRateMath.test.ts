import { expect } from 'chai';
import fc from 'fast-check';
import { AdaptiveRate } from '../../src/resilience/AdaptiveRate.js';
import { DEFAULT_ADAPTIVE_PARAMETERS as P, decreaseOnThrottle, initialAdaptiveState, minTimeForRate, rateAt } from '../../src/resilience/adaptiveRateMath.js';
import { SlidingWindowCounter } from '../../src/resilience/SlidingWindowCounter.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

describe('resilience/adaptiveRateMath', () => {
  it('starts unlimited: no cap until the first throttle', () => {
    const state = initialAdaptiveState();
    expect(state.rate).to.equal(Infinity);
    expect(rateAt(state, 1e9)).to.equal(Infinity);
    expect(minTimeForRate(Infinity)).to.equal(0);
    expect(initialAdaptiveState({ ...P, maxRate: 7 }).rate).to.equal(7);
  });

  it('decreases from the accepted rate, so one throttle lands near the quota even from unlimited', () => {
    const next = decreaseOnThrottle(initialAdaptiveState(), 5000, 0, 10);
    expect(next.lastMaxRate).to.equal(10);
    expect(next.rate).to.be.closeTo(10 * P.beta, 1e-9);
    expect(next.epoch).to.equal(1);
    expect(rateAt(next, 5000)).to.be.closeTo(10 * P.beta, 1e-9);
  });

  it('a throttle with no accepted request in the window leaves the rate alone (nothing to estimate from)', () => {
    const initial = initialAdaptiveState();
    expect(decreaseOnThrottle(initial, 0, 0, 0)).to.equal(initial);
  });

  it('ignores throttles of requests sent before the last decrease (one decrease per epoch)', () => {
    const once = decreaseOnThrottle(initialAdaptiveState(), 0, 0, 10);
    expect(decreaseOnThrottle(once, 0, 0, 10)).to.equal(once);
    const twice = decreaseOnThrottle(once, 0, 1, 10);
    expect(twice.epoch).to.equal(2);
    expect(twice.lastMaxRate).to.be.closeTo(10 * P.beta, 1e-9); // min(current 10 · beta, accepted 10)
  });

  it('after the first decrease, probes upward exponentially until the next throttle', () => {
    const first = decreaseOnThrottle(initialAdaptiveState(), 0, 0, 4); // a small burst: estimate 4, rate 4 · beta
    expect(first.probing).to.equal(true);
    expect(rateAt(first, P.probeDoublingTime)).to.be.closeTo(2 * 4 * P.beta, 1e-9);
    expect(rateAt(first, 4 * P.probeDoublingTime)).to.be.closeTo(16 * 4 * P.beta, 1e-9);
    const second = decreaseOnThrottle(first, 4 * P.probeDoublingTime, 1, 40); // the real quota measured
    expect(second.probing).to.equal(false);
    expect(second.lastMaxRate).to.equal(40);
    expect(rateAt(second, 4 * P.probeDoublingTime)).to.be.closeTo(40 * P.beta, 1e-9);
  });

  /** The state after a steady-state throttle at reference `w` (past the startup probe), at time 0. */
  const steady = (w: number) => decreaseOnThrottle(decreaseOnThrottle(initialAdaptiveState(), 0, 0, 10 * w), 0, 1, w);

  it('recovers along the CUBIC curve: back at lastMaxRate after recoveryTime, then probes upward', () => {
    const state = steady(10);
    const k = P.recoveryTime;
    const drop = 1 - P.beta; // 0.17 by default
    expect(rateAt(state, 0)).to.be.closeTo(10 * P.beta, 1e-9);
    expect(rateAt(state, k)).to.be.closeTo(10, 1e-9);
    expect(rateAt(state, k / 2)).to.be.closeTo(10 * (1 - drop / 8), 1e-9); // concave: close to 10 already
    expect(rateAt(state, 2 * k)).to.be.closeTo(10 * (1 + drop), 1e-9);
    expect(rateAt(state, 3 * k)).to.be.closeTo(10 * (1 + 8 * drop), 1e-9);
    // Scale-free: the same shape for a 1000-TPS quota.
    const big = steady(1000);
    expect(rateAt(big, k)).to.be.closeTo(1000, 1e-6);
    expect(rateAt(big, 2 * k)).to.be.closeTo(1000 * (1 + drop), 1e-6);
  });

  it('the rate never decreases between throttles and always stays within [minRate, maxRate] (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 2, maxLength: 20 }),
        (first, second, maxRate, twice, gaps) => {
          const parameters = { ...P, maxRate };
          let state = decreaseOnThrottle(initialAdaptiveState(parameters), 0, 0, first, parameters);
          if (twice) state = decreaseOnThrottle(state, 0, 1, second, parameters);
          let t = 0;
          let previous = rateAt(state, 0, parameters);
          for (const gap of gaps) {
            t += gap;
            const rate = rateAt(state, t, parameters);
            if (rate < previous - 1e-9 || rate < parameters.minRate || rate > parameters.maxRate) return false;
            previous = rate;
          }
          return true;
        },
      ),
    );
  });

  it('minTime spaces requests at the rate', () => {
    expect(minTimeForRate(10)).to.equal(100);
    expect(minTimeForRate(3)).to.equal(334);
    expect(minTimeForRate(0.5)).to.equal(2000);
  });

  it('a fluid simulation against a token-bucket server reaches ≥ 95 % of the quota with < 1 % throttled', () => {
    // Requests are sent at the controller's rate in 10 ms steps; the server (quota Q, burst B) accepts one if
    // it has a token. This is the benchmark's setting without the network.
    const result = simulate(10, 10, 120_000, P);
    expect(result.acceptedRate).to.be.greaterThan(0.95 * 10);
    expect(result.throttledFraction).to.be.lessThan(0.01);
  });
});

describe('resilience/AdaptiveRate and SlidingWindowCounter', () => {
  it('counts events in a sliding window', () => {
    const counter = new SlidingWindowCounter(1000);
    for (const t of [0, 100, 900, 1000]) counter.add(t);
    expect(counter.count(1000)).to.equal(3); // (0, 1000]
    counter.add(1500);
    expect(counter.count(1950)).to.equal(2); // (950, 1950]
    expect(counter.rate(1950)).to.equal(2);
    expect(counter.count(5000)).to.equal(0);
  });

  it('keeps memory bounded by the window when only add() is called (no count() between)', () => {
    // AdaptiveRate adds on every success but counts only on a throttle: an unthrottled client adds forever.
    const counter = new SlidingWindowCounter(1000);
    for (let t = 0; t < 100_000; t++) counter.add(t);
    expect(counter.size).to.be.at.most(1000 + 1024);
    expect(counter.count(99_999)).to.equal(1000);
  });

  it('matches a brute-force count, and stays within its memory bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 300 }), query: fc.boolean() }), { maxLength: 3000 }),
        (windowMs, steps) => {
          const counter = new SlidingWindowCounter(windowMs);
          const all: number[] = [];
          let now = 0;
          for (const { dt, query } of steps) {
            now += dt;
            const inWindow = () => all.filter((t) => t > now - windowMs && t <= now).length;
            if (query) expect(counter.count(now)).to.equal(inWindow());
            else {
              counter.add(now);
              all.push(now);
            }
            expect(counter.size).to.be.at.most(inWindow() + Math.max(1024, inWindow()) + 1);
          }
        },
      ),
      { seed: 20261125, numRuns: 60 },
    );
  });

  it('measures accepted requests on the injected clock and decreases once per epoch', async () => {
    const clock = new VirtualClock(10_000);
    const adaptive = new AdaptiveRate({ clock });
    for (let i = 0; i < 12; i++) {
      adaptive.recordSuccess();
      await clock.advance(50);
    }
    const epoch = adaptive.epoch;
    expect(adaptive.recordThrottle(epoch)).to.equal('decreased');
    expect(adaptive.recordThrottle(epoch)).to.equal('stale'); // concurrent throttle of the same epoch
    expect(adaptive.state.lastMaxRate).to.equal(12);
    expect(adaptive.rate()).to.be.closeTo(12 * P.beta, 1e-9);
    await clock.advance(P.probeDoublingTime);
    expect(adaptive.rate()).to.be.closeTo(2 * 12 * P.beta, 1e-9); // the startup probe
  });

  it('an isolated throttle with no recent success leaves the rate alone', () => {
    const adaptive = new AdaptiveRate({ clock: new VirtualClock() });
    expect(adaptive.recordThrottle(0)).to.equal('uninformative');
    expect(adaptive.rate()).to.equal(Infinity);
  });
});

function simulate(quota: number, burst: number, durationMs: number, parameters: typeof P) {
  const step = 10;
  let state = initialAdaptiveState(parameters);
  let tokens = burst;
  let credit = 0;
  let accepted = 0;
  let throttled = 0;
  const window = new SlidingWindowCounter(1000);
  for (let t = 0; t < durationMs; t += step) {
    tokens = Math.min(burst, tokens + (quota * step) / 1000);
    const rate = Math.min(rateAt(state, t, parameters), 1000);
    credit += (rate * step) / 1000;
    while (credit >= 1) {
      credit -= 1;
      if (tokens >= 1) {
        tokens -= 1;
        accepted++;
        window.add(t);
      } else {
        throttled++;
        state = decreaseOnThrottle(state, t, state.epoch, window.count(t), parameters);
        credit = 0;
      }
    }
  }
  return { acceptedRate: accepted / (durationMs / 1000), throttledFraction: throttled / (accepted + throttled) };
}

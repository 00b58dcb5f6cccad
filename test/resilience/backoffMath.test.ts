import { expect } from 'chai';
import fc from 'fast-check';
import { combineWithRetryAfter, fullJitterDelay } from '../../src/resilience/backoffMath.js';
import { parseRetryAfter, retryAfterFromError } from '../../src/resilience/retryAfter.js';

describe('resilience/backoffMath', () => {
  const throttling = { baseMs: 1000, capMs: 20_000 };

  it('full jitter is random × min(cap, base × 2^retry), floored', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => fullJitterDelay(i, throttling, 0.5))).to.deep.equal([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(fullJitterDelay(0, throttling, 0)).to.equal(0);
    expect(fullJitterDelay(2, { baseMs: 100, capMs: 20_000 }, 0.999)).to.equal(399);
  });

  it('full jitter stays inside its envelope for any retry and random (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (retry, random, baseMs, capMs) => {
          const delay = fullJitterDelay(retry, { baseMs, capMs }, random);
          const envelope = Math.min(capMs, baseMs * 2 ** Math.min(retry, 52));
          return Number.isInteger(delay) && delay >= 0 && delay <= envelope && delay === Math.floor(random * envelope);
        },
      ),
    );
  });

  it('a Retry-After hint is honoured (never earlier), bounded by maxRetryAfter', () => {
    expect(combineWithRetryAfter(300, 1500, 60_000)).to.equal(1500);
    expect(combineWithRetryAfter(3000, 1500, 60_000)).to.equal(3000);
    expect(combineWithRetryAfter(300, 3_600_000, 60_000)).to.equal(60_000);
    expect(combineWithRetryAfter(300, undefined, 60_000)).to.equal(300);
    expect(combineWithRetryAfter(300, -5, 60_000)).to.equal(300);
  });

  it('parses x-amz-retry-after (ms) before Retry-After (seconds or HTTP date), case-insensitively', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter({ 'x-amz-retry-after': '1500', 'retry-after': '9' }, now)).to.equal(1500);
    expect(parseRetryAfter({ 'Retry-After': '2' }, now)).to.equal(2000);
    expect(parseRetryAfter({ 'retry-after': new Date(now + 3000).toUTCString() }, now)).to.equal(3000);
    expect(parseRetryAfter({ 'retry-after': new Date(now - 3000).toUTCString() }, now)).to.equal(0);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).to.equal(undefined);
    expect(parseRetryAfter({ 'x-amz-retry-after': 'x' }, now)).to.equal(undefined);
    expect(parseRetryAfter({}, now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
  });

  it('finds the hint on an SDK error or down its cause chain', () => {
    const sdk = Object.assign(new Error('slow down'), { $response: { headers: { 'x-amz-retry-after': '700' } } });
    expect(retryAfterFromError(sdk, 0)).to.equal(700);
    expect(retryAfterFromError(new Error('wrapped', { cause: sdk }), 0)).to.equal(700);
    expect(retryAfterFromError(new Error('plain'), 0)).to.equal(undefined);
    expect(retryAfterFromError(undefined, 0)).to.equal(undefined);
  });
});

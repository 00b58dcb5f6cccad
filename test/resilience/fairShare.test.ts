import { expect } from 'chai';
import fc from 'fast-check';
import { fairShare } from '../../src/resilience/redis/fairShare.js';

describe('resilience/redis/fairShare', () => {
  it('divides tps, burst and maxConcurrent by the number of processes', () => {
    expect(fairShare({ tps: 10, burst: 10, maxConcurrent: 3 }, 2)).to.deep.equal({ tps: 5, burst: 5, maxConcurrent: 1 });
    expect(fairShare({ tps: 5 }, 2)).to.deep.equal({ tps: 2.5, burst: undefined, maxConcurrent: undefined });
  });

  it('unknown or zero peers: the whole limit', () => {
    expect(fairShare({ tps: 6, maxConcurrent: 2 }, undefined)).to.deep.equal({ tps: 6, burst: undefined, maxConcurrent: 2 });
    expect(fairShare({ tps: 6 }, 0).tps).to.equal(6);
  });

  it('N shares together never exceed the limit, and each keeps at least one slot', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 200 }),
        (tps, burst, maxConcurrent, peers) => {
          const share = fairShare({ tps, burst, maxConcurrent }, peers);
          expect(share.tps! * peers).to.be.closeTo(tps, tps * 1e-9);
          expect(share.burst).to.be.at.least(1);
          expect(share.maxConcurrent).to.be.at.least(1);
          if (burst >= peers) expect(share.burst! * peers).to.be.at.most(burst);
          if (maxConcurrent >= peers) expect(share.maxConcurrent! * peers).to.be.at.most(maxConcurrent);
        },
      ),
      { seed: 10 },
    );
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { overlappingRange, type Interval } from '../../../src/core/windows/sessionMerge.js';

describe('core/windows/sessionMerge', () => {
  const sessions: Interval[] = [
    { start: 0, end: 5 },
    { start: 10, end: 15 },
    { start: 20, end: 25 },
  ];

  it('finds nothing in an empty list', () => {
    expect(overlappingRange([], 3, 8)).to.deep.equal({ from: 0, to: 0 });
  });

  it('does not treat touching half-open intervals as overlapping', () => {
    expect(overlappingRange(sessions, 5, 10)).to.deep.equal({ from: 1, to: 1 });
    expect(overlappingRange(sessions, 25, 30)).to.deep.equal({ from: 3, to: 3 });
    expect(overlappingRange(sessions, -5, 0)).to.deep.equal({ from: 0, to: 0 });
  });

  it('finds one, or a bridge over several', () => {
    expect(overlappingRange(sessions, 14, 19)).to.deep.equal({ from: 1, to: 2 });
    expect(overlappingRange(sessions, 4, 11)).to.deep.equal({ from: 0, to: 2 });
    expect(overlappingRange(sessions, -100, 100)).to.deep.equal({ from: 0, to: 3 });
  });

  it('matches a brute-force scan (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 20 }),
        fc.integer({ min: -10, max: 210 }),
        fc.integer({ min: 1, max: 30 }),
        (cuts, start, length) => {
          const points = [...cuts].sort((a, b) => a - b);
          const list: Interval[] = [];
          for (let i = 0; i + 1 < points.length; i += 2) list.push({ start: points[i]!, end: points[i + 1]! });
          const end = start + length;
          const hits = list.map((s, i) => (s.start < end && start < s.end ? i : -1)).filter((i) => i >= 0);
          const { from, to } = overlappingRange(list, start, end);
          if (hits.length === 0) {
            expect(from).to.equal(to);
            expect(list.slice(0, from).every((s) => s.end <= start)).to.equal(true);
            expect(list.slice(from).every((s) => s.start >= end)).to.equal(true);
          } else {
            expect({ from, to }).to.deep.equal({ from: hits[0], to: hits[hits.length - 1]! + 1 });
          }
        },
      ),
      { seed: 11, numRuns: 400 },
    );
  });
});

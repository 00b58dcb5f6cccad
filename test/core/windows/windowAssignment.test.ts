import { expect } from 'chai';
import fc from 'fast-check';
import {
  firstWindowEndingAfter,
  firstWindowStart,
  lastWindowStart,
} from '../../../src/core/windows/windowAssignment.js';

/** Every window start containing `t`, earliest first, from the two functions the fixed-window engine uses. */
function windowStartsOf(t: number, size: number, slide: number, offset: number): number[] {
  const starts: number[] = [];
  for (let s = firstWindowStart(t, size, slide, offset); s <= lastWindowStart(t, slide, offset); s += slide) {
    starts.push(s);
  }
  return starts;
}

/** Every grid start s = offset + k·slide with s <= t < s + size, by enumerating k (no modulo). */
function bruteStarts(t: number, size: number, slide: number, offset: number): number[] {
  const starts: number[] = [];
  const k0 = Math.floor((t - offset - size) / slide) - 2;
  for (let k = k0; offset + k * slide <= t; k++) {
    const s = offset + k * slide;
    if (s <= t && t < s + size) starts.push(s);
  }
  return starts;
}

describe('core/windows/windowAssignment', () => {
  it('puts t == start in the window and t == end in the next one (half-open)', () => {
    expect(lastWindowStart(1000, 1000, 0)).to.equal(1000);
    expect(lastWindowStart(999, 1000, 0)).to.equal(0);
    expect(lastWindowStart(0, 1000, 0)).to.equal(0);
  });

  it('uses a non-negative modulo for negative timestamps and offsets', () => {
    expect(lastWindowStart(-1, 1000, 0)).to.equal(-1000);
    expect(lastWindowStart(-1000, 1000, 0)).to.equal(-1000);
    expect(lastWindowStart(1500, 1000, -300)).to.equal(700);
    expect(lastWindowStart(500, 1000, -300)).to.equal(-300);
    expect(lastWindowStart(500, 1000, 1700)).to.equal(-300);
    expect(lastWindowStart(-2500, 1000, 250)).to.equal(-2750);
  });

  it('assigns each timestamp to size/slide hopping windows, earliest first', () => {
    expect(windowStartsOf(2500, 3000, 1000, 0)).to.deep.equal([0, 1000, 2000]);
    expect(windowStartsOf(2000, 3000, 1000, 0)).to.deep.equal([0, 1000, 2000]);
    expect(windowStartsOf(0, 5000, 1000, 0)).to.deep.equal([-4000, -3000, -2000, -1000, 0]);
    expect(windowStartsOf(7, 10, 4, 0)).to.deep.equal([0, 4]);
    expect(windowStartsOf(9, 10, 4, 0)).to.deep.equal([0, 4, 8]);
  });

  it('finds the first window ending after a time', () => {
    expect(firstWindowEndingAfter(0, 5000, 1000, 0)).to.equal(-4000);
    expect(firstWindowEndingAfter(0, 1000, 1000, 0)).to.equal(0);
    expect(firstWindowEndingAfter(0, 1000, 1000, 300)).to.equal(-700);
  });

  it('matches brute-force enumeration on random input (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (t, a, b, offset) => {
          const size = Math.max(a, b);
          const slide = Math.min(a, b);
          expect(windowStartsOf(t, size, slide, offset)).to.deep.equal(bruteStarts(t, size, slide, offset));
          const first = firstWindowEndingAfter(t, size, slide, offset);
          expect(first + size).to.be.greaterThan(t);
          expect(first - slide + size).to.be.at.most(t);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

import { expect } from 'chai';
import { smoothPath } from '../../../src/core/tracking/smoothPath.js';
import type { Box } from '../../../src/core/geometry.js';

const box = (left: number, width = 0.1): Box => ({ left, top: 0.2, width, height: width * 1.5 });

describe('core/tracking/smoothPath', () => {
  it('preserves linear motion, at the ends too', () => {
    const times = [0, 200, 400, 600, 800, 1000];
    const boxes = times.map((t) => box(0.1 + t / 10_000, 0.1 + t / 100_000));
    smoothPath(times, boxes, 400).forEach((b, i) => {
      expect(b.left).to.be.closeTo(boxes[i]!.left, 1e-12);
      expect(b.width).to.be.closeTo(boxes[i]!.width, 1e-12);
    });
  });

  it('averages out jitter', () => {
    const times = [0, 200, 400, 600, 800];
    const jittery = [0.1, 0.13, 0.1, 0.13, 0.1].map((left) => box(left));
    const smoothed = smoothPath(times, jittery, 400);
    expect(smoothed[2]!.left).to.be.closeTo(0.112, 1e-12);
    const spread = (bs: Box[]) => Math.max(...bs.map((b) => b.left)) - Math.min(...bs.map((b) => b.left));
    expect(spread(smoothed)).to.be.lessThan(spread(jittery) / 2);
  });

  it('keeps boxes with a zero window or a lone point, as copies', () => {
    const boxes = [box(0.1), box(0.3)];
    const out = smoothPath([0, 5000], boxes, 400);
    expect(out).to.deep.equal(boxes);
    expect(out[0]).to.not.equal(boxes[0]);
    expect(smoothPath([0, 200], boxes, 0)).to.deep.equal(boxes);
  });
});

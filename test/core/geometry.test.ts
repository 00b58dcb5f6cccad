import { expect } from 'chai';
import fc from 'fast-check';
import {
  boundingBoxFromBox,
  boxFromBoundingBox,
  iou,
  lerpBox,
  normalizedCentreDistance,
  scaleChange,
} from '../../src/core/geometry.js';
import type { Box } from '../../src/core/geometry.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';

const expectClose = (actual: number, expected: number) =>
  Number.isFinite(expected) ? expect(actual).to.be.closeTo(expected, 1e-12) : expect(actual).to.equal(expected);
const box = (left: number, top: number, width: number, height: number): Box => ({ left, top, width, height });

describe('core/geometry', () => {
  describe('iou', () => {
    // The py-motmetrics distance cases (iou_matrix of [0,0,1,2] against five boxes, as 1 − IoU).
    const cases: [string, Box, Box, number][] = [
      ['identical', box(0, 0, 1, 2), box(0, 0, 1, 2), 1],
      ['half contained', box(0, 0, 1, 2), box(0, 0, 1, 1), 0.5],
      ['touching corner', box(0, 0, 1, 2), box(1, 1, 1, 1), 0],
      ['partial overlap', box(0, 0, 1, 2), box(0.5, 0, 1, 1), 0.2],
      ['lower half', box(0, 0, 1, 2), box(0, 1, 1, 1), 0.5],
      ['disjoint', box(0, 0, 1, 1), box(5, 5, 1, 1), 0],
      ['empty box', box(0, 0, 0, 0), box(0, 0, 0, 0), 0],
    ];
    for (const [name, a, b, expected] of cases) {
      it(name, () => expect(iou(a, b)).to.be.closeTo(expected, 1e-12));
    }
    it('is symmetric and within [0, 1]', () => {
      const arb = fc.record({
        left: fc.double({ min: -1, max: 1, noNaN: true }),
        top: fc.double({ min: -1, max: 1, noNaN: true }),
        width: fc.double({ min: 0, max: 1, noNaN: true }),
        height: fc.double({ min: 0, max: 1, noNaN: true }),
      });
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          const v = iou(a, b);
          expect(v).to.be.within(0, 1 + 1e-12);
          expect(iou(b, a)).to.be.closeTo(v, 1e-12);
        }),
      );
    });
  });

  describe('normalizedCentreDistance', () => {
    const cases: [string, Box, Box, number][] = [
      ['same centre', box(0, 0, 2, 2), box(0.5, 0.5, 1, 1), 0],
      ['one width to the right', box(0, 0, 1, 2), box(1, 0, 1, 2), 1],
      ['one height down', box(0, 0, 1, 2), box(0, 2, 1, 2), 1],
      ['3-4-5', box(0, 0, 1, 2), box(3, 8, 1, 2), 5],
      ['geometric-mean width', box(0, 0, 1, 1), box(2.5, -1.5, 4, 4), 2],
      ['empty', box(0, 0, 0, 1), box(0, 0, 1, 1), Infinity],
    ];
    for (const [name, a, b, expected] of cases) {
      it(name, () => {
        expectClose(normalizedCentreDistance(a, b), expected);
        expectClose(normalizedCentreDistance(b, a), expected);
      });
    }
    it('is scale-free: scaling both boxes keeps the distance', () => {
      const a = box(0.1, 0.2, 0.05, 0.08);
      const b = box(0.17, 0.21, 0.06, 0.09);
      const k = 640;
      const scaled = (x: Box) => box(x.left * k, x.top * k, x.width * k, x.height * k);
      expect(normalizedCentreDistance(scaled(a), scaled(b))).to.be.closeTo(normalizedCentreDistance(a, b), 1e-9);
    });
  });

  describe('scaleChange', () => {
    const cases: [string, Box, Box, number][] = [
      ['same size', box(0, 0, 1, 1), box(9, 9, 1, 1), 0],
      ['twice as large', box(0, 0, 2, 2), box(0, 0, 1, 1), Math.log(2)],
      ['half as large', box(0, 0, 1, 1), box(0, 0, 2, 2), Math.log(2)],
      ['empty', box(0, 0, 0, 1), box(0, 0, 1, 1), Infinity],
    ];
    for (const [name, a, b, expected] of cases) {
      it(name, () => expectClose(scaleChange(a, b), expected));
    }
  });

  it('lerpBox interpolates and extrapolates', () => {
    expect(lerpBox(box(0, 0, 2, 2), box(2, 2, 4, 4), 0.5)).to.deep.equal(box(1, 1, 3, 3));
    expect(lerpBox(box(0, 0, 2, 2), box(2, 2, 4, 4), 2)).to.deep.equal(box(4, 4, 6, 6));
  });

  describe('BoundingBox conversion', () => {
    it('round-trips', () => {
      const bb = { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 };
      expect(boxFromBoundingBox(bb)).to.deep.equal(box(0.1, 0.2, 0.3, 0.4));
      expect(boundingBoxFromBox(boxFromBoundingBox(bb))).to.deep.equal(bb);
    });
    const bad: [string, unknown, RegExp][] = [
      ['missing box', undefined, /`BoundingBox` to be an object/],
      ['missing Left', { Top: 0, Width: 1, Height: 1 }, /`BoundingBox.Left` to be a finite number/],
      ['NaN Top', { Left: 0, Top: Number.NaN, Width: 1, Height: 1 }, /`BoundingBox.Top`/],
      ['negative Width', { Left: 0, Top: 0, Width: -1, Height: 1 }, /`BoundingBox.Width` to be a finite number >= 0/],
      ['string Height', { Left: 0, Top: 0, Width: 1, Height: '1' }, /`BoundingBox.Height`/],
    ];
    for (const [name, value, message] of bad) {
      it(`rejects ${name}`, () => {
        expect(() => boxFromBoundingBox(value as never)).to.throw(InvalidParameterError, message);
      });
    }
    it('names the caller-given parameter', () => {
      expect(() => boxFromBoundingBox({ Left: 0 } as never, 'detections[3].Face.BoundingBox')).to.throw(
        /`detections\[3\]\.Face\.BoundingBox\.Top`/,
      );
    });
  });
});

import { expect } from 'chai';
import { boxIous, type BoxColumns } from '../../src/metrics/boxIous.js';
import { numpyMean, numpySum } from '../../src/metrics/numpySum.js';
import { HOTA_ALPHAS } from '../../src/index.js';

const boxes = (list: readonly (readonly [number, number, number, number])[]): BoxColumns => ({
  count: list.length,
  left: Float64Array.from(list, (b) => b[0]),
  top: Float64Array.from(list, (b) => b[1]),
  width: Float64Array.from(list, (b) => b[2]),
  height: Float64Array.from(list, (b) => b[3]),
});

describe('metrics internals', () => {
  it('HOTA_ALPHAS are numpy.arange(0.05, 0.99, 0.05) bit for bit', () => {
    expect(HOTA_ALPHAS).to.deep.equal([
      0.05, 0.1, 0.15000000000000002, 0.2, 0.25, 0.3, 0.35000000000000003, 0.4, 0.45, 0.5, 0.55, 0.6000000000000001,
      0.6500000000000001, 0.7000000000000001, 0.7500000000000001, 0.8, 0.8500000000000001, 0.9000000000000001,
      0.9500000000000001,
    ]);
  });

  it('numpySum adds in numpy pairwise order (values pinned from numpy 2.4)', () => {
    const values = Array.from({ length: 300 }, (_, i) => 1 / (i + 3));
    expect(numpySum(values)).to.equal(4.789297397713862);
    expect(values.reduce((s, v) => s + v, 0)).to.equal(4.789297397713856); // plain order differs
    expect(numpySum([1, 2, 3])).to.equal(6);
    expect(numpySum([])).to.equal(0);
    expect(numpyMean([1, 2, 3, 4])).to.equal(2.5);
    expect(numpySum(Float64Array.from([5, 1, 2, 3]), 1, 2)).to.equal(3);
  });

  it('boxIous: IoU of xywh boxes (py-motmetrics test_distances case), zero for degenerate boxes', () => {
    const iou = boxIous(boxes([[0, 0, 1, 2]]), boxes([[0, 0, 1, 2], [0, 0, 1, 1], [1, 1, 1, 1], [0.5, 0, 1, 1], [0, 1, 1, 1]]));
    expect([...iou].map((v) => Number(v.toFixed(12)))).to.deep.equal([1, 0.5, 0, 0.2, 0.5]);
    const degenerate = boxIous(boxes([[0, 0, 0, 5], [0, 0, 5, 5]]), boxes([[0, 0, 0, 5], [1, 1, 2, 2]]));
    expect([...degenerate]).to.deep.equal([0, 0, 0, 4 / 25]);
    expect(boxIous(boxes([]), boxes([[0, 0, 1, 1]]))).to.have.length(0);
  });
});

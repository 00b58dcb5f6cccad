import { expect } from 'chai';
import { isWindowClosed, isWindowDue, watermarkOf } from '../../../src/core/windows/watermark.js';

describe('core/windows/watermark', () => {
  it('trails the largest timestamp by the out-of-orderness bound', () => {
    expect(watermarkOf(5000, 0)).to.equal(5000);
    expect(watermarkOf(5000, 1500)).to.equal(3500);
  });

  it('makes a window [start, end) due once the watermark reaches end', () => {
    expect(isWindowDue(1000, 999)).to.equal(false);
    expect(isWindowDue(1000, 1000)).to.equal(true);
    expect(isWindowDue(1000, -Infinity)).to.equal(false);
    expect(isWindowDue(1000, Infinity)).to.equal(true);
  });

  it('closes a window once the watermark reaches end + allowedLateness', () => {
    expect(isWindowClosed(1000, 0, 1000)).to.equal(true);
    expect(isWindowClosed(1000, 500, 1499)).to.equal(false);
    expect(isWindowClosed(1000, 500, 1500)).to.equal(true);
    expect(isWindowClosed(1000, 500, Infinity)).to.equal(true);
  });
});

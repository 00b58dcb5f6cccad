import { expect } from 'chai';
import { from } from 'rxjs';
import { countAggregate, hoppingWindow, InvalidParameterError, type LateItem } from '../../src/index.js';
import { collect, compact, det, operatorChecklist, times, type Detection } from './windowChecklist.js';


describe('hoppingWindow', () => {
  operatorChecklist((options) => hoppingWindow(2000, 1000, options), {
    input: [0, 1500, 2500],
    windows: [
      [-1000, 1000, 1],
      [0, 2000, 2],
      [1000, 3000, 2],
      [2000, 4000, 1],
    ],
  });

  it('puts each item in size/slide windows; t == end is outside', async () => {
    const results = await collect(times(0, 1000).pipe(hoppingWindow(3000, 1000, { aggregate: countAggregate })));
    expect(results.map((r) => [r.start, r.end, r.value])).to.deep.equal([
      [-2000, 1000, 1],
      [-1000, 2000, 2],
      [0, 3000, 2],
      [1000, 4000, 1],
    ]);
  });

  it('handles a slide that does not divide the size, with an offset', async () => {
    const results = await collect(times(7).pipe(hoppingWindow(10, 4, { offset: -1, aggregate: countAggregate })));
    expect(results.map((r) => [r.start, r.end])).to.deep.equal([
      [-1, 9],
      [3, 13],
      [7, 17],
    ]);
  });

  it('equals tumblingWindow when slide == size', async () => {
    const results = await collect(times(0, 999, 1000).pipe(hoppingWindow(1000, 1000, { aggregate: countAggregate })));
    expect(results.map((r) => [r.start, r.value])).to.deep.equal([
      [0, 2],
      [1000, 1],
    ]);
  });

  it('adds a partly late item to its open windows and reports it late too', async () => {
    const late: LateItem<Detection>[] = [];
    const results = await collect(
      times(0, 2000, 1500).pipe(hoppingWindow(2000, 1000, { aggregate: countAggregate, onLate: (l) => late.push(l) })),
    );
    expect(compact(results)).to.deep.equal([
      [-1000, 1000, 'ON_TIME', 0, 1],
      [0, 2000, 'ON_TIME', 0, 1],
      [1000, 3000, 'ON_TIME', 0, 2],
      [2000, 4000, 'ON_TIME', 0, 1],
    ]);
    expect(late.map((l) => l.timestamp)).to.deep.equal([1500]);
  });

  it('fills empty hopping windows from the first window overlapping time 0', async () => {
    const results = await collect(
      times(3500).pipe(hoppingWindow(2000, 1000, { aggregate: countAggregate, emptyWindows: true, durationMillis: 5000 })),
    );
    expect(results.map((r) => [r.start, r.value])).to.deep.equal([
      [-1000, 0],
      [0, 0],
      [1000, 0],
      [2000, 1],
      [3000, 1],
      [4000, 0],
    ]);
  });

  it('validates size and slide eagerly (slide from 1 to size)', () => {
    expect(() => hoppingWindow(0, 1)).to.throw(InvalidParameterError).with.property('parameter', 'size');
    for (const slide of [0, 1.5, 2001]) {
      expect(() => hoppingWindow(2000, slide)).to.throw(InvalidParameterError).with.property('parameter', 'slide');
    }
  });
});

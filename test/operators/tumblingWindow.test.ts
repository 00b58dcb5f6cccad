import { expect } from 'chai';
import { from, Subject } from 'rxjs';
import { countAggregate, InvalidParameterError, tumblingWindow, type LateItem } from '../../src/index.js';
import { collect, compact, det, operatorChecklist, times, type Detection } from './windowChecklist.js';


describe('tumblingWindow', () => {
  operatorChecklist((options) => tumblingWindow(1000, options), {
    input: [0, 400, 900, 1000, 1700, 3100],
    windows: [
      [0, 1000, 3],
      [1000, 2000, 2],
      [3000, 4000, 1],
    ],
  });

  it('collects the items themselves by default, in arrival order', async () => {
    const items = [det(5, 1), det(5, 2), det(7, 3)];
    const [w] = await collect(from(items).pipe(tumblingWindow(10)));
    expect(w!.value).to.deep.equal(items);
    expect(w!.value[0]).to.equal(items[0]);
  });

  describe('boundaries', () => {
    it('half-open: t == start is inside, t == end opens the next window', async () => {
      const results = await collect(times(0, 999, 1000, 1999, 2000).pipe(tumblingWindow(1000, { aggregate: countAggregate })));
      expect(results.map((r) => [r.start, r.end, r.value])).to.deep.equal([
        [0, 1000, 2],
        [1000, 2000, 2],
        [2000, 3000, 1],
      ]);
    });

    it('fires a window exactly when an item at its end arrives (monotonic watermark)', () => {
      const source = new Subject<Detection>();
      const ends: number[] = [];
      source.pipe(tumblingWindow(1000, { aggregate: countAggregate })).subscribe((w) => ends.push(w.end));
      source.next(det(500));
      source.next(det(999));
      expect(ends).to.deep.equal([]);
      source.next(det(1000));
      expect(ends).to.deep.equal([1000]);
    });

    it('keeps equal timestamps on time (several faces in one frame)', async () => {
      const results = await collect(times(1000, 1000, 1000).pipe(tumblingWindow(1000, { aggregate: countAggregate })));
      expect(results.map((r) => r.value)).to.deep.equal([3]);
    });

    it('shifts the grid by a negative or positive offset', async () => {
      const neg = await collect(times(-800, -300, 0, 699, 700).pipe(tumblingWindow(1000, { offset: -300, aggregate: countAggregate })));
      expect(neg.map((r) => [r.start, r.end, r.value])).to.deep.equal([
        [-1300, -300, 1],
        [-300, 700, 3],
        [700, 1700, 1],
      ]);
      const pos = await collect(times(0, 250, 1249).pipe(tumblingWindow(1000, { offset: 1250, aggregate: countAggregate })));
      expect(pos.map((r) => [r.start, r.value])).to.deep.equal([
        [-750, 1],
        [250, 2],
      ]);
    });

    it('accepts negative and fractional timestamps', async () => {
      const results = await collect(times(-1, -0.5, 0.25).pipe(tumblingWindow(1, { aggregate: countAggregate })));
      expect(results.map((r) => [r.start, r.value])).to.deep.equal([
        [-1, 2],
        [0, 1],
      ]);
    });
  });

  describe('watermark and lateness', () => {
    it('accepts items out of order within maxOutOfOrderness', async () => {
      const results = await collect(
        times(0, 1200, 900, 1500, 100).pipe(tumblingWindow(1000, { maxOutOfOrderness: 1000, aggregate: countAggregate })),
      );
      expect(compact(results)).to.deep.equal([
        [0, 1000, 'ON_TIME', 0, 3],
        [1000, 2000, 'ON_TIME', 0, 2],
      ]);
    });

    it('fires late panes within allowedLateness, then routes later items to onLate', async () => {
      const late: LateItem<Detection>[] = [];
      const results = await collect(
        times(0, 1500, 200, 2000, 300, 2100).pipe(
          tumblingWindow(1000, { allowedLateness: 1000, aggregate: countAggregate, onLate: (l) => late.push(l) }),
        ),
      );
      expect(compact(results)).to.deep.equal([
        [0, 1000, 'ON_TIME', 0, 1],
        [0, 1000, 'LATE', 1, 2],
        [1000, 2000, 'ON_TIME', 0, 1],
        [2000, 3000, 'ON_TIME', 0, 2],
      ]);
      expect(results[0]!.pane.isLast).to.equal(false);
      expect(late.map((l) => [l.timestamp, l.watermark])).to.deep.equal([[300, 2000]]);
    });

    it('creates a window for a late item whose window never had items, with a LATE pane', async () => {
      const results = await collect(
        times(0, 2500, 1500).pipe(tumblingWindow(1000, { allowedLateness: 1000, aggregate: countAggregate })),
      );
      expect(compact(results)).to.deep.equal([
        [0, 1000, 'ON_TIME', 0, 1],
        [1000, 2000, 'LATE', 0, 1],
        [2000, 3000, 'ON_TIME', 0, 1],
      ]);
    });

    it('emits EARLY panes every earlyFiringEvery items before the window fires', async () => {
      const results = await collect(
        times(0, 1, 2, 3, 4, 1000).pipe(tumblingWindow(1000, { earlyFiringEvery: 2, aggregate: countAggregate })),
      );
      expect(compact(results)).to.deep.equal([
        [0, 1000, 'EARLY', 0, 2],
        [0, 1000, 'EARLY', 1, 4],
        [0, 1000, 'ON_TIME', 2, 5],
        [1000, 2000, 'ON_TIME', 0, 1],
      ]);
    });

    it('fires keyed windows with the same end in order of their first item', async () => {
      const items = [det(10, 2), det(20, 1), det(30, 3), det(1000, 1)];
      const results = await collect(from(items).pipe(tumblingWindow(1000, { key: (d) => d.id, aggregate: countAggregate })));
      expect(results.map((r) => [r.start, r.key])).to.deep.equal([
        [0, 2],
        [0, 1],
        [0, 3],
        [1000, 1],
      ]);
    });
  });

  describe('emptyWindows', () => {
    it('fills gaps with zero-count windows', async () => {
      const results = await collect(times(0, 3500).pipe(tumblingWindow(1000, { aggregate: countAggregate, emptyWindows: true })));
      expect(results.map((r) => [r.start, r.value])).to.deep.equal([
        [0, 1],
        [1000, 0],
        [2000, 0],
        [3000, 1],
      ]);
    });

    it('starts at time 0 and runs to durationMillis, even with no items at all', async () => {
      const results = await collect(
        times(2500).pipe(tumblingWindow(1000, { aggregate: countAggregate, emptyWindows: true, durationMillis: 4001 })),
      );
      expect(results.map((r) => [r.start, r.value])).to.deep.equal([
        [0, 0],
        [1000, 0],
        [2000, 1],
        [3000, 0],
        [4000, 0],
      ]);
      const none = await collect(times().pipe(tumblingWindow(1000, { emptyWindows: true, durationMillis: 2000 })));
      expect(none.map((r) => [r.start, r.value])).to.deep.equal([
        [0, []],
        [1000, []],
      ]);
    });

    it('emits empty windows while streaming, as the watermark passes them', () => {
      const source = new Subject<Detection>();
      const starts: number[] = [];
      source.pipe(tumblingWindow(1000, { aggregate: countAggregate, emptyWindows: true })).subscribe((w) => starts.push(w.start));
      source.next(det(100));
      source.next(det(4000));
      expect(starts).to.deep.equal([0, 1000, 2000, 3000]);
    });

    it('keeps empty windows open for late items within allowedLateness', async () => {
      const results = await collect(
        times(0, 2500, 1200).pipe(tumblingWindow(1000, { aggregate: countAggregate, emptyWindows: true, allowedLateness: 2000 })),
      );
      expect(compact(results)).to.deep.equal([
        [0, 1000, 'ON_TIME', 0, 1],
        [1000, 2000, 'ON_TIME', 0, 0],
        [1000, 2000, 'LATE', 1, 1],
        [2000, 3000, 'ON_TIME', 0, 1],
      ]);
    });

    it('is rejected with a key', () => {
      expect(() => tumblingWindow(1000, { emptyWindows: true, key: () => 1 }))
        .to.throw(InvalidParameterError)
        .with.property('parameter', 'emptyWindows');
    });
  });

  it('validates size, offset and durationMillis eagerly', () => {
    for (const size of [0, -1, 1.5, NaN, Infinity, '1000']) {
      expect(() => tumblingWindow(size as number)).to.throw(InvalidParameterError).with.property('parameter', 'size');
    }
    expect(() => tumblingWindow(1000, { offset: 0.5 })).to.throw(InvalidParameterError).with.property('parameter', 'offset');
    expect(() => tumblingWindow(1000, { durationMillis: -1 }))
      .to.throw(InvalidParameterError)
      .with.property('parameter', 'durationMillis');
    expect(() => tumblingWindow(1000, { emptyWindows: 'yes' as unknown as boolean }))
      .to.throw(InvalidParameterError)
      .with.property('parameter', 'emptyWindows');
  });
});

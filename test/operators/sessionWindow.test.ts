import { expect } from 'chai';
import { from, Subject } from 'rxjs';
import { countAggregate, InvalidParameterError, sessionWindow, type LateItem } from '../../src/index.js';
import { collect, compact, det, operatorChecklist, times, type Detection } from './windowChecklist.js';


describe('sessionWindow', () => {
  operatorChecklist((options) => sessionWindow(1000, options), {
    input: [0, 500, 900, 4000, 4200, 9000],
    windows: [
      [0, 1900, 3],
      [4000, 5200, 2],
      [9000, 10000, 1],
    ],
  });

  it('starts a new session when items are exactly gap apart (half-open)', async () => {
    const results = await collect(times(0, 999, 1999).pipe(sessionWindow(1000, { aggregate: countAggregate })));
    expect(results.map((r) => [r.start, r.end, r.value])).to.deep.equal([
      [0, 1999, 2],
      [1999, 2999, 1],
    ]);
  });

  it('fires a session when an item gap or more after its last item arrives', () => {
    const source = new Subject<Detection>();
    const ends: number[] = [];
    source.pipe(sessionWindow(1000, { aggregate: countAggregate })).subscribe((w) => ends.push(w.end));
    source.next(det(0));
    source.next(det(999));
    expect(ends).to.deep.equal([]);
    source.next(det(1998));
    expect(ends).to.deep.equal([]);
    source.next(det(2998));
    expect(ends).to.deep.equal([2998]);
  });

  it('merges sessions bridged by an out-of-order item (Kafka Streams javadoc example)', async () => {
    const results = await collect(times(10, 12, 20, 16).pipe(sessionWindow(5, { maxOutOfOrderness: 10, aggregate: countAggregate })));
    expect(compact(results)).to.deep.equal([[10, 25, 'ON_TIME', 0, 4]]);
  });

  it('re-fires a bridged session with a LATE pane within allowedLateness', async () => {
    const results = await collect(times(0, 8, 30, 4).pipe(sessionWindow(5, { allowedLateness: 100, aggregate: countAggregate })));
    expect(compact(results)).to.deep.equal([
      [0, 5, 'ON_TIME', 0, 1],
      [8, 13, 'ON_TIME', 0, 1],
      [0, 13, 'LATE', 1, 3],
      [30, 35, 'ON_TIME', 0, 1],
    ]);
  });

  it('does not merge sessions that a late item only touches', async () => {
    const results = await collect(times(0, 10, 30, 5).pipe(sessionWindow(5, { allowedLateness: 100, aggregate: countAggregate })));
    expect(compact(results)).to.deep.equal([
      [0, 5, 'ON_TIME', 0, 1],
      [10, 15, 'ON_TIME', 0, 1],
      [5, 10, 'LATE', 0, 1],
      [30, 35, 'ON_TIME', 0, 1],
    ]);
  });

  it('re-opens a fired session extended past the watermark by a late item', async () => {
    const results = await collect(
      times(0, 20, 9, 30).pipe(sessionWindow(10, { allowedLateness: 100, maxOutOfOrderness: 5, aggregate: countAggregate })),
    );
    // [0,10) fires when the watermark (20 - 5) passes 10; the late 9 extends it to [0,19): open again, and it
    // fires on time when the watermark (30 - 5) passes 19.
    expect(compact(results)).to.deep.equal([
      [0, 10, 'ON_TIME', 0, 1],
      [0, 19, 'ON_TIME', 1, 2],
      [20, 30, 'ON_TIME', 0, 1],
      [30, 40, 'ON_TIME', 0, 1],
    ]);
  });

  it('routes an item too late for any session to onLate', async () => {
    const late: LateItem<Detection>[] = [];
    const results = await collect(times(0, 5000, 100).pipe(sessionWindow(1000, { onLate: (l) => late.push(l), aggregate: countAggregate })));
    expect(results.map((r) => [r.start, r.value])).to.deep.equal([
      [0, 1],
      [5000, 1],
    ]);
    expect(late.map((l) => [l.timestamp, l.watermark])).to.deep.equal([[100, 5000]]);
  });

  it('rejects an item that would reach into a closed session, instead of starting an overlapping one', async () => {
    const late: number[] = [];
    const results = await collect(
      times(0, 653, 1).pipe(
        sessionWindow(299, { maxOutOfOrderness: 209, allowedLateness: 145, onLate: (l) => late.push(l.timestamp), aggregate: countAggregate }),
      ),
    );
    // [0, 299) closes when the watermark (653 - 209 = 444) reaches 299 + 145; the item at 1 belongs to it.
    expect(results.map((r) => [r.start, r.end, r.value])).to.deep.equal([
      [0, 299, 1],
      [653, 952, 1],
    ]);
    expect(late).to.deep.equal([1]);
  });

  it('judges lateness on the item\'s own session [t, t + gap), before merging (Beam)', async () => {
    const late: number[] = [];
    const input = [0, 50, 100, 150, 200, 250, 300, 60];
    const results = await collect(
      times(...input).pipe(sessionWindow(100, { onLate: (l) => late.push(l.timestamp), aggregate: countAggregate })),
    );
    expect(results.map((r) => [r.start, r.end, r.value])).to.deep.equal([[0, 400, 7]]);
    expect(late).to.deep.equal([60]);
  });

  it('errors, and unsubscribes the source, when aggregate.merge throws on a bridging item', () => {
    const source = new Subject<Detection>();
    const boom = new Error('merge failed');
    let error: unknown;
    source
      .pipe(
        sessionWindow(5, {
          maxOutOfOrderness: 10,
          aggregate: { create: () => 0, add: (n: number) => n + 1, merge: () => { throw boom; }, result: (n: number) => n },
        }),
      )
      .subscribe({ error: (e) => (error = e) });
    for (const t of [10, 12, 20]) source.next(det(t));
    expect(error).to.equal(undefined);
    source.next(det(16));
    expect(error).to.equal(boom);
    expect(source.observed).to.equal(false);
  });

  it('keeps per-key sessions (e.g. per track)', async () => {
    const items = [det(0, 1), det(100, 2), det(900, 1), det(2500, 2), det(2600, 1)];
    const results = await collect(from(items).pipe(sessionWindow(1000, { key: (d) => d.id, aggregate: countAggregate })));
    expect(results.map((r) => [r.key, r.start, r.end, r.value])).to.deep.equal([
      [2, 100, 1100, 1],
      [1, 0, 1900, 2],
      [2, 2500, 3500, 1],
      [1, 2600, 3600, 1],
    ]);
  });

  it('requires aggregate.merge and a positive integer gap, and refuses emptyWindows', () => {
    expect(() => sessionWindow(1000, { aggregate: { create: () => 0, add: (n: number) => n + 1, result: (n: number) => n } }))
      .to.throw(InvalidParameterError)
      .with.property('parameter', 'aggregate.merge');
    for (const gap of [0, -5, 2.5]) {
      expect(() => sessionWindow(gap)).to.throw(InvalidParameterError).with.property('parameter', 'gap');
    }
    expect(() => sessionWindow(1000, { emptyWindows: true } as never))
      .to.throw(InvalidParameterError)
      .with.property('parameter', 'emptyWindows');
  });
});

/**
 * Property tests: the operators against the brute-force references in windowReference.ts, on random input
 * (fixed seeds), including out-of-order input within the bound and late input beyond it.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { from } from 'rxjs';
import {
  countAggregate,
  hoppingWindow,
  sessionWindow,
  tumblingWindow,
  type LateItem,
  type WindowResult,
} from '../../src/index.js';
import { jitter, referenceFixed, sessionsOf, type RefItem, type RefOptions, type RefPane } from './windowReference.js';

const byNumber = (a: number, b: number) => a - b;

/** Runs synchronously (the operators are synchronous) and returns panes in the reference's shape. */
function runFixed(items: readonly RefItem[], o: RefOptions): { panes: RefPane[]; late: number[] } {
  const late: number[] = [];
  const options = {
    timestamp: (d: RefItem) => d.t,
    ...(o.keyed ? { key: (d: RefItem) => d.k } : {}),
    offset: o.offset,
    maxOutOfOrderness: o.maxOutOfOrderness,
    allowedLateness: o.allowedLateness,
    ...(o.earlyFiringEvery > 0 ? { earlyFiringEvery: o.earlyFiringEvery } : {}),
    onLate: (l: LateItem<RefItem, number | undefined>) => late.push(l.item.id),
  };
  const op =
    o.size === o.slide
      ? tumblingWindow<RefItem, number | undefined>(o.size, options)
      : hoppingWindow<RefItem, number | undefined>(o.size, o.slide, options);
  const panes: RefPane[] = [];
  from(items)
    .pipe(op)
    .subscribe((w) =>
      panes.push({
        start: w.start,
        end: w.end,
        key: w.key,
        timing: w.pane.timing,
        index: w.pane.index,
        isLast: w.pane.isLast,
        ids: w.value.map((d) => d.id),
      }),
    );
  return { panes, late };
}

const itemsArb = (maxT: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: -maxT, max: maxT }), fc.integer({ min: 0, max: 2 })), { maxLength: 60 })
    .map((pairs) => pairs.map(([t, k], id): RefItem => ({ t, k, id })));

const fixedOptionsArb = fc
  .record({
    size: fc.integer({ min: 1, max: 400 }),
    ratio: fc.integer({ min: 1, max: 5 }),
    offset: fc.integer({ min: -1000, max: 1000 }),
    maxOutOfOrderness: fc.integer({ min: 0, max: 300 }),
    allowedLateness: fc.integer({ min: 0, max: 300 }),
    keyed: fc.boolean(),
    earlyFiringEvery: fc.constantFrom(0, 0, 1, 3),
  })
  .map(({ size, ratio, ...rest }): RefOptions => ({ size, slide: Math.max(1, Math.floor(size / ratio)), ...rest }));

describe('window operators: properties against brute-force references', () => {
  it('tumbling and hopping equal the reference on random, unordered input (panes incl. early and late, order, late items)', () => {
    fc.assert(
      fc.property(itemsArb(1000), fixedOptionsArb, fc.boolean(), (items, o, tumbling) => {
        const options = tumbling ? { ...o, slide: o.size } : o;
        expect(runFixed(items, options)).to.deep.equal(referenceFixed(items, options));
      }),
      { seed: 20261125, numRuns: 400 },
    );
  });

  it('with input out of order within maxOutOfOrderness: every window fires once, on time, with exactly its items', () => {
    fc.assert(
      fc.property(
        itemsArb(2000),
        fixedOptionsArb,
        fc.array(fc.nat(1000), { minLength: 60, maxLength: 60 }),
        (items, o, shifts) => {
          const sorted = [...items].sort((a, b) => a.t - b.t);
          const arrival = jitter(sorted, shifts, o.maxOutOfOrderness);
          const { panes, late } = runFixed(arrival, { ...o, earlyFiringEvery: 0 });
          expect(late).to.deep.equal([]);
          // Brute force: group by (key, start) over every grid window containing each item.
          const expected = new Map<string, number[]>();
          for (const item of arrival) {
            for (let s = o.offset + Math.floor((item.t - o.offset) / o.slide) * o.slide; s > item.t - o.size; s -= o.slide) {
              const id = `${o.keyed ? item.k : '-'}|${s}`;
              expected.set(id, [...(expected.get(id) ?? []), item.id]);
            }
          }
          expect(panes.every((p) => p.timing === 'ON_TIME' && p.index === 0)).to.equal(true);
          const got = new Map(panes.map((p) => [`${o.keyed ? p.key : '-'}|${p.start}`, p.ids]));
          expect(got.size).to.equal(panes.length);
          expect(got).to.deep.equal(expected);
          const ends = panes.map((p) => p.end);
          expect(ends).to.deep.equal([...ends].sort((a, b) => a - b));
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('sessions equal brute-force sessionisation for input out of order within the bound, per key', () => {
    fc.assert(
      fc.property(
        itemsArb(3000),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        fc.array(fc.nat(1000), { minLength: 60, maxLength: 60 }),
        (items, gap, bound, keyed, shifts) => {
          const arrival = jitter([...items].sort((a, b) => a.t - b.t), shifts, bound);
          const results: WindowResult<RefItem[], number | undefined>[] = [];
          from(arrival)
            .pipe(
              sessionWindow<RefItem, number | undefined>(gap, {
                timestamp: (d) => d.t,
                ...(keyed ? { key: (d: RefItem) => d.k } : {}),
                maxOutOfOrderness: bound,
              }),
            )
            .subscribe((w) => results.push(w));
          expect(results.every((r) => r.pane.timing === 'ON_TIME' && r.pane.isLast)).to.equal(true);
          const keys = keyed ? [0, 1, 2] : [undefined];
          for (const key of keys) {
            const mine = arrival.filter((d) => !keyed || d.k === key);
            const expected = sessionsOf(
              mine.map((d) => d.t),
              gap,
            ).map((s) => ({ ...s, ids: mine.filter((d) => d.t >= s.start && d.t < s.end).map((d) => d.id).sort(byNumber) }));
            const got = results
              .filter((r) => r.key === key)
              .map((r) => ({ start: r.start, end: r.end, ids: r.value.map((d) => d.id).sort(byNumber) }))
              .sort((a, b) => a.start - b.start);
            expect(got).to.deep.equal(expected);
          }
          const ends = results.map((r) => r.end);
          expect(ends).to.deep.equal([...ends].sort((a, b) => a - b));
        },
      ),
      { seed: 99, numRuns: 300 },
    );
  });

  it('sessions on arbitrary late input: nothing lost, and the final sessions are the brute-force sessions of the accepted items', () => {
    fc.assert(
      fc.property(itemsArb(2000), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (items, gap, bound, lateness) => {
        const latest = new Map<string, WindowResult<RefItem[], number>>();
        const late: number[] = [];
        from(items)
          .pipe(
            sessionWindow<RefItem, number>(gap, {
              timestamp: (d) => d.t,
              key: (d) => d.k,
              maxOutOfOrderness: bound,
              allowedLateness: lateness,
              onLate: (l) => late.push(l.item.id),
            }),
          )
          .subscribe((w) => {
            // A merged pane supersedes the panes of the sessions it covers.
            for (const [id, prev] of latest) {
              if (prev.key === w.key && prev.start >= w.start && prev.end <= w.end) latest.delete(id);
            }
            latest.set(`${w.key}|${w.start}|${w.end}`, w);
          });
        const ids = [...[...latest.values()].flatMap((w) => w.value.map((d) => d.id)), ...late].sort((a, b) => a - b);
        expect(ids).to.deep.equal(items.map((d) => d.id));
        // The final sessions of a key are exactly the brute-force sessions of its accepted (not late) items.
        for (const key of [0, 1, 2]) {
          const accepted = items.filter((d) => d.k === key && !late.includes(d.id));
          const expected = sessionsOf(
            accepted.map((d) => d.t),
            gap,
          ).map((s) => ({ ...s, ids: accepted.filter((d) => d.t >= s.start && d.t < s.end).map((d) => d.id).sort(byNumber) }));
          const got = [...latest.values()]
            .filter((w) => w.key === key)
            .map((w) => ({ start: w.start, end: w.end, ids: w.value.map((d) => d.id).sort(byNumber) }))
            .sort((a, b) => a.start - b.start);
          expect(got).to.deep.equal(expected);
        }
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('emptyWindows: every grid window from time 0 to durationMillis (or the last item) once, with brute-force counts', () => {
    fc.assert(
      fc.property(
        itemsArb(3000),
        fixedOptionsArb,
        fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
        (items, o, durationMillis) => {
          const sorted = [...items].sort((a, b) => a.t - b.t);
          const options = {
            timestamp: (d: RefItem) => d.t,
            offset: o.offset,
            aggregate: countAggregate,
            emptyWindows: true,
            ...(durationMillis === undefined ? {} : { durationMillis }),
          };
          const op = o.size === o.slide ? tumblingWindow(o.size, options) : hoppingWindow(o.size, o.slide, options);
          const got: [number, number][] = [];
          from(sorted)
            .pipe(op)
            .subscribe((w) => {
              expect(w.pane).to.deep.equal({ timing: 'ON_TIME', index: 0, isLast: true });
              got.push([w.start, w.value]);
            });
          // Brute force over the grid: every start offset + k·slide in a generous range.
          const counts = new Map<number, number>();
          const lo = Math.min(-o.size, ...sorted.map((d) => d.t)) - 2 * o.size;
          const hi = Math.max(durationMillis ?? 0, ...sorted.map((d) => d.t)) + 2 * o.size;
          const k0 = Math.floor((lo - o.offset) / o.slide);
          for (let g = o.offset + k0 * o.slide; g < hi; g += o.slide) {
            counts.set(g, sorted.filter((d) => d.t >= g && d.t < g + o.size).length);
          }
          const real = [...counts].filter(([, n]) => n > 0).map(([g]) => g);
          const fillBefore = durationMillis ?? Math.max(-Infinity, ...real);
          const expected = [...counts].filter(([g, n]) => n > 0 || (g + o.size > 0 && g < fillBefore));
          expect(got).to.deep.equal(expected);
        },
      ),
      { seed: 123, numRuns: 300 },
    );
  });
});

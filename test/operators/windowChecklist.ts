/**
 * The RxJS operator checklist (rxjs CONTRIBUTING: never, empty, single, multiple, error, never-ending, early
 * disposal, user callback throws) for a window operator, shared by the three operator specs.
 */
import { expect } from 'chai';
import { concat, from, NEVER, Subject, take, tap, throwError, toArray, lastValueFrom, type OperatorFunction } from 'rxjs';
import {
  countAggregate,
  InvalidParameterError,
  InvalidTimestampError,
  LateItemError,
  type WindowAggregate,
  type WindowOptions,
  type WindowResult,
} from '../../src/index.js';

export interface Detection {
  readonly Timestamp: number;
  readonly id?: number;
}

export const det = (Timestamp: number, id?: number): Detection => (id === undefined ? { Timestamp } : { Timestamp, id });

export const collect = <R>(source: import('rxjs').Observable<R>): Promise<R[]> => lastValueFrom(source.pipe(toArray()));

/** Compact form of results for assertions: `[start, end, timing, index, value]`. */
export const compact = <R, K>(results: readonly WindowResult<R, K>[]) =>
  results.map((r) => [r.start, r.end, r.pane.timing, r.pane.index, r.value] as const);

type Factory = <R, K = undefined>(options?: WindowOptions<Detection, K, R>) => OperatorFunction<Detection, WindowResult<R, K>>;

/**
 * @param make builds the operator under test with the given options
 * @param many input for the "many values" case and the windows (start, end, count) it must produce
 */
export function operatorChecklist(
  make: Factory,
  many: { readonly input: readonly number[]; readonly windows: readonly (readonly [number, number, number])[] },
): void {
  describe('operator checklist', () => {
    it('emits nothing and completes on an empty source', async () => {
      expect(await collect(from([] as Detection[]).pipe(make()))).to.deep.equal([]);
    });

    it('emits nothing and never completes on a never-ending source', () => {
      let events = 0;
      const sub = NEVER.pipe(make()).subscribe({ next: () => events++, complete: () => events++ });
      expect(events).to.equal(0);
      sub.unsubscribe();
    });

    it('emits the windows of a single item, on completion', async () => {
      const results = await collect(from([det(1234)]).pipe(make()));
      expect(results).to.have.length.greaterThan(0);
      for (const r of results) {
        expect(r.value).to.deep.equal([det(1234)]);
        expect(r.pane).to.deep.equal({ timing: 'ON_TIME', index: 0, isLast: true });
        expect(r.start).to.be.at.most(1234);
        expect(r.end).to.be.greaterThan(1234);
        expect(r.key).to.equal(undefined);
      }
    });

    it('emits the expected windows for many items, in end order', async () => {
      const results = await collect(from(many.input.map((t) => det(t))).pipe(make({ aggregate: countAggregate })));
      expect(results.map((r) => [r.start, r.end, r.value])).to.deep.equal(many.windows);
    });

    it('fires windows as soon as the watermark passes them, before completion', () => {
      const source = new Subject<Detection>();
      const seen: number[] = [];
      source.pipe(make({ aggregate: countAggregate })).subscribe((w) => seen.push(w.end));
      for (const t of many.input) source.next(det(t));
      const beforeComplete = seen.length;
      expect(beforeComplete).to.be.greaterThan(0);
      source.complete();
      expect(seen.length).to.be.greaterThan(beforeComplete);
    });

    it('propagates a source error without flushing open windows', async () => {
      const source = concat(from([det(0), det(10)]), throwError(() => new Error('boom')));
      const seen: unknown[] = [];
      const error = await new Promise<unknown>((resolve) =>
        source.pipe(make()).subscribe({ next: (w) => seen.push(w), error: resolve }),
      );
      expect((error as Error).message).to.equal('boom');
      expect(seen).to.deep.equal([]);
    });

    it('stops on early unsubscribe: unsubscribes the source and emits nothing more', () => {
      const source = new Subject<Detection>();
      const seen: number[] = [];
      let completed = false;
      source
        .pipe(make({ aggregate: countAggregate }), take(1))
        .subscribe({ next: (w) => seen.push(w.start), complete: () => (completed = true) });
      for (const t of many.input) source.next(det(t));
      expect(seen).to.have.length(1);
      expect(completed).to.equal(true);
      expect(source.observed).to.equal(false);
    });

    it('ignores the rest of a synchronous source after an early unsubscribe', async () => {
      let calls = 0;
      let callsAtFirstWindow = -1;
      const counting: WindowAggregate<Detection, number, number> = {
        create: () => 0,
        add: (n) => (calls++, n + 1),
        merge: (a, b) => a + b,
        result: (n) => n,
      };
      const results = await collect(
        from(many.input.map((t) => det(t))).pipe(
          make({ aggregate: counting }),
          tap(() => (callsAtFirstWindow = calls)),
          take(1),
        ),
      );
      expect(results).to.have.length(1);
      expect(calls).to.equal(callsAtFirstWindow);
    });

    it('errors (and unsubscribes the source) when the aggregate throws', () => {
      for (const stage of ['create', 'add', 'result'] as const) {
        const source = new Subject<Detection>();
        const boom = new Error(`${stage} failed`);
        const aggregate: WindowAggregate<Detection, number, number> = {
          create: () => {
            if (stage === 'create') throw boom;
            return 0;
          },
          add: (n) => {
            if (stage === 'add') throw boom;
            return n + 1;
          },
          merge: (a, b) => a + b,
          result: (n) => {
            if (stage === 'result') throw boom;
            return n;
          },
        };
        let error: unknown;
        source.pipe(make({ aggregate })).subscribe({ error: (e) => (error = e) });
        for (const t of many.input) source.next(det(t));
        source.complete();
        expect(error, stage).to.equal(boom);
        expect(source.observed, stage).to.equal(false);
      }
    });

    it('errors when the timestamp or key selector throws', async () => {
      const boom = new Error('selector');
      const run = (options: WindowOptions<Detection, unknown, unknown>) =>
        collect(from([det(0), det(1)]).pipe(make(options))).then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(await run({ timestamp: () => { throw boom; } })).to.equal(boom);
      expect(await run({ key: () => { throw boom; } })).to.equal(boom);
    });

    it('errors with InvalidTimestampError naming `Timestamp` and the item for a missing or non-finite time', async () => {
      for (const bad of [undefined, NaN, Infinity, '12']) {
        const items = [det(0), { Timestamp: bad } as unknown as Detection];
        const error = await collect(from(items).pipe(make())).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InvalidTimestampError);
        expect((error as Error).message).to.contain('`Timestamp` of item #1');
      }
      const custom = await collect(from([det(0)]).pipe(make({ timestamp: () => NaN }))).catch((e: unknown) => e);
      expect((custom as Error).message).to.contain('`timestamp(item)` of item #0');
    });

    it('errors with LateItemError for a late item without onLate, and passes the onLate error through', async () => {
      const items = [det(0), det(1_000_000), det(1)];
      const error = await collect(from(items).pipe(make())).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LateItemError);
      expect(error).to.include({ timestamp: 1, watermark: 1_000_000 });
      const boom = new Error('onLate');
      const thrown = await collect(from(items).pipe(make({ onLate: () => { throw boom; } }))).catch((e: unknown) => e);
      expect(thrown).to.equal(boom);
    });

    it('sends late items to an onLate function or observer, unchanged', async () => {
      const lateFn: unknown[] = [];
      const late$ = new Subject<unknown>();
      const lateObs: unknown[] = [];
      late$.subscribe((l) => lateObs.push(l));
      const items = [det(0), det(1_000_000), det(1, 7)];
      await collect(from(items).pipe(make({ onLate: (l) => lateFn.push(l) })));
      await collect(from(items).pipe(make({ onLate: late$ })));
      const expected = { item: items[2], timestamp: 1, watermark: 1_000_000, key: undefined };
      expect(lateFn).to.deep.equal([expected]);
      expect(lateObs).to.deep.equal([expected]);
      expect((lateFn[0] as { item: unknown }).item).to.equal(items[2]);
    });

    it('keys windows by the key selector', async () => {
      const items = [det(0, 1), det(1, 2), det(2, 1)];
      const results = await collect(from(items).pipe(make({ key: (d) => d.id, aggregate: countAggregate })));
      expect(new Set(results.map((r) => r.key))).to.deep.equal(new Set([1, 2]));
      for (const r of results) expect(r.value, `key ${r.key}`).to.equal(r.key === 1 ? 2 : 1);
    });

    it('validates options eagerly', () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ maxOutOfOrderness: -1 }, 'maxOutOfOrderness'],
        [{ allowedLateness: NaN }, 'allowedLateness'],
        [{ earlyFiringEvery: 0 }, 'earlyFiringEvery'],
        [{ timestamp: 'Timestamp' }, 'timestamp'],
        [{ key: 1 }, 'key'],
        [{ aggregate: { create: () => 0, add: () => 0 } }, 'aggregate.result'],
        [{ aggregate: null }, 'aggregate'],
        [{ onLate: {} }, 'onLate'],
      ];
      for (const [options, parameter] of bad) {
        expect(() => make(options as WindowOptions<Detection, unknown, unknown>), parameter)
          .to.throw(InvalidParameterError)
          .with.property('parameter', parameter);
      }
    });
  });
}

/** A source of detections at the given timestamps. */
export const times = (...ts: number[]) => from(ts.map((t) => det(t)));

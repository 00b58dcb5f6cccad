import { expect } from 'chai';
import fc from 'fast-check';
import { type FetchedPage, PagePump } from '../../src/source/PagePump.js';
import { createSourceStats } from '../../src/source/SourceStats.js';

interface Pending {
  readonly signal: AbortSignal;
  readonly resolve: (page: FetchedPage<number[]>) => void;
  readonly reject: (error: unknown) => void;
}

/** A pump whose fetches the test resolves by hand. */
function manualPump(options: { hwm: number; lwm: number; pageSize: number; signal?: AbortSignal }) {
  const pending: Pending[] = [];
  const bufferedAtFetch: number[] = [];
  const stats = createSourceStats();
  const pump: PagePump<number[]> = new PagePump<number[]>({
    fetch: (signal) =>
      new Promise((resolve, reject) => {
        bufferedAtFetch.push(pump.buffered);
        pending.push({ signal, resolve, reject });
      }),
    sizeOf: (page) => page.length,
    pageSize: options.pageSize,
    highWaterMark: options.hwm,
    lowWaterMark: options.lwm,
    stats,
    signal: options.signal,
  });
  return { pump, pending, stats, bufferedAtFetch };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('PagePump (pure page-source core)', () => {
  it('is lazy: nothing is fetched before the first pull', async () => {
    const { pending } = manualPump({ hwm: 20, lwm: 10, pageSize: 10 });
    await tick();
    expect(pending).to.have.length(0);
  });

  it('hands a page over only after the next request has gone through its asynchronous chain (it is sent first)', async () => {
    // A fetch that, like the SDK's, takes several microtask steps (middleware, signing) before it writes its
    // request. A consumer that works through a page synchronously would otherwise hold that write back until it
    // is done, and the service would not work on the next page meanwhile.
    const sent: number[] = [];
    let calls = 0;
    const pump = new PagePump<number[]>({
      fetch: async () => {
        const n = ++calls;
        for (let i = 0; i < 20; i++) await Promise.resolve();
        sent.push(n);
        return { page: [n], last: n === 3 };
      },
      sizeOf: (page) => page.length,
      pageSize: 1,
      highWaterMark: 2,
      lowWaterMark: 1,
      stats: createSourceStats(),
    });
    const seen: string[] = [];
    for (;;) {
      const page = await pump.pull();
      if (page === undefined) break;
      seen.push(`page ${page[0]} with requests ${sent.join(',')} sent`);
      pump.release(page.length);
    }
    // Page 1 arrives with request 2 already sent, page 2 with request 3; the last page is handed over at once.
    expect(seen).to.deep.equal(['page 1 with requests 1,2 sent', 'page 2 with requests 1,2,3 sent', 'page 3 with requests 1,2,3 sent']);
  });

  it('keeps one request in flight and prefetches only under the watermarks', async () => {
    const { pump, pending, stats } = manualPump({ hwm: 20, lwm: 10, pageSize: 10 });
    const first = pump.pull();
    expect(pending).to.have.length(1);
    pending[0]!.resolve({ page: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], last: false });
    expect(await first).to.have.length(10);
    // 10 buffered <= lwm 10 and 10 + 10 <= 20: a prefetch starts at once.
    expect(pending).to.have.length(2);
    pending[1]!.resolve({ page: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20], last: false });
    await tick();
    expect(pump.buffered).to.equal(20);
    expect(pending).to.have.length(2); // 20 buffered: no third request
    pump.release(5);
    expect(pending).to.have.length(2); // 15 > lwm
    pump.release(5);
    expect(pending).to.have.length(3); // 10 <= lwm and 10 + 10 <= hwm
    expect(stats.maxBuffered).to.equal(20);
    expect(stats.inFlight).to.equal(1);
    pump.close();
    expect(pending[2]!.signal.aborted).to.equal(true);
    expect(stats.inFlight).to.equal(0);
  });

  it('delivers pages fetched before an error, then the error', async () => {
    const { pump, pending } = manualPump({ hwm: 20, lwm: 10, pageSize: 10 });
    const first = pump.pull();
    pending[0]!.resolve({ page: [1], last: false });
    expect(await first).to.deep.equal([1]);
    pending[1]!.resolve({ page: [2], last: false });
    await tick();
    pending[2]!.reject(new Error('boom'));
    await tick();
    expect(await pump.pull()).to.deep.equal([2]);
    pump.release(2);
    let caught: unknown;
    await pump.pull().catch((e: unknown) => (caught = e));
    expect((caught as Error).message).to.equal('boom');
    expect(pending).to.have.length(3);
  });

  it('ends after the last page and never fetches past it', async () => {
    const { pump, pending } = manualPump({ hwm: 20, lwm: 10, pageSize: 10 });
    const first = pump.pull();
    pending[0]!.resolve({ page: [1, 2], last: true });
    expect(await first).to.deep.equal([1, 2]);
    pump.release(2);
    expect(await pump.pull()).to.equal(undefined);
    expect(pending).to.have.length(1);
  });

  it('close() aborts the request in flight and resolves the pending pull with the end', async () => {
    const { pump, pending } = manualPump({ hwm: 20, lwm: 10, pageSize: 10 });
    const first = pump.pull();
    pump.close();
    expect(await first).to.equal(undefined);
    expect(pending[0]!.signal.aborted).to.equal(true);
    pending[0]!.resolve({ page: [1], last: false }); // late answer is ignored
    expect(await pump.pull()).to.equal(undefined);
  });

  it('an aborted signal rejects pulls with an AbortError and aborts the fetch', async () => {
    const controller = new AbortController();
    const { pump, pending } = manualPump({ hwm: 20, lwm: 10, pageSize: 10, signal: controller.signal });
    const first = pump.pull();
    controller.abort();
    let caught: unknown;
    await first.catch((e: unknown) => (caught = e));
    expect((caught as Error).name).to.equal('AbortError');
    expect(pending[0]!.signal.aborted).to.equal(true);
  });

  it('property: any consumption pattern gets every item once, in order, within the high-water mark', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 10, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        async (sizes, hwm, lwmRaw, steps) => {
          const lwm = Math.min(lwmRaw, hwm);
          let next = 0;
          let fetches = 0;
          const bufferedAtFetch: number[] = [];
          const stats = createSourceStats();
          const pump: PagePump<number[]> = new PagePump<number[]>({
            fetch: async () => {
              bufferedAtFetch.push(pump.buffered);
              const size = sizes[fetches++]!;
              await Promise.resolve();
              const page = Array.from({ length: size }, () => next++);
              return { page, last: fetches === sizes.length };
            },
            sizeOf: (p) => p.length,
            pageSize: 10,
            highWaterMark: hwm,
            lowWaterMark: lwm,
            stats,
          });
          const seen: number[] = [];
          let step = 0;
          for (;;) {
            const page = await pump.pull();
            if (page === undefined) break;
            for (const item of page) {
              seen.push(item);
              // Consume in bursts of steps[i] items; yield to let prefetches land in between.
              if (++step % steps[step % steps.length]! === 0) await Promise.resolve();
              pump.release(1);
            }
          }
          expect(seen).to.deep.equal(Array.from({ length: next }, (_, i) => i));
          expect(fetches).to.equal(sizes.length);
          expect(stats.maxBuffered).to.be.at.most(hwm);
          for (const b of bufferedAtFetch) expect(b).to.be.at.most(lwm);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

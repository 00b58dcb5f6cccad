import { expect } from 'chai';
import { PagePrefetcher, type PreparedPage } from '../../src/emulator/handlers/PagePrefetcher.js';

const idle = () => new Promise<void>((resolve) => setImmediate(resolve));
const pageOf = (count: number): PreparedPage => ({ pieces: [Buffer.from(`${count}`)], count, more: true });

describe('PagePrefetcher', () => {
  it('prepares a page in idle time and hands it out once, for the exact job, position and size', async () => {
    const p = new PagePrefetcher();
    let calls = 0;
    p.schedule('job', 1000, 1000, () => {
      calls++;
      return pageOf(1000);
    });
    expect(p.take('job', 1000, 1000)).to.equal(undefined); // not yet: prepared when idle
    await idle();
    expect(calls).to.equal(1);
    expect(p.take('job', 1000, 500)).to.equal(undefined);
    expect(p.take('job', 999, 1000)).to.equal(undefined);
    expect(p.take('other', 1000, 1000)).to.equal(undefined);
    expect(p.take('job', 1000, 1000)?.count).to.equal(1000);
    expect(p.take('job', 1000, 1000)).to.equal(undefined);
  });

  it('keeps at most `capacity` pages (oldest dropped) and nothing after close', async () => {
    const p = new PagePrefetcher(2);
    for (let i = 0; i < 3; i++) p.schedule(`job${i}`, 0, 10, () => pageOf(i));
    await idle();
    expect(p.take('job0', 0, 10)).to.equal(undefined);
    expect(p.take('job1', 0, 10)?.count).to.equal(1);
    expect(p.take('job2', 0, 10)?.count).to.equal(2);
    p.schedule('late', 0, 10, () => pageOf(9));
    p.close();
    await idle();
    expect(p.take('late', 0, 10)).to.equal(undefined);
    let called = false;
    p.schedule('after', 0, 10, () => {
      called = true;
      return pageOf(1);
    });
    await idle();
    expect(called).to.equal(false);
  });

  it('with a cache budget keeps served pages (least recently used out) and prepares nothing it holds', async () => {
    const p = new PagePrefetcher(4, 10); // pageOf(n) is the bytes of `${n}`
    expect(p.caching).to.equal(true);
    p.keep('job', 0, 10, pageOf(1234)); // 4 bytes
    p.schedule('job', 10, 10, () => pageOf(5678));
    await idle();
    expect(p.take('job', 10, 10)?.count).to.equal(5678); // prepared, served, now kept (8 bytes)
    expect(p.take('job', 10, 10)?.count).to.equal(5678); // served again from the cache
    expect(p.take('job', 0, 10)?.count).to.equal(1234); // now the most recently used
    p.keep('job', 20, 10, pageOf(999)); // 11 bytes: evicts the least recently used (job:10)
    expect(p.take('job', 10, 10)).to.equal(undefined);
    expect(p.take('job', 0, 10)?.count).to.equal(1234);
    expect(p.take('job', 20, 10)?.count).to.equal(999);
    let prepared = 0;
    p.schedule('job', 0, 10, () => {
      prepared++;
      return pageOf(1);
    });
    await idle();
    expect(prepared).to.equal(0); // cached: nothing to prepare
    p.keep('big', 0, 10, pageOf(12345678901)); // larger than the whole budget: not kept
    expect(p.take('big', 0, 10)).to.equal(undefined);
    p.close();
    expect(p.caching).to.equal(false);
    expect(p.take('job', 0, 10)).to.equal(undefined);
  });

  it('without a budget hands a page out once and keeps nothing', () => {
    const p = new PagePrefetcher();
    expect(p.caching).to.equal(false);
    p.keep('job', 0, 10, pageOf(1));
    expect(p.take('job', 0, 10)).to.equal(undefined);
  });
});

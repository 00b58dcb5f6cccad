import { expect } from 'chai';
import { AdaptivePacer } from '../../src/resilience/AdaptivePacer.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

describe('resilience/AdaptivePacer (virtual time)', () => {
  function setup(initialRate: number) {
    const clock = new VirtualClock(0);
    let rate = initialRate;
    const pacer = new AdaptivePacer(clock, () => rate);
    const starts: { id: number; at: number }[] = [];
    const run = (id: number, signal?: AbortSignal) =>
      pacer.schedule(async () => {
        starts.push({ id, at: clock.now() });
        return id;
      }, signal);
    return { clock, pacer, starts, run, setRate: (r: number) => (rate = r) };
  }

  it('with an unlimited rate, starts tasks at once without timers', async () => {
    const { clock, run, starts } = setup(Infinity);
    expect(await Promise.all([run(1), run(2), run(3)])).to.deep.equal([1, 2, 3]);
    expect(starts.map((s) => s.at)).to.deep.equal([0, 0, 0]);
    expect(clock.sleeps).to.deep.equal([]);
  });

  it('spaces starts 1/rate apart, in FIFO order', async () => {
    const { clock, run, starts } = setup(5);
    const all = Promise.all([run(1), run(2), run(3), run(4)]);
    await clock.runAll();
    expect(await all).to.deep.equal([1, 2, 3, 4]);
    expect(starts).to.deep.equal([
      { id: 1, at: 0 },
      { id: 2, at: 200 },
      { id: 3, at: 400 },
      { id: 4, at: 600 },
    ]);
  });

  it('a rate decrease applies to the task already waiting once woken', async () => {
    const { clock, pacer, run, starts, setRate } = setup(10);
    const all = Promise.all([run(1), run(2), run(3)]);
    await clock.advance(50); // task 2 is due at 100
    setRate(2);
    pacer.wake();
    await clock.runAll();
    await all;
    expect(starts.map((s) => s.at)).to.deep.equal([0, 500, 1000]);
  });

  it('a slower rate known to end (a trial window) is read again at its end, not slept out', async () => {
    const starts = async (withEnd: boolean) => {
      const clock = new VirtualClock(0);
      // 0.5/s until 1000 (a trial window at the minimum rate), 10/s after it.
      const rate = () => (clock.now() < 1000 ? 0.5 : 10);
      const steadyUntil = () => (clock.now() < 1000 ? 1000 : Infinity);
      const pacer = withEnd ? new AdaptivePacer(clock, rate, steadyUntil) : new AdaptivePacer(clock, rate);
      const at: number[] = [];
      const task = async () => void at.push(clock.now());
      const all = Promise.all([pacer.schedule(task), pacer.schedule(task), pacer.schedule(task)]);
      await clock.runAll();
      await all;
      return at;
    };
    expect(await starts(true)).to.deep.equal([0, 1000, 1100]);
    // Without the end, the second start waits the whole interval of 0.5/s.
    expect(await starts(false)).to.deep.equal([0, 2000, 2100]);
  });

  it('an abort while waiting rejects at once; the others keep their turn', async () => {
    const { clock, run, starts, pacer } = setup(10);
    const controller = new AbortController();
    const first = run(1);
    const second = run(2, controller.signal).catch((e: unknown) => e);
    const third = run(3);
    expect(pacer.waiting).to.equal(2);
    controller.abort();
    expect(((await second) as Error).name).to.equal('AbortError');
    expect(pacer.waiting).to.equal(1);
    await clock.runAll();
    expect([await first, await third]).to.deep.equal([1, 3]);
    expect(starts).to.deep.equal([
      { id: 1, at: 0 },
      { id: 3, at: 100 },
    ]);
  });

  it('failWaiting rejects every waiting task', async () => {
    const { run, pacer } = setup(1);
    await run(1);
    const waiting = [run(2), run(3)].map((p) => p.catch((e: unknown) => (e as Error).message));
    pacer.failWaiting(new Error('closed'));
    expect(await Promise.all(waiting)).to.deep.equal(['closed', 'closed']);
  });
});

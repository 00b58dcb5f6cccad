import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('emulator fault injection', () => {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const get = (jobId: string) => t!.client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: 1 }));

  it('TPS quota: a token bucket with burst, per operation, in clock time', async () => {
    const clock = new VirtualClock();
    t = await startTestEmulator({ clock, faults: { tps: { GetFaceDetection: { rate: 2, burst: 3 } } } });
    const jobId = await t.startJob();
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(await outcome(get(jobId)));
    expect(burst).to.deep.equal(['ok', 'ok', 'ok', 'ProvisionedThroughputExceededException', 'ProvisionedThroughputExceededException']);
    await clock.advance(499);
    expect(await outcome(get(jobId))).to.equal('ProvisionedThroughputExceededException');
    await clock.advance(1);
    expect(await outcome(get(jobId))).to.equal('ok');
    expect(await outcome(get(jobId))).to.equal('ProvisionedThroughputExceededException');
    // Start is not limited by the GetFaceDetection quota.
    await t.startJob('other');
    await clock.advance(10_000);
    const refilled = [];
    for (let i = 0; i < 4; i++) refilled.push(await outcome(get(jobId)));
    expect(refilled).to.deep.equal(['ok', 'ok', 'ok', 'ProvisionedThroughputExceededException']);
    const counters = t.emu.counters();
    expect(counters.throttled).to.equal(5);
    expect(counters.byError.ProvisionedThroughputExceededException).to.equal(5);
    t.emu.faults.setTps('GetFaceDetection', undefined);
    expect(await outcome(get(jobId))).to.equal('ok');
  });

  it('scripted sequences apply to the next matching requests, in order; assertAllConsumed checks them', async () => {
    t = await startTestEmulator();
    const jobId = await t.startJob();
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'throttle', times: 3 }, { operation: 'GetFaceDetection', fault: 'internal' });
    t.emu.faults.script({ operation: 'StartFaceDetection', fault: 'throttle-500' });
    expect(() => t!.emu.faults.assertAllConsumed()).to.throw(/throttle×3 on GetFaceDetection.*internal×1.*throttle-500×1 on StartFaceDetection/);
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await outcome(get(jobId)));
    expect(seen).to.deep.equal(['ThrottlingException', 'ThrottlingException', 'ThrottlingException', 'InternalServerError', 'ok']);
    expect(t.emu.faults.pending()).to.deep.equal([{ operation: 'StartFaceDetection', fault: 'throttle-500', times: 1 }]);
    expect(await outcome(t.startJob())).to.equal('ThrottlingException');
    t.emu.faults.assertAllConsumed();
    const log = t.emu.requests();
    expect(log.filter((r) => r.fault !== undefined).map((r) => `${r.operation}:${r.fault}:${r.status}`)).to.deep.equal([
      'GetFaceDetection:throttle:400',
      'GetFaceDetection:throttle:400',
      'GetFaceDetection:throttle:400',
      'GetFaceDetection:internal:500',
      'StartFaceDetection:throttle-500:500',
    ]);
    expect(log.every((r) => r.accessKeyId === 'AKIDTEST')).to.equal(true);
    const c = t.emu.counters();
    expect(c.requests).to.equal(7);
    expect(c.byOperation).to.deep.equal({ StartFaceDetection: 2, GetFaceDetection: 5 });
    expect(c.errors).to.equal(5);
    expect(c.throttled).to.equal(4);
    expect(c.faults).to.equal(5);
    expect(c.pages).to.equal(1);
    expect(c.detections).to.equal(1);
    t.emu.resetLog();
    expect(t.emu.counters().requests).to.equal(0);
    expect(t.emu.requests()).to.have.length(0);
  });

  it('injected latency holds the answer for clock time', async () => {
    const clock = new VirtualClock();
    t = await startTestEmulator({ clock });
    const jobId = await t.startJob();
    t.emu.faults.script({ fault: 'latency', latencyMs: 3000 });
    let settled = false;
    const pending = get(jobId).then((page) => {
      settled = true;
      return page;
    });
    for (let i = 0; i < 50 && clock.pending === 0; i++) await clock.settle();
    expect(clock.pending).to.equal(1);
    await clock.advance(2999);
    expect(settled).to.equal(false);
    await clock.advance(1);
    expect((await pending).Faces).to.have.length(1);
  });

  it('dropped connections reach the SDK as network errors; the server keeps serving', async () => {
    t = await startTestEmulator();
    const jobId = await t.startJob();
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'drop', times: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await get(jobId).then(
        () => undefined,
        (e: Error & { code?: string; $metadata?: unknown }) => e,
      );
      expect(err).to.be.instanceOf(Error);
      expect(err!.name).to.not.match(/Exception$/);
    }
    expect(await outcome(get(jobId))).to.equal('ok');
    expect(t.emu.counters().dropped).to.equal(2);
  });

  it('random faults follow their seeded rates and are reproducible', async () => {
    const run = async () => {
      const emu = await startTestEmulator({
        seed: 77,
        faults: { random: { throttle: 0.2, throttle500: 0.1, internal: 0.1, operations: ['GetFaceDetection'] } },
      });
      try {
        const jobId = await emu.startJob();
        const seen: string[] = [];
        for (let i = 0; i < 200; i++) {
          seen.push(await outcome(emu.client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: 1 }))));
        }
        return { seen, counters: emu.emu.counters() };
      } finally {
        await emu.close();
      }
    };
    const a = await run();
    const b = await run();
    expect(a.seen).to.deep.equal(b.seen);
    const throttles = a.seen.filter((s) => s === 'ThrottlingException').length;
    const internal = a.seen.filter((s) => s === 'InternalServerError').length;
    expect(throttles).to.be.within(30, 90); // expected ≈ 0.2·200 + 0.1·0.8·200 = 56
    expect(internal).to.be.within(5, 30); // ≈ 0.1·0.72·200 = 14
    expect(a.counters.throttled).to.equal(throttles);
  });

  it('rejects invalid fault settings eagerly', async () => {
    t = await startTestEmulator();
    expect(() => t!.emu.faults.script({ fault: 'nope' as never })).to.throw(/Unknown fault/);
    expect(() => t!.emu.faults.script({ fault: 'throttle', times: 0 })).to.throw(/times/);
    expect(() => t!.emu.faults.setTps('GetFaceDetection', { rate: 0 })).to.throw(/rate/);
    expect(() => t!.emu.faults.setRandom({ throttle: 2 })).to.throw(/probability/);
  });
});

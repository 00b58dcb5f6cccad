import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { startEmulator } from '../../src/emulator/index.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { failure } from './failure.js';

describe('emulator limits and shutdown', () => {
  it('close() ends at once, even with an injected latency of an hour pending', async () => {
    const t = await startTestEmulator();
    const jobId = await t.startJob();
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'latency', latencyMs: 3_600_000 });
    const pending = failure(() => t.client.send(new GetFaceDetectionCommand({ JobId: jobId })));
    // The scripted fault is consumed when the request reaches it: then the hour-long wait has begun.
    while (t.emu.faults.pending().length > 0) await new Promise((r) => setImmediate(r));
    await t.close();
    const err = await pending;
    expect(err.name).to.not.match(/Exception$/); // a network error: the connection was closed
    await t.close(); // idempotent
  });

  it('forgets the oldest jobs beyond maxRetainedJobs and keeps only requestLogSize log entries', async () => {
    const t = await startTestEmulator({ maxRetainedJobs: 3, requestLogSize: 4 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await t.startJob(`clip-${i}`));
      expect(t.emu.jobs().map((j) => j.jobId)).to.deep.equal(ids.slice(2));
      const err = await failure(() => t.client.send(new GetFaceDetectionCommand({ JobId: ids[0] })));
      expect(err.name).to.equal('ResourceNotFoundException');
      const log = t.emu.requests();
      expect(log).to.have.length(4);
      expect(log.map((e) => e.seq)).to.deep.equal([3, 4, 5, 6]);
      expect(t.emu.counters().requests).to.equal(6);
    } finally {
      await t.close();
    }
  });

  it('validates its options eagerly, naming the option', async () => {
    for (const [options, name] of [
      [{ port: 70_000 }, 'port'],
      [{ seed: 1.5 }, 'seed'],
      [{ processingTimeMs: -1 }, 'processingTimeMs'],
      [{ maxConcurrentJobs: 0 }, 'maxConcurrentJobs'],
      [{ credentials: [] }, 'credentials'],
      [{ credentials: [{ accessKeyId: 'a', secretAccessKey: '' }] }, 'credentials[0].secretAccessKey'],
      [{ onRequest: 'nope' }, 'onRequest'],
      [{ headersTimeoutMs: 0 }, 'headersTimeoutMs'],
      [{ requestTimeoutMs: 1.5 }, 'requestTimeoutMs'],
      [{ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }, 'requestTimeoutMs'],
    ] as const) {
      const err = await startEmulator(options as never).then(
        async (emu) => {
          await emu.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(err, name).to.be.instanceOf(InvalidParameterError);
      expect((err as InvalidParameterError).parameter).to.equal(name);
    }
  });
});

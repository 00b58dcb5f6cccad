import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { ServiceError } from '../../src/errors/ServiceError.js';
import { createRequestPolicy, type ResilientPolicy } from '../../src/resilience/createRequestPolicy.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { createRekognitionClient } from '../../src/source/createRekognitionClient.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { withFastGetFaceDetection } from '../../src/source/fastGetFaceDetection/withFastGetFaceDetection.js';
import { createTestClient, startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { driveUntilSettled, VirtualClock } from '../helpers/VirtualClock.js';

/** Resolves once `condition()` holds (checked after each turn of the event loop). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
}

describe('faceDetections: a server that does not answer never hangs the stream (real SDK over loopback)', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let jobId: string;
  let expected: string[];
  let clock: VirtualClock;
  let policy: ResilientPolicy;

  before(async () => {
    t = await startTestEmulator({ seed: 12 });
    jobId = await t.startJob('preset=meeting,duration=30s.mp4');
    const all = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()));
    expected = all.map((d) => JSON.stringify(d));
    expect(expected.length).to.be.greaterThan(150); // more than three pages of 50
  });
  after(() => t.close());
  beforeEach(() => {
    t.emu.faults.clear();
    t.emu.resetLog();
    clock = new VirtualClock();
    policy = createRequestPolicy({ adaptive: false, retries: 2, attemptTimeout: 5000, clock, transientBackoff: { baseMs: 0, capMs: 0 } });
  });
  afterEach(() => policy.close());

  const read = (client = t.client) =>
    driveUntilSettled(
      clock,
      lastValueFrom(faceDetections({ client, jobId, maxResults: 50, policy }).pipe(toArray())).then((all) => all.map((d) => JSON.stringify(d))),
    );

  for (const fault of ['hang', 'stall'] as const) {
    const what = fault === 'hang' ? 'no answer at all' : 'headers and part of a body, then nothing';
    it(`${fault} (${what}) on every attempt: each is aborted after attemptTimeout, then a typed error`, async () => {
      t.emu.faults.script({ operation: 'GetFaceDetection', fault, after: 1, times: 3 });
      const error = (await read().catch((e: unknown) => e)) as ServiceError;
      expect(error).to.be.instanceOf(ServiceError);
      expect(error).to.include({ serviceCode: 'AttemptTimeout', attempts: 3, retryable: true });
      expect(error.message).to.not.match(/[\r\n]/);
      t.emu.faults.assertAllConsumed();
      // Each held request was given up by the client (its connection closed), so the emulator logged it.
      await until(() => t.emu.requests().filter((r) => r.fault === fault).length === 3);
    });

    for (const parser of ['sdk', 'fast'] as const) {
      it(`${parser}: ${fault} once, then answers: every detection exactly once`, async () => {
        t.emu.faults.script({ operation: 'GetFaceDetection', fault, after: 2 });
        const client = parser === 'fast' ? withFastGetFaceDetection(createTestClient(t.emu.endpoint)) : t.client;
        try {
          expect(await read(client)).to.deep.equal(expected);
        } finally {
          if (client !== t.client) client.destroy();
        }
        t.emu.faults.assertAllConsumed();
      });
    }
  }

  it("the client's idle timeout catches a body that stalls after the headers, without a policy timeout", async () => {
    const client = createRekognitionClient({
      endpoint: t.emu.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      idleTimeout: 300,
      fastPath: true,
    });
    const untimed = createRequestPolicy({ adaptive: false, retries: 2, attemptTimeout: Infinity, transientBackoff: { baseMs: 0, capMs: 0 } });
    try {
      t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'stall', after: 1, times: 3 });
      const error = (await lastValueFrom(faceDetections({ client, jobId, maxResults: 50, policy: untimed }).pipe(toArray())).catch(
        (e: unknown) => e,
      )) as ServiceError;
      expect(error).to.be.instanceOf(ServiceError);
      expect(error).to.include({ retryable: true, attempts: 3 });
      expect(error.message).to.match(/TimeoutError: .*timed out after 300 ms of inactivity/);
      expect(error.message).to.not.match(/[\r\n]/);
      t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'hang', after: 1 });
      const all = await lastValueFrom(faceDetections({ client, jobId, maxResults: 50, policy: untimed }).pipe(toArray()));
      expect(all.map((d) => JSON.stringify(d))).to.deep.equal(expected);
    } finally {
      client.destroy();
      await untimed.close();
    }
  });

  it('createRekognitionClient validates its timeouts before any request', () => {
    for (const [name, value] of [
      ['connectionTimeout', 0],
      ['idleTimeout', -5],
      ['idleTimeout', Number.NaN],
    ] as const) {
      expect(() => createRekognitionClient({ region: 'us-east-1', [name]: value })).to.throw(new RegExp(name));
    }
  });
});

import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { PaginationError } from '../../src/errors/PaginationError.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import type { FaceDetection } from '../../src/types.js';
import { createTestClient } from '../helpers/emulator.js';
import { driveUntilSettled, VirtualClock } from '../helpers/VirtualClock.js';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';

/** Subscribes and collects what arrives until the stream ends or fails. */
function collect(stream: ReturnType<typeof faceDetections>): Promise<{ items: FaceDetection[]; error: unknown }> {
  const items: FaceDetection[] = [];
  return new Promise((resolve) =>
    stream.subscribe({ next: (d) => items.push(d), error: (error: unknown) => resolve({ items, error }), complete: () => resolve({ items, error: undefined }) }),
  );
}

describe('faceDetections: endless pagination and token recovery (real SDK over loopback)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let emuClock: VirtualClock;
  let client: RekognitionClient;
  let jobId: string;

  beforeEach(async () => {
    emuClock = new VirtualClock(1_000_000);
    emu = await startEmulator({ seed: 4, processingTimeMs: 0, clock: emuClock, tokenTtlMs: 60_000 });
    client = createTestClient(emu.endpoint);
    const started = await client.send(
      new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'test', Name: 'preset=walkers,duration=4m.mp4' } } }),
    );
    jobId = started.JobId!;
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
  });

  const gets = () => emu.counters().byOperation.GetFaceDetection ?? 0;

  it('a service that cycles through 20 tokens: REPEATED_TOKEN after one round, no page twice', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({
        JobStatus: 'SUCCEEDED',
        JobId: jobId,
        Faces: [{ Timestamp: 40 * i, Face: { Confidence: 99 } }],
        NextToken: `cycle-${(i + 1) % 20}`,
      }),
    );
    emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', body: bodies, times: 1000 });
    const { items, error } = await collect(faceDetections({ client, jobId, policy: directPolicy }));
    expect(error).to.be.instanceOf(PaginationError);
    expect(error).to.include({ reason: 'REPEATED_TOKEN', emitted: 20 });
    expect(items.map((d) => d.Timestamp)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 40 * i));
    expect(gets()).to.equal(21);
  });

  it('empty pages that each carry a new token: paced to a few requests/s, then NO_PROGRESS', async () => {
    emu.faults.script({
      operation: 'GetFaceDetection',
      fault: 'body',
      body: `{"JobStatus":"SUCCEEDED","JobId":"${jobId}","Faces":[],"NextToken":"empty-{n}"}`,
      times: 10_000,
    });
    const clock = new VirtualClock();
    const { items, error } = await driveUntilSettled(clock, collect(faceDetections({ client, jobId, policy: directPolicy, clock })), 250);
    expect(error).to.be.instanceOf(PaginationError);
    expect(error).to.include({ reason: 'NO_PROGRESS', emitted: 0 });
    expect(items).to.deep.equal([]);
    expect(gets()).to.equal(100);
    // 100 requests over more than 20 s of (virtual) time: the spin is capped, not ~300 requests/s.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).to.be.greaterThan(20_000);
  });

  it('a token that expires four times, each after progress, is recovered every time (default bound 3)', async () => {
    const total = emu.video(jobId).detectionCount();
    const stream = faceDetections({ client, jobId, maxResults: 200, policy: directPolicy });
    let count = 0;
    for await (const _ of stream) {
      count++;
      // A long pause of the consumer: every token issued so far expires.
      if (count % Math.floor(total / 5) === 0 && count < total) await emuClock.advance(120_000);
    }
    expect(count).to.equal(total);
    expect(stream.stats.recoveries).to.equal(4);
    expect(emu.counters().byError.InvalidPaginationTokenException).to.equal(stream.stats.recoveries);
  });

  it('recoveries that make no progress stay bounded by maxTokenRecoveries', async () => {
    // Every token expires before it is used: each recovery re-reads from page 1, and the token it gets expires too.
    const stream = faceDetections({
      client,
      jobId,
      maxResults: 200,
      maxTokenRecoveries: 2,
      policy: {
        execute: async (request) => {
          await emuClock.advance(120_000);
          return directPolicy.execute(request);
        },
      },
    });
    const { items, error } = await collect(stream);
    expect(error).to.be.instanceOf(PaginationError);
    expect(error).to.include({ reason: 'RECOVERY_FAILED', emitted: 200 });
    expect(items).to.have.length(200);
    expect(stream.stats.recoveries).to.equal(2);
  });
});

import {
  GetFaceDetectionCommand,
  StartFaceDetectionCommand,
  type GetFaceDetectionCommandOutput,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { JobFailedError } from '../../src/errors/JobFailedError.js';
import { JobNotReadyError } from '../../src/errors/JobNotReadyError.js';
import { ServiceError } from '../../src/errors/ServiceError.js';
import { createRequestPolicy } from '../../src/resilience/createRequestPolicy.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetectionPages } from '../../src/source/faceDetectionPages.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { withFastGetFaceDetection } from '../../src/source/fastGetFaceDetection/withFastGetFaceDetection.js';
import type { Checkpoint } from '../../src/source/FaceDetectionPage.js';
import type { FaceDetection, RekognitionLike } from '../../src/types.js';
import { createTestClient } from '../helpers/emulator.js';
import { driveUntilSettled, VirtualClock } from '../helpers/VirtualClock.js';

function sdkClient(emu: Emulator, fast = false): RekognitionClient {
  const client = createTestClient(emu.endpoint);
  return fast ? withFastGetFaceDetection(client) : client;
}

async function startJob(client: RekognitionClient, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { JobId } = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'test', Name: name } }, ...extra }));
  return JobId!;
}

/** The job's detections as the emulator's generator defines them (ground truth of content and order). */
function expectedDetections(emu: Emulator, jobId: string, from = 0): Iterator<FaceDetection> {
  const it = emu.video(jobId).detections(from)[Symbol.iterator]();
  return {
    next: () => {
      const r = it.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: r.value.detection };
    },
  };
}

function getRequests(emu: Emulator): number {
  return emu.counters().byOperation.GetFaceDetection ?? 0;
}

describe('faceDetections against the emulator (real SDK over loopback)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let emuClock: VirtualClock;
  let client: RekognitionClient;

  beforeEach(async () => {
    emuClock = new VirtualClock(1_000_000);
    emu = await startEmulator({ seed: 3, processingTimeMs: 0, clock: emuClock, tokenTtlMs: 60_000 });
    client = sdkClient(emu);
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
  });

  it('delivers 100k detections exactly once, in order, under throttles, 5xx and token expiry', async () => {
    const jobId = await startJob(client, 'preset=walkers,people=8,duration=46m.mp4');
    const total = emu.video(jobId).detectionCount();
    expect(total).to.be.at.least(100_000);
    emu.faults.setRandom({ throttle: 0.04, throttle500: 0.02, internal: 0.03, operations: ['GetFaceDetection'] });
    const policy = createRequestPolicy({
      retries: 30,
      throttlingBackoff: { baseMs: 1, capMs: 4 },
      transientBackoff: { baseMs: 1, capMs: 4 },
      adaptive: false,
    });
    const stream = faceDetections({ client: withFastGetFaceDetection(sdkClient(emu)), jobId, policy });
    const expected = expectedDetections(emu, jobId);
    let count = 0;
    let mismatches = 0;
    for await (const detection of stream) {
      const want = expected.next().value as FaceDetection;
      if (JSON.stringify(detection) !== JSON.stringify(want)) mismatches++;
      count++;
      // Let every token issued so far expire twice during the stream (a long backpressured pause).
      if (count === 30_000 || count === 70_500) await emuClock.advance(120_000);
    }
    await policy.close();
    expect(mismatches).to.equal(0);
    expect(count).to.equal(total);
    expect(expected.next().done).to.equal(true);
    expect(stream.stats.recoveries).to.equal(2);
    const counters = emu.counters();
    expect(counters.byError.InvalidPaginationTokenException).to.equal(2);
    expect(counters.faults).to.be.greaterThan(5);
  });

  it('take(n) fetches at most ceil(n / MaxResults) + 1 pages', async () => {
    const jobId = await startJob(client, 'preset=meeting,duration=5m.mp4');
    for (const n of [1, 250, 500, 501]) {
      const before = getRequests(emu);
      const got = await lastValueFrom(faceDetections({ client, jobId, maxResults: 250, policy: directPolicy }).pipe(take(n), toArray()));
      expect(got).to.have.length(n);
      expect(getRequests(emu) - before).to.be.at.most(Math.ceil(n / 250) + 1);
    }
  });

  it('a slow consumer keeps at most highWaterMark detections buffered (source counter)', async () => {
    const jobId = await startJob(client, 'preset=walkers,duration=10m.mp4');
    const stream = faceDetections({ client, jobId, maxResults: 100, highWaterMark: 300, lowWaterMark: 120, policy: directPolicy });
    let count = 0;
    for await (const _ of stream) {
      count++;
      // The slowest consumer there is: it never takes an item while a prefetch could still land.
      while (stream.stats.inFlight > 0) await new Promise((r) => setImmediate(r));
    }
    expect(count).to.equal(emu.video(jobId).detectionCount());
    expect(stream.stats.maxBuffered).to.be.at.most(300);
    // 100 after the first page, +100 prefetched at once; then refills at 120 → 220.
    expect(stream.stats.maxBuffered).to.equal(220);
  });

  it('unsubscribe aborts an in-flight slow request', async () => {
    const jobId = await startJob(client, 'preset=meeting,duration=2m.mp4');
    const sends: Promise<unknown>[] = [];
    const tracking: RekognitionLike = {
      send: (command, options) => {
        const sent = client.send(command, options);
        sends.push(sent.catch((error: unknown) => error));
        return sent;
      },
    };
    emu.faults.script({ operation: 'GetFaceDetection', fault: 'latency', latencyMs: 3_600_000 });
    const errors: unknown[] = [];
    const subscription = faceDetections({ client: tracking, jobId, policy: directPolicy }).subscribe({ error: (e) => errors.push(e) });
    while (sends.length === 0) await new Promise((r) => setImmediate(r));
    subscription.unsubscribe();
    const outcome = (await sends[0]) as Error;
    expect(outcome.name).to.equal('AbortError');
    expect(sends).to.have.length(1);
    expect(errors).to.deep.equal([]); // unsubscribing is not an error
  });

  it('an aborted signal errors a for-await loop with an AbortError and aborts the request', async () => {
    const jobId = await startJob(client, 'preset=meeting,duration=2m.mp4');
    emu.faults.script({ operation: 'GetFaceDetection', fault: 'latency', latencyMs: 3_600_000 });
    const controller = new AbortController();
    const stream = faceDetections({ client, jobId, policy: directPolicy, signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = iterator.next().catch((error: unknown) => error);
    while (stream.stats.inFlight === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    expect(((await first) as Error).name).to.equal('AbortError');
  });

  it('resumes from a checkpoint with exactly the remaining detections', async () => {
    const jobId = await startJob(client, 'preset=interview,duration=10m.mp4', { JobTag: 'resume-test' });
    const all = await lastValueFrom(faceDetections({ client, jobId, policy: directPolicy }).pipe(toArray()));
    const before: FaceDetection[] = [];
    let checkpoint: Checkpoint | undefined;
    for await (const page of faceDetectionPages({ client, jobId, maxResults: 300, policy: directPolicy })) {
      before.push(...page.Faces);
      expect(page.job.JobTag).to.equal('resume-test');
      expect(page.job.VideoMetadata?.DurationMillis).to.equal(600_000);
      checkpoint = page.checkpoint;
      if (page.index === 2) break; // "crash" after three pages
    }
    expect(checkpoint).to.deep.include({ jobId, startingCount: 900 });
    const rest = await lastValueFrom(faceDetections({ client, policy: directPolicy, ...checkpoint! }).pipe(toArray()));
    expect([...before, ...rest]).to.deep.equal(all);
    expect(rest).to.have.length(all.length - 900);
  });

  it('the pages view (Observable) carries status, metadata, tokens, running counts and checkpoints', async () => {
    const jobId = await startJob(client, 'preset=meeting,duration=3m.mp4', { JobTag: 'pages' });
    const total = emu.video(jobId).detectionCount();
    const pages = await lastValueFrom(faceDetectionPages({ client, jobId, maxResults: 500, policy: directPolicy }).pipe(toArray()));
    expect(pages.map((p) => p.index)).to.deep.equal(pages.map((_, i) => i));
    expect(pages.at(-1)!.count).to.equal(total);
    expect(pages.at(-1)!.NextToken).to.equal(undefined);
    expect(pages.at(-1)!.checkpoint).to.equal(undefined);
    let running = 0;
    for (const page of pages.slice(0, -1)) {
      running += page.Faces.length;
      expect(page.count).to.equal(running);
      expect(page.checkpoint).to.deep.equal({ jobId, startingToken: page.NextToken, startingCount: running });
      expect(page.job).to.include({ JobId: jobId, JobStatus: 'SUCCEEDED', JobTag: 'pages' });
      expect(page.job.Video?.S3Object?.Name).to.equal('preset=meeting,duration=3m.mp4');
    }
    expect(getRequests(emu)).to.equal(pages.length);
  });

  it('resume with an expired checkpoint token recovers through startingCount', async () => {
    const jobId = await startJob(client, 'preset=interview,duration=5m.mp4');
    const all = await lastValueFrom(faceDetections({ client, jobId, policy: directPolicy }).pipe(toArray()));
    let checkpoint: Checkpoint | undefined;
    for await (const page of faceDetectionPages({ client, jobId, maxResults: 100, policy: directPolicy })) {
      checkpoint = page.checkpoint;
      break;
    }
    await emuClock.advance(120_000); // the saved token expires
    const stream = faceDetections({ client, policy: directPolicy, maxResults: 70, ...checkpoint! });
    const rest = await lastValueFrom(stream.pipe(toArray()));
    expect(rest).to.deep.equal(all.slice(100));
    expect(stream.stats.recoveries).to.equal(1);
  });

  it('waits for an IN_PROGRESS job (polling on the injected clock), then streams', async () => {
    await emu.close();
    const clock = new VirtualClock(0);
    emu = await startEmulator({ seed: 3, processingTimeMs: 10_000, clock });
    client.destroy();
    client = sdkClient(emu);
    const jobId = await startJob(client, 'preset=interview,duration=1m.mp4');
    const stream = faceDetections({ client, jobId, policy: directPolicy, clock, waitForJob: { minDelay: 1000, maxDelay: 4000 } });
    const got = await driveUntilSettled(clock, lastValueFrom(stream.pipe(toArray())));
    expect(got).to.have.length(emu.video(jobId).detectionCount());
    expect(stream.stats.polls).to.be.within(3, 5);
    expect(clock.sleeps.slice(0, 3)).to.deep.equal([1000, 2000, 4000]);
  });

  it('fails fast on IN_PROGRESS with JobNotReadyError when asked not to wait', async () => {
    await emu.close();
    emu = await startEmulator({ seed: 3, processingTimeMs: 10_000, clock: new VirtualClock(0) });
    client.destroy();
    client = sdkClient(emu);
    const jobId = await startJob(client, 'preset=interview,duration=1m.mp4');
    let caught: unknown;
    await lastValueFrom(faceDetections({ client, jobId, policy: directPolicy, waitForJob: false })).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(JobNotReadyError);
    expect(getRequests(emu)).to.equal(1);
  });

  it('a FAILED job errors with JobFailedError and its StatusMessage', async () => {
    const jobId = await startJob(client, 'fail=1,duration=1m.mp4');
    let caught: unknown;
    await lastValueFrom(faceDetections({ client, jobId, policy: directPolicy })).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(JobFailedError);
    expect((caught as JobFailedError).statusMessage).to.be.a('string').and.not.equal('');
  });

  it('an unknown job fails fast with a classified ResourceNotFound ServiceError (one request)', async () => {
    const policy = createRequestPolicy({ adaptive: false });
    let caught: unknown;
    await lastValueFrom(faceDetections({ client, jobId: 'no-such-job', policy })).catch((e: unknown) => (caught = e));
    await policy.close();
    expect(caught).to.be.instanceOf(ServiceError);
    expect((caught as ServiceError).serviceCode).to.equal('ResourceNotFoundException');
    expect(getRequests(emu)).to.equal(1);
  });

  it('the fast path returns the same objects as the SDK deserializer on emulator pages', async () => {
    const fast = sdkClient(emu, true);
    const jobs = [
      await startJob(client, 'preset=meeting,duration=1m.mp4'),
      await startJob(client, 'preset=walkers,duration=1m.mp4', { FaceAttributes: 'ALL', JobTag: 'all' }),
      await startJob(client, 'fail=1.mp4'),
    ];
    const strip = ({ $metadata, ...rest }: GetFaceDetectionCommandOutput) => rest;
    for (const JobId of jobs) {
      let token: string | undefined;
      do {
        const input = { JobId, MaxResults: 400, ...(token ? { NextToken: token } : {}) };
        const a = await client.send(new GetFaceDetectionCommand(input));
        const b = await fast.send(new GetFaceDetectionCommand(input));
        expect(strip(b)).to.deep.equal(strip(a));
        expect(Object.keys(b.$metadata).sort()).to.deep.equal(Object.keys(a.$metadata).sort());
        token = a.NextToken;
      } while (token);
    }
    fast.destroy();
  });
});

import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { JobFailedError } from '../../src/errors/JobFailedError.js';
import { JobWaitTimeoutError } from '../../src/errors/JobWaitTimeoutError.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { type BatchEvent, faceDetectionBatch } from '../../src/jobs/faceDetectionBatch.js';
import { createRequestPolicy } from '../../src/resilience/createRequestPolicy.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { driveClock, trackInFlight } from '../helpers/driveClock.js';

/** Processing time in virtual ms: 1 s per minute of video (so a 10-minute video takes 10 s). */
const processingTimeMs = (video: { readonly durationMs: number }) => video.durationMs / 60;

async function collect(events: AsyncIterable<BatchEvent>, read = true): Promise<{ events: BatchEvent[]; lines: Map<string, string[]> }> {
  const all: BatchEvent[] = [];
  const lines = new Map<string, string[]>();
  for await (const event of events) {
    all.push(event);
    if (event.type === 'succeeded' && read) {
      const out: string[] = [];
      for await (const d of event.detections({ maxResults: 300 })) out.push(JSON.stringify(d));
      lines.set(event.uri, out);
    }
  }
  return { events: all, lines };
}

describe('jobs: faceDetectionBatch (polling, against the emulator in virtual time)', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let clock: VirtualClock;

  const setup = async (options: { maxConcurrentJobs?: number } = {}) => {
    clock = new VirtualClock(1_000_000);
    t = await startTestEmulator({ seed: 7, clock, processingTimeMs, ...options });
    return trackInFlight(t.client);
  };
  afterEach(async () => {
    await t?.close();
  });

  const startsOf = () => t.emu.requests().filter((r) => r.operation === 'StartFaceDetection');

  it('runs every video once, at most maxConcurrentJobs at a time, with the exact detections of each job', async () => {
    const client = await setup();
    const policy = createRequestPolicy({ clock });
    const videos = ['a', 'b', 'c', 'd', 'e'].map((k, i) => `s3://test-bucket/${k}/preset=meeting,duration=${(i + 1) * 20}s.mp4`);
    const batch = faceDetectionBatch(videos, { client, policy, clock, maxConcurrentJobs: 2, poll: { minDelay: 1000, maxDelay: 4000 } });
    const { events, lines } = await driveClock(clock, collect(batch), [client]);
    await policy.close();

    const done = events.at(-1)!;
    expect(done.type).to.equal('done');
    if (done.type !== 'done') return;
    expect(done.counts).to.include({ total: 5, started: 5, succeeded: 5, failed: 0, limitExceeded: 0 });
    expect(done.counts.peakJobs).to.equal(2);
    expect(t.emu.jobs()).to.have.length(5);
    expect(startsOf()).to.have.length(5);
    // Each video's lines are exactly the job's detections, as the SDK reads them directly.
    for (const event of events) {
      if (event.type !== 'succeeded') continue;
      const expected = await lastValueFrom(faceDetections({ client: t.client, jobId: event.jobId, policy: directPolicy }).pipe(toArray()));
      expect(lines.get(event.uri)).to.deep.equal(expected.map((d) => JSON.stringify(d)));
      expect(expected.length).to.be.greaterThan(100);
    }
    // Per video: queued, started, succeeded, in that order.
    for (const uri of videos) {
      expect(events.filter((e) => 'uri' in e && e.uri === uri).map((e) => e.type)).to.deep.equal(['queued', 'started', 'succeeded']);
    }
  });

  it('many jobs waiting at once on the batch signal raise no MaxListenersExceededWarning', async () => {
    const client = await setup({ maxConcurrentJobs: 20 });
    const policy = createRequestPolicy({ clock });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const videos = Array.from({ length: 16 }, (_, i) => `s3://test-bucket/many${i}/duration=${10 + i}s.mp4`);
      const batch = faceDetectionBatch(videos, { client, policy, clock, maxConcurrentJobs: 16, poll: { minDelay: 1000, maxDelay: 1000 } });
      const { events } = await driveClock(clock, collect(batch, false), [client]);
      await policy.close();
      expect(events.at(-1)).to.deep.include({ type: 'done' });
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).to.not.include('MaxListenersExceededWarning');
  });

  it('a rerun reuses every job (same ClientRequestToken) and, polling first, finishes without waiting', async () => {
    const client = await setup();
    const videos = ['s3://test-bucket/x/duration=2m.mp4', 's3://test-bucket/y/duration=3m.mp4'];
    const first = await driveClock(clock, collect(faceDetectionBatch(videos, { client, policy: directPolicy, clock }), false), [client]);
    const ids = first.events.flatMap((e) => (e.type === 'succeeded' ? [e.jobId] : []));
    const sleepsBefore = clock.sleeps.length;
    const second = await driveClock(
      clock,
      collect(faceDetectionBatch(videos, { client, policy: directPolicy, clock, pollFirst: true }), false),
      [client],
    );
    expect(second.events.flatMap((e) => (e.type === 'succeeded' ? [e.jobId] : []))).to.have.members(ids);
    expect(t.emu.jobs()).to.have.length(2);
    expect(clock.sleeps.length).to.equal(sleepsBefore); // no wait at all
    const done = second.events.at(-1)!;
    expect(done.type === 'done' && done.counts.polls).to.equal(2);
  });

  it('waits for job slots while another application holds them (LimitExceeded is not a failure)', async () => {
    const client = await setup({ maxConcurrentJobs: 4 });
    // Another application holds 3 of the 4 slots for 2 minutes of (virtual) time.
    for (let i = 0; i < 3; i++) {
      await t.client.send(
        new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'other-app', Name: `other${i}/duration=120m.mp4` } } }),
      );
    }
    const videos = Array.from({ length: 6 }, (_, i) => `s3://test-bucket/v${i}/duration=1m.mp4`);
    const { events } = await driveClock(
      clock,
      collect(faceDetectionBatch(videos, { client, policy: directPolicy, clock, maxConcurrentJobs: 4, poll: { minDelay: 500, maxDelay: 2000 } }), false),
      [client],
    );
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error('no done event');
    expect(done.counts).to.include({ succeeded: 6, failed: 0, started: 6 });
    expect(done.counts.limitExceeded).to.be.greaterThan(0);
    expect(events.some((e) => e.type === 'limit-exceeded')).to.equal(true);
    // Our jobs ran one at a time (the account had one free slot) and one job per video was started.
    expect(t.emu.jobs().filter((j) => j.bucket === 'test-bucket')).to.have.length(6);
    const refused = startsOf().filter((r) => r.errorType === 'LimitExceededException').length;
    expect(refused).to.equal(done.counts.limitExceeded);
    // The refusals stay few: a refused Start waits for one of our jobs to finish or for a probe.
    expect(refused).to.be.at.most(12);
  });

  it('a FAILED job among successes is one failed event; the others succeed', async () => {
    const client = await setup();
    const videos = ['s3://test-bucket/ok1/duration=1m.mp4', 's3://test-bucket/bad/fail=1,duration=1m.mp4', 's3://test-bucket/ok2/duration=1m.mp4'];
    const { events } = await driveClock(clock, collect(faceDetectionBatch(videos, { client, policy: directPolicy, clock }), false), [client]);
    const failed = events.filter((e) => e.type === 'failed');
    expect(failed).to.have.length(1);
    if (failed[0]!.type !== 'failed') return;
    expect(failed[0]!.uri).to.equal(videos[1]);
    expect(failed[0]!.error).to.be.instanceOf(JobFailedError);
    expect(failed[0]!.jobId).to.be.a('string');
    const done = events.at(-1)!;
    expect(done.type === 'done' && done.counts).to.include({ succeeded: 2, failed: 1 });
  });

  it('an invalid video is a failed event naming it, with no request sent for it', async () => {
    const client = await setup();
    const videos = ['s3://test-bucket/ok/duration=1m.mp4', 'https://not-s3/x.mp4', 's3://b/too-short-bucket.mp4'];
    const { events } = await driveClock(clock, collect(faceDetectionBatch(videos, { client, policy: directPolicy, clock }), false), [client]);
    const failed = events.flatMap((e) => (e.type === 'failed' ? [e] : []));
    expect(failed.map((e) => e.index)).to.deep.equal([1, 2]);
    expect(failed[0]!.error).to.be.instanceOf(InvalidParameterError);
    expect(failed[0]!.error.message).to.contain('videos[1]').and.contain('s3://bucket/key');
    expect(failed[1]!.error.message).to.contain('videos[2] bucket');
    expect(startsOf()).to.have.length(1);
  });

  it('a job that outlives its deadline fails with JobWaitTimeoutError naming the job and the polls', async () => {
    const client = await setup();
    const videos = ['s3://test-bucket/long/duration=60m.mp4', 's3://test-bucket/short/duration=1m.mp4'];
    const { events } = await driveClock(
      clock,
      collect(faceDetectionBatch(videos, { client, policy: directPolicy, clock, waitTimeout: 20_000, poll: { minDelay: 5000, maxDelay: 5000 } }), false),
      [client],
    );
    const failed = events.flatMap((e) => (e.type === 'failed' ? [e] : []));
    expect(failed).to.have.length(1);
    const error = failed[0]!.error as JobWaitTimeoutError;
    expect(error).to.be.instanceOf(JobWaitTimeoutError);
    expect(error.jobId).to.equal(failed[0]!.jobId);
    expect(error.message).to.contain(failed[0]!.jobId!).and.contain('s3://test-bucket/long/').and.contain('4 GetFaceDetection polls');
    expect(error.waited).to.equal(20_000);
  });

  it('failFast stops the batch at the first failure', async () => {
    const client = await setup();
    const videos = ['s3://test-bucket/bad/fail=1,duration=1m.mp4', ...Array.from({ length: 5 }, (_, i) => `s3://test-bucket/v${i}/duration=30m.mp4`)];
    const seen: BatchEvent[] = [];
    const run = (async () => {
      for await (const event of faceDetectionBatch(videos, { client, policy: directPolicy, clock, failFast: true, maxConcurrentJobs: 2 })) seen.push(event);
    })();
    let caught: unknown;
    await driveClock(clock, run, [client]).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(JobFailedError);
    expect(seen.filter((e) => e.type === 'succeeded')).to.have.length(0);
    expect(seen.at(-1)!.type).to.equal('failed');
    expect(startsOf().length).to.be.at.most(3);
  });

  it('pulls the input lazily: a consumer that stops pulling stops the batch taking videos', async () => {
    const client = await setup();
    let pulled = 0;
    function* many() {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield `s3://test-bucket/n${i}/duration=10s.mp4`;
      }
    }
    const iterator = faceDetectionBatch(many(), { client, policy: directPolicy, clock, maxConcurrentJobs: 3 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.type).to.equal('queued');
    // Ten minutes pass (every job takes 10 s) while the consumer pulls nothing more: the batch keeps going only
    // until a few events wait for the consumer (2 × maxConcurrentJobs + 8 = 14, three per video), then stops.
    await driveClock(clock, clock.sleep(600_000), [client]);
    expect(pulled).to.be.at.most(14 / 3 + 3 + 1);
    const jobs = t.emu.jobs().length;
    expect(jobs).to.be.at.least(3).and.at.most(pulled);
    await driveClock(clock, clock.sleep(600_000), [client]);
    expect(t.emu.jobs().length).to.equal(jobs);
    await iterator.return!();
  });

  it('the Observable view emits the same events', async () => {
    const client = await setup();
    const videos = ['s3://test-bucket/o1/duration=1m.mp4', 's3://test-bucket/o2/duration=2m.mp4'];
    const events = await driveClock(
      clock,
      lastValueFrom(faceDetectionBatch(videos, { client, policy: directPolicy, clock }).pipe(toArray())),
      [client],
    );
    expect(events.map((e) => e.type).filter((x) => x === 'succeeded')).to.have.length(2);
    expect(events.at(-1)!.type).to.equal('done');
  });

  it('validates options before any request', () => {
    expect(() => faceDetectionBatch([], { maxConcurrentJobs: 0 })).to.throw(InvalidParameterError, 'maxConcurrentJobs');
    expect(() => faceDetectionBatch([], { faceAttributes: 'SOME' as 'ALL' })).to.throw(InvalidParameterError, 'faceAttributes');
    expect(() => faceDetectionBatch(42 as unknown as string[])).to.throw(InvalidParameterError, 'videos');
  });
});

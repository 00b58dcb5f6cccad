import { GetFaceDetectionCommand, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { failure } from './failure.js';

describe('emulator job lifecycle (virtual clock)', () => {
  let clock: VirtualClock;
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('IN_PROGRESS without VideoMetadata or Faces for processingTimeMs, then SUCCEEDED', async () => {
    clock = new VirtualClock(1_000_000);
    t = await startTestEmulator({ clock, processingTimeMs: 5000 });
    const jobId = await t.startJob('preset=interview,duration=4s', { JobTag: 'lifecycle' });
    const first = await t.client.send(new GetFaceDetectionCommand({ JobId: jobId }));
    expect(first.JobStatus).to.equal('IN_PROGRESS');
    expect(first.VideoMetadata).to.equal(undefined);
    expect(first.Faces).to.equal(undefined);
    expect(first.NextToken).to.equal(undefined);
    expect(first.JobId).to.equal(jobId);
    expect(first.JobTag).to.equal('lifecycle');
    expect(t.emu.jobs()[0]!.status).to.equal('IN_PROGRESS');
    await clock.advance(4999);
    expect((await t.client.send(new GetFaceDetectionCommand({ JobId: jobId }))).JobStatus).to.equal('IN_PROGRESS');
    await clock.advance(1);
    const done = await t.client.send(new GetFaceDetectionCommand({ JobId: jobId }));
    expect(done.JobStatus).to.equal('SUCCEEDED');
    expect(done.VideoMetadata?.DurationMillis).to.equal(4000);
    expect(done.Faces!.length).to.be.greaterThan(0);
  });

  it('FAILED with a StatusMessage for fail=1 objects', async () => {
    clock = new VirtualClock();
    t = await startTestEmulator({ clock, processingTimeMs: 100 });
    const jobId = await t.startJob('broken/fail=1.mp4');
    await clock.advance(100);
    const page = await t.client.send(new GetFaceDetectionCommand({ JobId: jobId }));
    expect(page.JobStatus).to.equal('FAILED');
    expect(page.StatusMessage).to.be.a('string').and.not.equal('');
    expect(page.Faces).to.equal(undefined);
    expect(page.VideoMetadata).to.equal(undefined);
  });

  it('results expire after retentionMs (ResourceNotFoundException)', async () => {
    clock = new VirtualClock();
    t = await startTestEmulator({ clock, processingTimeMs: 1000, retentionMs: 60_000 });
    const jobId = await t.startJob();
    await clock.advance(1000 + 59_999);
    expect((await t.client.send(new GetFaceDetectionCommand({ JobId: jobId }))).JobStatus).to.equal('SUCCEEDED');
    await clock.advance(1);
    const err = await failure(() => t.client.send(new GetFaceDetectionCommand({ JobId: jobId })));
    expect(err.name).to.equal('ResourceNotFoundException');
    expect(t.emu.jobs()).to.have.length(0);
  });

  it('a ClientRequestToken is forgotten with its job', async () => {
    clock = new VirtualClock();
    t = await startTestEmulator({ clock, processingTimeMs: 0, retentionMs: 1000 });
    const start = (Name: string) =>
      t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bbb', Name } }, ClientRequestToken: 'tok' }));
    const first = (await start('a')).JobId;
    await clock.advance(999);
    expect((await start('a')).JobId).to.equal(first);
    await clock.advance(1);
    const second = (await start('b')).JobId;
    expect(second).to.not.equal(first);
  });

  it('LimitExceededException beyond maxConcurrentJobs open jobs; finished jobs free their slot', async () => {
    clock = new VirtualClock();
    t = await startTestEmulator({ clock, processingTimeMs: 10_000, maxConcurrentJobs: 2 });
    await t.startJob('a');
    await clock.advance(5000);
    await t.startJob('b');
    const err = await failure(() => t.startJob('c'));
    expect(err.name).to.equal('LimitExceededException');
    expect(err.message).to.contain('Maximum limit: 2');
    await clock.advance(5000);
    await t.startJob('c');
    // An idempotent repeat is not a new job.
    const token = { ClientRequestToken: 'same' };
    await clock.advance(20_000);
    const a = await t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bbb', Name: 'x' } }, ...token }));
    await t.startJob('d');
    const b = await t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bbb', Name: 'x' } }, ...token }));
    expect(b.JobId).to.equal(a.JobId);
  });

  it('the same S3 object gives the same video in every job; job ids differ', async () => {
    t = await startTestEmulator({ seed: 9 });
    const one = await t.startJob('preset=edited,duration=20s');
    const two = await t.startJob('preset=edited,duration=20s');
    expect(one).to.not.equal(two);
    const a = await t.client.send(new GetFaceDetectionCommand({ JobId: one }));
    const b = await t.client.send(new GetFaceDetectionCommand({ JobId: two }));
    expect(a.Faces).to.deep.equal(b.Faces);
    const other = await startTestEmulator({ seed: 10 });
    try {
      const three = await other.startJob('preset=edited,duration=20s');
      const c = await other.client.send(new GetFaceDetectionCommand({ JobId: three }));
      expect(c.Faces).to.not.deep.equal(a.Faces);
    } finally {
      await other.close();
    }
  });
});

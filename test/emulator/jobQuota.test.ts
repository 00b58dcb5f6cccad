import { GetFaceDetectionCommand, StartFaceDetectionCommand, type StartFaceDetectionCommandInput } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { failure } from './failure.js';
import { rawRequest } from './raw.js';

const start = (t: TestEmulator, Name: string, extra: Partial<StartFaceDetectionCommandInput> = {}, Bucket = 'videos') =>
  t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket, Name } }, ...extra }));

describe('emulator jobs: shared quota, idempotency, processing time, S3 errors, counters', () => {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('other applications hold slots of the shared quota: LimitExceededException as AWS sends it, then free slots', async () => {
    const clock = new VirtualClock(0);
    t = await startTestEmulator({ clock, processingTimeMs: 10_000, otherApplications: { slots: 18, forMs: 60_000 } });
    await start(t, 'a');
    await start(t, 'b');
    const err = await failure(() => start(t!, 'c'));
    expect(err.name).to.equal('LimitExceededException');
    expect(err.$metadata?.httpStatusCode).to.equal(400);
    expect(err.message).to.equal('20 open Jobs for User arn:aws:iam::123456789012:user/emulator Maximum limit: 20');
    const raw = await rawRequest(t.emu.endpoint, {
      target: 'StartFaceDetection',
      body: JSON.stringify({ Video: { S3Object: { Bucket: 'videos', Name: 'c' } } }),
    });
    expect(raw.status).to.equal(400);
    expect(raw.json()).to.include({ __type: 'LimitExceededException' });
    expect(raw.headers['x-amzn-errortype']).to.equal('LimitExceededException');
    // Our jobs finish: two slots free while the other applications still hold 18.
    await clock.advance(10_000);
    await start(t, 'c');
    await start(t, 'd');
    expect((await failure(() => start(t!, 'e'))).name).to.equal('LimitExceededException');
    await clock.advance(50_000); // the other applications' hold ends at 60 s
    for (const name of ['e', 'f', 'g', 'h', 'i']) await start(t, name);
    const stats = t.emu.jobStats();
    expect(stats.peakInProgress).to.deep.equal({ ours: 5, others: 18, total: 20 });
    expect(stats.inProgress).to.deep.equal({ ours: 5, others: 0, total: 5 });
    expect(stats.limitExceeded).to.equal(3);
    expect(stats.jobsCreated).to.equal(9);
    const c = stats.byObject.find((o) => o.name === 'c')!;
    expect(c).to.include({ starts: 3, jobs: 1, limitExceeded: 2 });
  });

  it('holdJobSlots() at run time, for a while or until released', async () => {
    const clock = new VirtualClock(0);
    t = await startTestEmulator({ clock, processingTimeMs: 1_000, maxConcurrentJobs: 3 });
    const hold = t.emu.holdJobSlots(2);
    await start(t, 'a');
    expect((await failure(() => start(t!, 'b'))).name).to.equal('LimitExceededException');
    hold.release();
    await start(t, 'b');
    t.emu.holdJobSlots(1, { forMs: 5_000 });
    expect((await failure(() => start(t!, 'c'))).name).to.equal('LimitExceededException');
    await clock.advance(5_000);
    await start(t, 'c');
    expect(t.emu.jobStats().peakInProgress).to.deep.equal({ ours: 2, others: 2, total: 3 });
  });

  it('ClientRequestToken: same token and input → same JobId and no new job; other input → IdempotentParameterMismatchException', async () => {
    t = await startTestEmulator({ processingTimeMs: 0 });
    const input = { ClientRequestToken: 'tok-1', JobTag: 'video-1' };
    const first = await start(t, 'preset=interview,duration=10s.mp4', input);
    const again = await start(t, 'preset=interview,duration=10s.mp4', input);
    expect(again.JobId).to.equal(first.JobId);
    const err = await failure(() => start(t!, 'preset=interview,duration=10s.mp4', { ...input, FaceAttributes: 'ALL' }));
    expect(err.name).to.equal('IdempotentParameterMismatchException');
    expect(err.$metadata?.httpStatusCode).to.equal(400);
    const other = await failure(() => start(t!, 'other.mp4', input));
    expect(other.name).to.equal('IdempotentParameterMismatchException');
    const stats = t.emu.jobStats();
    expect(stats).to.include({ starts: 4, jobsCreated: 1, idempotentRepeats: 1 });
    expect(stats.byObject[0]).to.deep.include({ starts: 3, jobs: 1, jobIds: [first.JobId], idempotentRepeats: 1 });
    expect(stats.byObject[1]).to.deep.include({ name: 'other.mp4', starts: 1, jobs: 0 });
  });

  it('processing time proportional to the video duration ({ perVideoSecondMs, baseMs })', async () => {
    const clock = new VirtualClock(0);
    t = await startTestEmulator({ clock, processingTimeMs: { perVideoSecondMs: 100, baseMs: 2_000 } });
    const short = (await start(t, 'duration=10s.mp4')).JobId!;
    const long = (await start(t, 'duration=1m.mp4')).JobId!;
    const status = async (JobId: string) => (await t!.client.send(new GetFaceDetectionCommand({ JobId, MaxResults: 1 }))).JobStatus;
    await clock.advance(2_999);
    expect(await status(short)).to.equal('IN_PROGRESS');
    await clock.advance(1);
    expect(await status(short)).to.equal('SUCCEEDED');
    await clock.advance(4_999);
    expect(await status(long)).to.equal('IN_PROGRESS');
    await clock.advance(1);
    expect(await status(long)).to.equal('SUCCEEDED');
    expect(t.emu.jobs().map((j) => j.readyAt - j.createdAt)).to.deep.equal([3_000, 8_000]);
  });

  it('InvalidS3ObjectException for a missing object, AccessDeniedException for a denied one, VideoTooLargeException beyond 6 h', async () => {
    t = await startTestEmulator({ missingBuckets: ['gone'], deniedBuckets: ['private'] });
    for (const [name, bucket, type] of [
      ['missing=1.mp4', 'videos', 'InvalidS3ObjectException'],
      ['clip.mp4', 'gone', 'InvalidS3ObjectException'],
      ['x/denied=1/clip.mp4', 'videos', 'AccessDeniedException'],
      ['clip.mp4', 'private', 'AccessDeniedException'],
      ['duration=6.5h.mp4', 'videos', 'VideoTooLargeException'],
    ] as const) {
      const err = await failure(() => start(t!, name, {}, bucket));
      expect(err.name, `${bucket}/${name}`).to.equal(type);
      expect(err.$metadata?.httpStatusCode).to.equal(400);
    }
    expect((await failure(() => start(t!, 'missing=1.mp4'))).message).to.equal(
      'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
    );
    const stats = t.emu.jobStats();
    expect(stats).to.include({ starts: 6, refused: 6, jobsCreated: 0 });
    expect(t.emu.jobs()).to.have.length(0);
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { JobWaitTimeoutError } from '../../src/errors/JobWaitTimeoutError.js';
import { StartJobError } from '../../src/errors/StartJobError.js';
import { CLIENT_REQUEST_TOKEN_PATTERN, JOB_TAG_PATTERN, jobIdentity } from '../../src/jobs/jobIdentity.js';
import { startFaceDetectionJob } from '../../src/jobs/startFaceDetectionJob.js';
import { waitForFaceDetectionJob } from '../../src/jobs/waitForFaceDetectionJob.js';
import { parseVideo } from '../../src/jobs/VideoRef.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { withEmulator } from '../helpers/emulator.js';
import { driveClock, trackInFlight } from '../helpers/driveClock.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { startTestEmulator } from '../helpers/emulator.js';

describe('jobs: jobIdentity (default ClientRequestToken and JobTag)', () => {
  const base = { video: { bucket: 'my-videos', name: 'a/b.mp4' }, faceAttributes: 'DEFAULT' as const };
  it('is stable, valid for the service, and changes with every parameter', () => {
    const a = jobIdentity(base);
    expect(jobIdentity({ ...base, video: { ...base.video } })).to.deep.equal(a);
    expect(a.clientRequestToken).to.match(CLIENT_REQUEST_TOKEN_PATTERN).and.have.length(64);
    expect(a.jobTag).to.match(JOB_TAG_PATTERN);
    // Pinned: the digest must not change between versions, or reruns would start second jobs.
    expect(a.clientRequestToken).to.equal('fs1-c9984dd66302f76504f5da315cbb92da89efc281e8a1d56abc2ea0efd4b9');
    const variants = [
      { ...base, faceAttributes: 'ALL' as const },
      { ...base, video: { ...base.video, version: 'v1' } },
      { ...base, video: { bucket: 'my-videos', name: 'a/b.mp4 ' } },
      { ...base, notificationChannel: { snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:T', roleArn: 'arn:aws:iam::123456789012:role/R' } },
      { ...base, jobTag: 'mine' },
    ];
    const tokens = new Set([a.clientRequestToken, ...variants.map((v) => jobIdentity(v).clientRequestToken)]);
    expect(tokens.size).to.equal(variants.length + 1);
    expect(jobIdentity({ ...base, jobTag: 'mine' }).jobTag).to.equal('mine');
  });
  it('property: any video gives a token and tag the service accepts, and distinct videos distinct tokens', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 1024 }), fc.string({ minLength: 1, maxLength: 1024 }), (n1, n2) => {
        const t1 = jobIdentity({ ...base, video: { bucket: 'bkt', name: n1 } });
        const t2 = jobIdentity({ ...base, video: { bucket: 'bkt', name: n2 } });
        expect(t1.clientRequestToken).to.match(CLIENT_REQUEST_TOKEN_PATTERN);
        expect(t1.jobTag).to.match(JOB_TAG_PATTERN);
        expect(t1.clientRequestToken === t2.clientRequestToken).to.equal(n1 === n2);
      }),
      { seed: 13, numRuns: 300 },
    );
  });
  it('parseVideo accepts s3 URIs and objects, and names what is wrong', () => {
    expect(parseVideo('s3://my-videos/x/y.mp4')).to.deep.equal({ bucket: 'my-videos', name: 'x/y.mp4' });
    expect(() => parseVideo('s3://my-videos/')).to.throw(InvalidParameterError, 'video key');
    expect(() => parseVideo('my-videos/x.mp4')).to.throw(InvalidParameterError, 's3://bucket/key');
    expect(() => parseVideo({ bucket: 'a b c', name: 'x' })).to.throw(InvalidParameterError, 'video bucket');
  });
});

describe('jobs: startFaceDetectionJob against the emulator', () => {
  const ctx = withEmulator({ seed: 2, missingBuckets: ['no-such-bucket'], deniedBuckets: ['private'] });
  const start = (video: string, extra: Record<string, unknown> = {}) =>
    startFaceDetectionJob({ client: ctx().client, policy: directPolicy, video, ...extra });
  const rejection = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as StartJobError;
    }
    throw new Error('expected a rejection');
  };

  it('returns the job, its token and tag; the same call again returns the same job (no second job)', async () => {
    const a = await start('s3://media/preset=interview,duration=10s.mp4');
    const b = await start('s3://media/preset=interview,duration=10s.mp4');
    expect(b).to.deep.equal(a);
    expect(ctx().emu.jobs()).to.have.length(1);
    expect(ctx().emu.jobs()[0]!.jobTag).to.equal(a.jobTag);
    const done = await waitForFaceDetectionJob({ client: ctx().client, policy: directPolicy, jobId: a.jobId, pollFirst: true });
    expect(done).to.include({ via: 'poll', polls: 1, status: 'SUCCEEDED' });
  });

  it('typed errors naming the video: mismatch, too large, invalid object, unknown bucket, access denied', async () => {
    const token = { clientRequestToken: 'my-token-1' };
    await start('s3://media/a.mp4', token);
    const mismatch = await rejection(start('s3://media/a.mp4', { ...token, faceAttributes: 'ALL' }));
    expect(mismatch).to.be.instanceOf(StartJobError);
    expect(mismatch.serviceCode).to.equal('IdempotentParameterMismatchException');
    expect(mismatch.message).to.contain('s3://media/a.mp4');
    const cases: [string, string, string][] = [
      ['s3://media/duration=7h.mp4', 'VideoTooLargeException', 'ERR_START_VIDEO_TOO_LARGE'],
      ['s3://media/preset=nope.mp4', 'InvalidS3ObjectException', 'ERR_START_INVALID_S3_OBJECT'],
      ['s3://no-such-bucket/a.mp4', 'InvalidS3ObjectException', 'ERR_START_INVALID_S3_OBJECT'],
      ['s3://private/a.mp4', 'AccessDeniedException', 'ERR_START_ACCESS_DENIED'],
    ];
    for (const [video, serviceCode, code] of cases) {
      const error = await rejection(start(video));
      expect(error, video).to.be.instanceOf(StartJobError);
      expect(error.serviceCode).to.equal(serviceCode);
      expect(error.code).to.equal(code);
      expect(error.video).to.equal(video);
      expect(error.message).to.contain(video);
    }
  });

  it('refuses bad input before any request', async () => {
    const refused = async (options: Record<string, unknown>, parameter: string) => {
      const error = await rejection(startFaceDetectionJob({ client: ctx().client, video: 's3://media/a.mp4', ...options } as never));
      expect(error).to.be.instanceOf(InvalidParameterError);
      expect(error.message).to.contain(parameter);
    };
    await refused({ video: 'media/a.mp4' }, '`video`');
    await refused({ clientRequestToken: 'has space' }, 'clientRequestToken');
    await refused({ jobTag: 'bad tag!' }, 'jobTag');
    await refused({ faceAttributes: 'MOST' }, 'faceAttributes');
    expect(ctx().emu.counters().requests).to.equal(0);
  });
});

describe('jobs: startFaceDetectionJob waits for a job slot (virtual time)', function () {
  this.timeout(60_000);
  it('LimitExceeded from another application is waited out, then the Start succeeds; slotTimeout bounds the wait', async () => {
    const clock = new VirtualClock(0);
    const t = await startTestEmulator({ clock, maxConcurrentJobs: 2 });
    try {
      const client = trackInFlight(t.client);
      const hold = t.emu.holdJobSlots(2, { forMs: 20_000 });
      const started = await driveClock(clock, startFaceDetectionJob({ client, policy: directPolicy, clock, video: 's3://media/a.mp4' }), [client]);
      expect(started.limitExceeded).to.be.greaterThan(0);
      expect(clock.now()).to.be.at.least(20_000);
      hold.release();
      t.emu.holdJobSlots(2);
      const error = await driveClock(
        clock,
        startFaceDetectionJob({ client, policy: directPolicy, clock, video: 's3://media/b.mp4', slotTimeout: 30_000 }).then(
          () => undefined,
          (e: unknown) => e,
        ),
        [client],
      );
      expect(error).to.be.instanceOf(JobWaitTimeoutError);
      expect((error as Error).message).to.contain('No job slot for s3://media/b.mp4').and.contain('LimitExceededException');
    } finally {
      await t.close();
    }
  });

  // At 2^52 ms a clock step below 1 ms vanishes in floating point (2^52 + 0.5 === 2^52): a wait whose last
  // pause is the sub-millisecond rest of its budget would sleep 0 ms forever. Both waits must still time out.
  it('a budget with a sub-millisecond rest still times out (no endless zero-length sleeps)', async () => {
    const clock = new VirtualClock(2 ** 52);
    const t = await startTestEmulator({ clock, maxConcurrentJobs: 1, processingTimeMs: 3_600_000 });
    try {
      const client = trackInFlight(t.client);
      t.emu.holdJobSlots(1);
      const start = startFaceDetectionJob({ client, policy: directPolicy, clock, video: 's3://media/a.mp4', slotTimeout: 0.5 });
      const refused = await driveClock(clock, start.then(() => undefined, (e: unknown) => e), [client], 1000);
      expect(refused).to.be.instanceOf(JobWaitTimeoutError);
      const clock2 = new VirtualClock(2 ** 52);
      const t2 = await startTestEmulator({ clock: clock2, processingTimeMs: 3_600_000 });
      try {
        const client2 = trackInFlight(t2.client);
        const jobId = await t2.startJob();
        const wait = waitForFaceDetectionJob({ client: client2, policy: directPolicy, clock: clock2, jobId, timeout: 0.5 });
        const late = await driveClock(clock2, wait.then(() => undefined, (e: unknown) => e), [client2], 1000);
        expect(late).to.be.instanceOf(JobWaitTimeoutError);
      } finally {
        await t2.close();
      }
    } finally {
      await t.close();
    }
  });
});

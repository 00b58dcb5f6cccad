import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { JobWaitTimeoutError } from '../../src/errors/JobWaitTimeoutError.js';
import { type BatchEvent, faceDetectionBatch, type FaceDetectionBatchOptions } from '../../src/jobs/faceDetectionBatch.js';
import { parseJobNotification } from '../../src/jobs/parseJobNotification.js';
import { sqsJobNotifications } from '../../src/jobs/sqsJobNotifications.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator, type TestEmulatorOptions } from '../helpers/emulator.js';
import { driveClock, trackInFlight, type TrackedClient } from '../helpers/driveClock.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionJobs';
const CHANNEL = { snsTopicArn: TOPIC, roleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS' };

describe('jobs: parseJobNotification', () => {
  const payload = { JobId: 'j1', Status: 'SUCCEEDED', API: 'StartFaceDetection', JobTag: 'tag', Timestamp: 1700000000000, Video: { S3ObjectName: 'k', S3Bucket: 'b' } };
  it('reads the SNS envelope and raw delivery alike', () => {
    const expected = { jobId: 'j1', status: 'SUCCEEDED', jobTag: 'tag', api: 'StartFaceDetection', timestamp: 1700000000000 };
    expect(parseJobNotification(JSON.stringify(payload))).to.deep.equal(expected);
    expect(parseJobNotification(JSON.stringify({ Type: 'Notification', MessageId: 'm', TopicArn: TOPIC, Message: JSON.stringify(payload) }))).to.deep.equal(expected);
  });
  it('is lenient: API spelled either way, a string Timestamp, an extra "Message":"" field, lower-case status', () => {
    const parsed = parseJobNotification(JSON.stringify({ ...payload, API: 'FACE_DETECTION', Timestamp: '17', Message: '', Status: 'failed' }));
    expect(parsed).to.include({ api: 'FACE_DETECTION', timestamp: 17, status: 'FAILED' });
  });
  it('returns undefined for anything else (never throws)', () => {
    for (const body of [undefined, '', 'not json', '[]', '{}', '{"JobId":5,"Status":"SUCCEEDED"}', '{"Type":"Notification","Message":"garbage"}']) {
      expect(parseJobNotification(body as string)).to.equal(undefined);
    }
  });
});

describe('jobs: completion by SQS notification (emulator SNS → SQS, virtual time)', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let clock: VirtualClock;
  let sqs: SQSClient;
  let rek: TrackedClient;
  let sqsTracked: TrackedClient;
  let queueUrl: string;

  async function setUp(options: TestEmulatorOptions = {}, subscription: { raw?: boolean } | false = {}): Promise<void> {
    clock = new VirtualClock(Date.UTC(2026, 0, 1));
    t = await startTestEmulator({ clock, seed: 9, processingTimeMs: 10_000, ...options });
    if (subscription) t.emu.subscribe(TOPIC, 'jobs', subscription);
    else t.emu.createQueue('jobs');
    queueUrl = t.emu.queueUrl('jobs');
    sqs = new SQSClient({ region: 'us-east-1', endpoint: t.emu.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    rek = trackInFlight(t.client);
    // Long polls wait on the virtual clock inside the emulator: the driver may advance time meanwhile.
    sqsTracked = trackInFlight(sqs, (command) => command instanceof ReceiveMessageCommand && (command.input.WaitTimeSeconds ?? 0) > 0);
  }
  afterEach(async () => {
    sqs?.destroy();
    await t?.close();
  });

  async function runBatch(videos: string[], options: Partial<FaceDetectionBatchOptions> = {}) {
    const notifications = sqsJobNotifications({ sqs: sqsTracked, queueUrl, clock });
    // Loading @aws-sdk/client-sqs is real I/O the virtual-time driver cannot see: done before time starts
    // moving, or the clock could run to the polling fallback before the first long poll is sent.
    await notifications.ready();
    const events: BatchEvent[] = [];
    const work = (async () => {
      for await (const event of faceDetectionBatch(videos, {
        client: rek,
        policy: directPolicy,
        clock,
        notificationChannel: CHANNEL,
        notifications,
        // Polls an hour apart unless a test says otherwise: completion comes by notification, whatever the load
        // (the driver may move virtual time while a long poll's answer is still on its way).
        poll: { minDelay: 3_600_000, maxDelay: 3_600_000 },
        ...options,
      })) {
        events.push(event);
      }
    })();
    try {
      await driveClock(clock, work, [rek, sqsTracked]);
    } finally {
      await notifications.close();
    }
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('no done event');
    return { events, counts: done.counts, notifications };
  }
  const videos = (n: number, prefix = 'v') => Array.from({ length: n }, (_, i) => `s3://videos/${prefix}${i}/duration=1m.mp4`);
  const via = (events: BatchEvent[]) => events.flatMap((e) => (e.type === 'succeeded' ? [e.via] : []));

  for (const raw of [false, true]) {
    it(`completes every job by notification, without status polls (${raw ? 'raw delivery' : 'SNS envelope'})`, async () => {
      await setUp({}, { raw });
      const { events, counts, notifications } = await runBatch(videos(4));
      expect(counts).to.include({ succeeded: 4, failed: 0, polls: 0 });
      expect(via(events)).to.deep.equal(['notification', 'notification', 'notification', 'notification']);
      expect(notifications.stats.deleted).to.equal(4);
      expect(t.emu.queueMessages('jobs')).to.deep.equal([]);
    });
  }

  it('duplicated notifications: one success per video; the duplicates are deleted, not acted on twice', async () => {
    await setUp({ notificationFaults: { duplicate: 1 } });
    const { counts, notifications } = await runBatch(videos(3), { maxConcurrentJobs: 1 });
    expect(counts).to.include({ succeeded: 3, started: 3, failed: 0 });
    expect(t.emu.jobs()).to.have.length(3);
    expect(notifications.stats.duplicates).to.be.greaterThan(0);
    expect(t.emu.queueMessages('jobs').length).to.be.at.most(1); // a last duplicate may arrive after the batch
  });

  it('lost notifications: the slow polling fallback completes every job', async () => {
    await setUp({ notificationFaults: { lose: 1 } });
    const { events, counts } = await runBatch(videos(3), { poll: { minDelay: 60_000, maxDelay: 120_000 } });
    expect(counts).to.include({ succeeded: 3, failed: 0 });
    expect(via(events)).to.deep.equal(['poll', 'poll', 'poll']);
    expect(counts.polls).to.equal(3);
  });

  it('while notifications work, fallback polls wait maxDelay (they leave the TPS to page reads); a lost one restores the schedule', async () => {
    // Jobs take 10 s. Two run at once: the first two are polled at 2, 5 and 9.5 s (pauses 2, 3, 4.5 s) before
    // their notifications at 10 s; from then on the next jobs' first fallback poll waits maxDelay (20 s), after
    // their own notifications at 20 s, so they are never polled.
    await setUp();
    const poll = { minDelay: 2000, maxDelay: 20_000, factor: 1.5 };
    const working = await runBatch(videos(4), { maxConcurrentJobs: 2, poll });
    expect(working.counts).to.include({ succeeded: 4, failed: 0, polls: 6 });
    expect(via(working.events)).to.deep.equal(['notification', 'notification', 'notification', 'notification']);
    const polled = (jobId: string) =>
      t.emu.requests().filter((r) => r.operation === 'GetFaceDetection' && r.jobId === jobId).length;
    const started = working.events.flatMap((e) => (e.type === 'started' ? [e.jobId] : []));
    expect(started.map(polled)).to.deep.equal([3, 3, 0, 0]);
    await t.close();

    // Every notification lost: the jobs are found by polls, and the schedule stays the one from minDelay.
    await setUp({ notificationFaults: { lose: 1 } });
    const lost = await runBatch(videos(4), { maxConcurrentJobs: 2, poll });
    expect(via(lost.events)).to.deep.equal(['poll', 'poll', 'poll', 'poll']);
    expect(lost.counts.polls).to.equal(16); // 2, 5, 9.5 (running) and 16.25 s (finished) for each job
  });

  it('foreign messages stay in the queue for their owner (never deleted)', async () => {
    await setUp();
    const foreign = [
      JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ JobId: 'f'.repeat(64), Status: 'SUCCEEDED', API: 'StartLabelDetection', JobTag: 'other-app' }) }),
      '{"order":42}',
      'plain text',
    ];
    for (const body of foreign) t.emu.sendMessage('jobs', body);
    // Polls far apart, so that completion comes by notification and our own messages are all consumed (a job
    // completed by a poll leaves its notification for a later reader, which would make the count below vary).
    const { counts, notifications } = await runBatch(videos(2));
    expect(counts.succeeded).to.equal(2);
    expect(notifications.stats.foreign).to.be.greaterThan(0);
    expect(t.emu.queueMessages('jobs').map((m) => m.body).sort()).to.deep.equal([...foreign].sort());
  });

  it('an idempotent rerun gets no notification: polling first finishes it at once', async () => {
    await setUp();
    const first = await runBatch(videos(2));
    expect(via(first.events)).to.deep.equal(['notification', 'notification']);
    const published = t.emu.notifications().length;
    const rerun = await runBatch(videos(2), { pollFirst: true });
    expect(via(rerun.events)).to.deep.equal(['poll', 'poll']);
    expect(rerun.counts.polls).to.equal(2);
    expect(t.emu.notifications().length).to.equal(published);
    expect(t.emu.jobs()).to.have.length(2);
  });

  it('no subscription (misconfigured topic): the deadline names the job, the polls and the silent queue', async () => {
    await setUp({ processingTimeMs: 3_600_000 }, false);
    const { events } = await runBatch(videos(1), { waitTimeout: 600_000 });
    const failed = events.find((e) => e.type === 'failed');
    if (failed?.type !== 'failed') throw new Error('expected a failed event');
    expect(failed.error).to.be.instanceOf(JobWaitTimeoutError);
    expect(failed.error.message)
      .to.contain(failed.jobId!)
      .and.contain(queueUrl)
      .and.contain('none for this job')
      .and.contain('GetFaceDetection poll');
  });

  it('other applications hold slots for a while: fewer of our jobs meanwhile, all of them afterwards', async () => {
    await setUp({ maxConcurrentJobs: 6 });
    t.emu.holdJobSlots(5, { forMs: 30_000 });
    const { counts } = await runBatch(videos(12), { maxConcurrentJobs: 6 });
    expect(counts).to.include({ succeeded: 12, failed: 0, started: 12 });
    expect(counts.limitExceeded).to.be.greaterThan(0);
    const stats = t.emu.jobStats();
    expect(t.emu.jobs().filter((j) => j.bucket === 'videos')).to.have.length(12);
    expect(counts.peakJobs).to.be.at.most(6);
    // The account never had more than its quota; once the other application let go, we used the whole quota.
    expect(stats.peakInProgress.total).to.be.at.most(6);
    expect(stats.peakInProgress.ours).to.be.at.least(2); // more than the one slot left free during the hold
    expect(stats.byObject.every((o) => o.jobIds.length === 1)).to.equal(true);
    expect(stats.limitExceeded).to.equal(counts.limitExceeded);
  });
});

describe('jobs: sqsJobNotifications.close()', function () {
  this.timeout(60_000);

  it('resolves only once the delete of a handled notification has settled: the message leaves the queue', async () => {
    const t = await startTestEmulator({ processingTimeMs: 0 });
    t.emu.subscribe(TOPIC, 'jobs');
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: t.emu.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    // The delete is held until the test releases it (the real client, a middleware in its own stack).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const held = new Promise<void>((resolve) => (entered = resolve));
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteMessageCommand') {
          entered();
          await gate;
        }
        return next(args);
      },
      { step: 'initialize', name: 'holdDeletes' },
    );
    const notifications = sqsJobNotifications({ sqs, queueUrl: t.emu.queueUrl('jobs') });
    try {
      const { JobId } = await t.client.send(
        new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'videos', Name: 'close/duration=10s.mp4' } }, NotificationChannel: { SNSTopicArn: CHANNEL.snsTopicArn, RoleArn: CHANNEL.roleArn } }),
      );
      const watch = notifications.watch({ jobId: JobId! });
      expect((await watch.notification).jobId).to.equal(JobId);
      await held;
      let closed = false;
      const closing = notifications.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(closed, 'close() resolved with a delete in flight').to.equal(false);
      expect(t.emu.queueMessages('jobs')).to.have.length(1);
      release();
      await closing;
      expect(t.emu.queueMessages('jobs')).to.deep.equal([]);
      expect(notifications.stats.deleted).to.equal(1);
    } finally {
      release();
      await notifications.close();
      sqs.destroy();
      await t.close();
    }
  });
});

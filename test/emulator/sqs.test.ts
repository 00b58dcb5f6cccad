import { StartFaceDetectionCommand, type StartFaceDetectionCommandInput } from '@aws-sdk/client-rekognition';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator, type TestEmulatorOptions } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { failure } from './failure.js';
import { rawRequest } from './raw.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic';
const CHANNEL = { SNSTopicArn: TOPIC, RoleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS' };

/** Lets the event loop run until `condition` holds (requests in flight reach the emulator); mocha's timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

describe('emulator SQS and completion notifications (real @aws-sdk/client-sqs)', () => {
  let t: TestEmulator;
  let sqs: SQSClient;
  let clock: VirtualClock;
  let queueUrl: string;

  async function setUp(options: TestEmulatorOptions = {}, raw = false): Promise<void> {
    clock = new VirtualClock(Date.UTC(2026, 0, 1));
    t = await startTestEmulator({ clock, processingTimeMs: 10_000, ...options });
    t.emu.subscribe(TOPIC, 'jobs', { raw });
    queueUrl = t.emu.queueUrl('jobs');
    sqs = new SQSClient({ region: 'us-east-1', endpoint: t.emu.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  }

  afterEach(async () => {
    sqs?.destroy();
    await t?.close();
  });

  const start = (Name: string, extra: Partial<StartFaceDetectionCommandInput> = {}) =>
    t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'videos', Name } }, NotificationChannel: CHANNEL, ...extra }));
  const receive = (input: { WaitTimeSeconds?: number; VisibilityTimeout?: number; MaxNumberOfMessages?: number } = {}, abortSignal?: AbortSignal) =>
    sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['All'], ...input }), abortSignal ? { abortSignal } : {});
  const payloadOf = (m: Message) => JSON.parse(JSON.parse(m.Body!).Message as string) as Record<string, unknown>;

  it('a long poll returns when the job completes, with AWS’s SNS envelope around the Rekognition payload', async () => {
    await setUp();
    const { JobId } = await start('preset=interview,duration=10s.mp4', { JobTag: 'video-7' });
    const polled = receive({ WaitTimeSeconds: 20 });
    await until(() => clock.pending >= 2); // the job's completion and the long poll
    await clock.advance(9_999);
    expect(t.emu.notifications()).to.have.length(0);
    await clock.advance(1);
    const { Messages } = await polled;
    expect(Messages).to.have.length(1);
    const message = Messages![0]!;
    const envelope = JSON.parse(message.Body!) as Record<string, string>;
    expect(Object.keys(envelope)).to.deep.equal([
      'Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL',
    ]);
    expect(message.Body).to.match(/^\{\n {2}"Type" : "Notification",\n {2}"MessageId" : "/);
    expect(envelope).to.include({ Type: 'Notification', TopicArn: TOPIC, SignatureVersion: '1', Timestamp: '2026-01-01T00:00:10.000Z' });
    expect(envelope.MessageId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Buffer.from(envelope.Signature!, 'base64')).to.have.length(256);
    expect(envelope.SigningCertURL).to.match(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
    expect(envelope.UnsubscribeURL).to.match(new RegExp(`^https://sns\\.us-east-1\\.amazonaws\\.com/\\?Action=Unsubscribe&SubscriptionArn=${TOPIC}:[0-9a-f-]{36}$`));
    expect(envelope.Message).to.equal(
      JSON.stringify({
        JobId,
        Status: 'SUCCEEDED',
        API: 'StartFaceDetection',
        JobTag: 'video-7',
        Timestamp: Date.UTC(2026, 0, 1) + 10_000,
        Video: { S3ObjectName: 'preset=interview,duration=10s.mp4', S3Bucket: 'videos' },
      }),
    );
    expect(message.Attributes).to.include({ ApproximateReceiveCount: '1', SentTimestamp: String(Date.UTC(2026, 0, 1) + 10_000) });
    expect(t.emu.notifications()).to.deep.equal([
      {
        seq: 1,
        jobId: JobId,
        topicArn: TOPIC,
        status: 'SUCCEEDED',
        messageId: envelope.MessageId,
        finishedAt: Date.UTC(2026, 0, 1) + 10_000,
        publishedAt: Date.UTC(2026, 0, 1) + 10_000,
        fault: undefined,
        deliveredTo: ['jobs'],
      },
    ]);
    // An empty long poll ends after WaitTimeSeconds, with no Messages.
    const empty = receive({ WaitTimeSeconds: 5 });
    await until(() => clock.pending >= 1);
    await clock.advance(5_000);
    expect((await empty).Messages).to.equal(undefined);
  });

  it('raw delivery; FAILED jobs; an idempotent repeat publishes no second notification; an unsubscribed topic publishes nowhere', async () => {
    await setUp({ processingTimeMs: 0 }, true);
    const { JobId } = await start('fail=1.mp4', { ClientRequestToken: 'tok-1' });
    expect((await start('fail=1.mp4', { ClientRequestToken: 'tok-1' })).JobId).to.equal(JobId);
    const other = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionUnwired';
    const lonely = await start('clip.mp4', { NotificationChannel: { ...CHANNEL, SNSTopicArn: other } });
    await clock.advance(0);
    const { Messages } = await receive({ MaxNumberOfMessages: 10 });
    expect(Messages).to.have.length(1);
    expect(JSON.parse(Messages![0]!.Body!)).to.deep.equal({
      JobId,
      Status: 'FAILED',
      API: 'StartFaceDetection',
      Timestamp: Date.UTC(2026, 0, 1),
      Video: { S3ObjectName: 'fail=1.mp4', S3Bucket: 'videos' },
    });
    const log = t.emu.notifications();
    expect(JSON.parse(Messages![0]!.Body!)).to.not.have.property('Subject');
    expect(log.map((n) => [n.jobId, n.deliveredTo])).to.deep.equal([
      [JobId, ['jobs']],
      [lonely.JobId, []],
    ]);
  });

  it('visibility timeout re-delivers an undeleted message; only the latest receipt handle deletes it', async () => {
    await setUp({ processingTimeMs: 0 });
    await start('a.mp4');
    await clock.advance(0);
    const first = (await receive({ VisibilityTimeout: 30 })).Messages![0]!;
    expect((await receive()).Messages).to.equal(undefined); // in flight
    await clock.advance(29_999);
    expect((await receive()).Messages).to.equal(undefined);
    await clock.advance(1);
    const second = (await receive({ VisibilityTimeout: 30 })).Messages![0]!;
    expect(second.MessageId).to.equal(first.MessageId);
    expect(second.ReceiptHandle).to.not.equal(first.ReceiptHandle);
    expect(second.Attributes?.ApproximateReceiveCount).to.equal('2');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.ReceiptHandle! })); // stale: no effect
    expect(t.emu.queueMessages('jobs')).to.have.length(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: second.ReceiptHandle! }));
    expect(t.emu.queueMessages('jobs')).to.have.length(0);
    await clock.advance(60_000);
    expect((await receive()).Messages).to.equal(undefined);
  });

  it('ChangeMessageVisibility: 0 makes a message visible at once (waking a long poll), longer hides it longer', async () => {
    await setUp({ processingTimeMs: 0 });
    await start('a.mp4');
    await clock.advance(0);
    const first = (await receive({ VisibilityTimeout: 300 })).Messages![0]!;
    const polled = receive({ WaitTimeSeconds: 20 });
    await until(() => clock.pending >= 1);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first.ReceiptHandle!, VisibilityTimeout: 0 }));
    const again = (await polled).Messages![0]!;
    expect(again.MessageId).to.equal(first.MessageId);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: again.ReceiptHandle!, VisibilityTimeout: 600 }));
    await clock.advance(599_000);
    expect((await receive()).Messages).to.equal(undefined);
    await clock.advance(1_000);
    const third = (await receive()).Messages![0]!;
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'x', ReceiptHandle: third.ReceiptHandle! }] }));
    const err = await failure(() =>
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: third.ReceiptHandle!, VisibilityTimeout: 10 })),
    );
    expect(err.name).to.equal('MessageNotInflight');
    const bad = await failure(() => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'not-a-handle' })));
    expect(bad.name).to.equal('ReceiptHandleIsInvalid');
    expect(bad.$metadata?.httpStatusCode).to.equal(404);
  });

  it('a client that abandons its long poll takes no message', async () => {
    await setUp();
    await start('a.mp4');
    const abandon = new AbortController();
    const polled = receive({ WaitTimeSeconds: 20 }, abandon.signal).catch((e: Error) => e);
    await until(() => clock.pending >= 2);
    abandon.abort();
    expect(((await polled) as Error).name).to.equal('AbortError');
    await until(() => clock.pending === 1); // the server ended the wait
    await clock.advance(10_000);
    const { Messages } = await receive();
    expect(Messages![0]!.Attributes?.ApproximateReceiveCount).to.equal('1');
  });

  it('notificationSubject adds a Subject after TopicArn', async () => {
    await setUp({ processingTimeMs: 0, notificationSubject: 'Rekognition job' });
    await start('a.mp4');
    await clock.advance(0);
    const envelope = JSON.parse((await receive()).Messages![0]!.Body!) as Record<string, string>;
    expect(Object.keys(envelope).slice(0, 5)).to.deep.equal(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message']);
    expect(envelope.Subject).to.equal('Rekognition job');
  });

  it('close() ends a pending long poll at once', async () => {
    await setUp();
    const polled = receive({ WaitTimeSeconds: 20 }).catch((e: Error) => e);
    await until(() => clock.pending >= 1);
    await t.close();
    const err = (await polled) as Error;
    expect(err).to.be.instanceOf(Error);
    expect(err.name).to.not.match(/QueueDoesNotExist|Exception$/); // a network error: the connection was closed
    await until(() => clock.pending === 0); // the server's wait ended too: no timer left behind
  });

  it('CreateQueue, GetQueueUrl, SendMessage, GetQueueAttributes, PurgeQueue; foreign messages stay for their owner', async () => {
    await setUp({ processingTimeMs: 0 });
    const created = await sqs.send(new CreateQueueCommand({ QueueName: 'other', Attributes: { VisibilityTimeout: '5' } }));
    expect(created.QueueUrl).to.equal(`${t.emu.endpoint}/123456789012/other`);
    expect((await sqs.send(new CreateQueueCommand({ QueueName: 'other' }))).QueueUrl).to.equal(created.QueueUrl);
    expect((await failure(() => sqs.send(new CreateQueueCommand({ QueueName: 'other', Attributes: { VisibilityTimeout: '6' } })))).name).to.equal(
      'QueueNameExists',
    );
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'jobs' }))).QueueUrl).to.equal(queueUrl);
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"not":"ours"}' }));
    t.emu.sendMessage('jobs', 'plain text from another application');
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(attributes.Attributes).to.include({ ApproximateNumberOfMessages: '2', QueueArn: 'arn:aws:sqs:us-east-1:123456789012:jobs' });
    const got = await receive({ MaxNumberOfMessages: 10 });
    expect(got.Messages!.map((m) => m.MessageId)).to.include(sent.MessageId);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    expect(t.emu.queueMessages('jobs')).to.deep.equal([]);
  });

  it('errors as SQS sends them: __type shape id, x-amzn-query-error, awsJson1_0', async () => {
    await setUp();
    const err = await failure(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(err.name).to.equal('QueueDoesNotExist');
    expect(err.$metadata?.httpStatusCode).to.equal(400);
    expect((err as unknown as { Code: string }).Code).to.equal('AWS.SimpleQueueService.NonExistentQueue');
    const raw = await rawRequest(t.emu.endpoint, {
      target: 'raw:AmazonSQS.ReceiveMessage',
      body: JSON.stringify({ QueueUrl: `${t.emu.endpoint}/123456789012/nope` }),
      headers: { 'content-type': 'application/x-amz-json-1.0' },
    });
    expect(raw.status).to.equal(400);
    expect(raw.headers['content-type']).to.equal('application/x-amz-json-1.0');
    expect(raw.headers['x-amzn-query-error']).to.equal('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(raw.json()).to.deep.equal({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
    const invalid = await failure(() => receive({ WaitTimeSeconds: 21 }));
    expect(invalid.name).to.equal('InvalidParameterValue');
    const unknown = await rawRequest(t.emu.endpoint, { target: 'raw:AmazonSQS.TagQueue', body: '{}' });
    expect(unknown.json().__type).to.equal('UnknownOperationException');
    expect(unknown.headers['x-amzn-query-error']).to.equal('UnknownOperationException;Sender');
    const unsigned = await rawRequest(t.emu.endpoint, { target: 'raw:AmazonSQS.GetQueueUrl', body: '{"QueueName":"jobs"}', auth: null });
    expect(unsigned.status).to.equal(400);
    expect(unsigned.json().__type).to.equal('AccessDeniedException');
  });
});

describe('emulator notification faults (seeded)', () => {
  let t: TestEmulator;
  let clock: VirtualClock;
  afterEach(() => t?.close());

  async function run(options: TestEmulatorOptions, jobs: number): Promise<TestEmulator> {
    clock = new VirtualClock(0);
    t = await startTestEmulator({ clock, processingTimeMs: 1_000, ...options });
    t.emu.subscribe(TOPIC, 'jobs');
    for (let i = 0; i < jobs; i++) {
      await t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'videos', Name: `v${i}.mp4` } }, NotificationChannel: CHANNEL }));
    }
    return t;
  }

  it('lost notifications are logged but never delivered', async () => {
    await run({ notificationFaults: { lose: 1 } }, 2);
    await clock.advance(1_000);
    expect(t.emu.notifications().map((n) => [n.fault, n.deliveredTo])).to.deep.equal([
      ['lost', []],
      ['lost', []],
    ]);
    expect(t.emu.queueMessages('jobs')).to.deep.equal([]);
  });

  it('duplicated notifications: the same SNS envelope twice, as two SQS messages', async () => {
    await run({ notificationFaults: { duplicate: 1 } }, 1);
    await clock.advance(1_000);
    const messages = t.emu.queueMessages('jobs');
    expect(messages).to.have.length(2);
    expect(messages[0]!.body).to.equal(messages[1]!.body);
    expect(messages[0]!.messageId).to.not.equal(messages[1]!.messageId);
    expect(t.emu.notifications()[0]).to.include({ fault: 'duplicated' });
  });

  it('delayed notifications arrive delayMs after the job finished, with the finish Timestamp', async () => {
    await run({ notificationFaults: { delay: 1, delayMs: 60_000 } }, 1);
    await clock.advance(60_999);
    expect(t.emu.queueMessages('jobs')).to.have.length(0);
    await clock.advance(1);
    const [message] = t.emu.queueMessages('jobs');
    expect(JSON.parse(JSON.parse(message!.body).Message as string).Timestamp).to.equal(1_000);
    expect(t.emu.notifications()[0]).to.include({ fault: 'delayed', finishedAt: 1_000, publishedAt: 61_000 });
  });

  it('the same seed gives the same faults; setNotificationFaults changes them at run time', async () => {
    const faults = { lose: 0.3, duplicate: 0.3, delay: 0.3, delayMs: { min: 1_000, max: 5_000 }, seed: 5 };
    const pattern = async () => {
      await run({ notificationFaults: faults }, 20);
      await clock.advance(10_000);
      const seen = t.emu.notifications().map((n) => `${n.fault ?? 'ok'}@${n.publishedAt}`);
      await t.close();
      return seen;
    };
    const one = await pattern();
    expect(await pattern()).to.deep.equal(one);
    expect(new Set(one.map((s) => s.split('@')[0]))).to.have.length(4);
    await run({ notificationFaults: { lose: 1 } }, 0);
    t.emu.setNotificationFaults({});
    await t.client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'videos', Name: 'x' } }, NotificationChannel: CHANNEL }));
    await clock.advance(1_000);
    expect(t.emu.queueMessages('jobs')).to.have.length(1);
  });
});

describe('emulator SQS in real time (system clock)', () => {
  it('a long poll on a real timer returns the completion of a job', async () => {
    const t = await startTestEmulator({ processingTimeMs: 50, subscriptions: [{ topicArn: TOPIC, queue: 'jobs', raw: true }] });
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: t.emu.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const { JobId } = await t.client.send(
        new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'videos', Name: 'a.mp4' } }, NotificationChannel: CHANNEL }),
      );
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: t.emu.queueUrl('jobs'), WaitTimeSeconds: 10 }));
      expect(JSON.parse(Messages![0]!.Body!)).to.include({ JobId, Status: 'SUCCEEDED' });
    } finally {
      sqs.destroy();
      await t.close();
    }
  });
});

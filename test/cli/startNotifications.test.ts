import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/log/RequestLog.js';
import { captureCli } from '../helpers/captureCli.js';
import { awsEnv, setEnv } from '../helpers/testEnv.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionStart';
const ROLE = 'arn:aws:iam::123456789012:role/RekognitionSNS';

describe('cli: face-stream start --wait with --sqs-queue-url/--sns-topic-arn/--role-arn (the emulator’s SNS → SQS)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let clock: VirtualClock;
  let restoreEnv = (): void => undefined;
  /** Resolves at the first GetFaceDetection answered (the wait's first status poll). */
  let firstPoll: Promise<RequestLogEntry>;

  beforeEach(async () => {
    // The emulator runs on a virtual clock: the job finishes only when the test advances it, after the CLI's first
    // poll has seen it IN_PROGRESS. The CLI polls an hour apart (real time), so only the notification can end the wait.
    clock = new VirtualClock(Date.UTC(2026, 0, 1));
    let polled: (entry: RequestLogEntry) => void = () => undefined;
    firstPoll = new Promise((resolve) => (polled = resolve));
    emu = await startEmulator({
      clock,
      seed: 13,
      processingTimeMs: 10_000,
      onRequest: (entry) => {
        if (entry.operation === 'GetFaceDetection') polled(entry);
      },
    });
    emu.subscribe(TOPIC, 'start-jobs');
    restoreEnv = setEnv(awsEnv(emu.endpoint));
  });
  afterEach(async () => {
    restoreEnv();
    await emu.close();
  });

  it('completes by the notification: one status poll (IN_PROGRESS), the message consumed, exit 0, only the JobId on stdout', async () => {
    const run = captureCli(
      'start',
      '--video',
      's3://media-a/wait/preset=meeting,duration=30s.mp4',
      '--wait',
      '--poll-interval',
      '1h',
      '--sqs-queue-url',
      emu.queueUrl('start-jobs'),
      '--sns-topic-arn',
      TOPIC,
      '--role-arn',
      ROLE,
    );
    const poll = await firstPoll;
    expect(poll.status).to.equal(200);
    expect(emu.jobs()[0]!.status).to.equal('IN_PROGRESS');
    await clock.advance(10_000); // the job finishes and publishes to the topic
    const result = await run;
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^[0-9a-f]{64}\n$/);
    expect(result.stdout.trim()).to.equal(emu.jobs()[0]!.jobId);
    expect(emu.counters().byOperation.GetFaceDetection).to.equal(1);
    // The Start named the channel, the topic carried one notification for the job, and the CLI deleted it.
    expect(emu.notifications()).to.have.length(1);
    expect(emu.queueMessages('start-jobs')).to.deep.equal([]);
  });

  it('--sqs-queue-url without the topic and role: a one-line error naming them, before the Start', async () => {
    const run = await captureCli('start', '--video', 's3://media-a/x.mp4', '--wait', '--sqs-queue-url', emu.queueUrl('start-jobs'));
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('--sqs-queue-url').and.contain('--sns-topic-arn and --role-arn');
    expect(emu.jobs()).to.have.length(0);
  });
});

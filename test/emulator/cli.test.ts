import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { emulatorOptionsFromFlags } from '../../src/cli/commands/emulator.js';
import { runCli } from '../../src/cli/main.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTestClient, TEST_CREDENTIALS } from '../helpers/emulator.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

const baseFlags = { host: '127.0.0.1', port: '0', seed: '1', verifySignatures: false, tps: [], script: [], log: false };

describe('face-stream emulator (CLI)', () => {
  it('prints the endpoint first, serves the SDK with the given faults, writes ground truth, exits on SIGTERM', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--seed', '3', '--processing-time', '0', '--log',
        '--script', 'GetFaceDetection:throttle:1', '--ground-truth-dir', dir, '--subscribe', 'AmazonRekognitionTopic=jobs:raw'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const endpoint = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
      });
      expect(endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createTestClient(endpoint);
      try {
        const { StartFaceDetectionCommand } = await import('@aws-sdk/client-rekognition');
        const { JobId } = await client.send(
          new StartFaceDetectionCommand({
            Video: { S3Object: { Bucket: 'cli-bucket', Name: 'preset=interview,duration=5s' } },
            NotificationChannel: {
              SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic',
              RoleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS',
            },
          }),
        );
        const sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
        const { Messages } = await sqs
          .send(new ReceiveMessageCommand({ QueueUrl: `${endpoint}/123456789012/jobs`, WaitTimeSeconds: 5 }))
          .finally(() => sqs.destroy());
        expect(JSON.parse(Messages![0]!.Body!)).to.include({ JobId, Status: 'SUCCEEDED', API: 'StartFaceDetection' });
        const throttled = await client.send(new GetFaceDetectionCommand({ JobId })).catch((e: Error) => e);
        expect((throttled as Error).name).to.equal('ThrottlingException');
        const page = await client.send(new GetFaceDetectionCommand({ JobId }));
        expect(page.JobStatus).to.equal('SUCCEEDED');
        child.kill('SIGTERM');
        expect(await exited).to.equal(0);
        // The process exits only after the ground-truth file is complete.
        const gtPath = join(dir, `${JobId}.gt.txt`);
        expect(existsSync(gtPath)).to.equal(true);
        const gt = readFileSync(gtPath, 'utf8').trim().split('\n');
        expect(gt.length).to.be.greaterThan(page.Faces!.length - 5);
        expect(gt[0]!.split(',')).to.have.length(10);
      } finally {
        client.destroy();
      }
      expect(stderr).to.match(/GetFaceDetection 400 ThrottlingException fault=throttle/);
      expect(stderr).to.match(/stopped after 4 requests .*1 notifications/);
      expect(stderr).to.contain(`arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic → queue jobs ${endpoint}/123456789012/jobs (raw)`);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns fault flags into emulator options', () => {
    const options = emulatorOptionsFromFlags(
      {
        ...baseFlags,
        port: '8123',
        seed: '9',
        processingTime: '250',
        tokenTtl: '1000',
        tps: ['GetFaceDetection=5:10', 'StartFaceDetection=0.5'],
        throttle: '0.1',
        throttle500: '0.05',
        provisioned: '0.03',
        internalError: '0.01',
        drop: '0.02',
        latency: '10-50',
        faultOps: 'GetFaceDetection',
        script: ['GetFaceDetection:throttle:3', '*:drop'],
      },
      {},
    );
    expect(options).to.deep.include({ port: 8123, seed: 9, processingTimeMs: 250, tokenTtlMs: 1000 });
    expect(options.faults).to.deep.equal({
      tps: { GetFaceDetection: { rate: 5, burst: 10 }, StartFaceDetection: { rate: 0.5 } },
      random: {
        throttle: 0.1,
        throttle500: 0.05,
        provisioned: 0.03,
        internal: 0.01,
        drop: 0.02,
        latencyMs: { min: 10, max: 50 },
        latency: 1,
        operations: ['GetFaceDetection'],
      },
      script: [{ operation: 'GetFaceDetection', fault: 'throttle', times: 3 }, { fault: 'drop' }],
    });
    const jobs = emulatorOptionsFromFlags(
      {
        ...baseFlags,
        processingTime: '1000',
        processingPerVideoSecond: '10',
        otherJobs: '5:60000',
        missingBucket: ['gone'],
        deniedBucket: ['private'],
        queue: ['extra'],
        subscribe: ['AmazonRekognitionTopic=jobs', 'arn:aws:sns:eu-west-1:123456789012:AmazonRekognitionEU=eu:raw'],
        loseNotifications: '0.1',
        duplicateNotifications: '0.2',
        delayNotifications: '1000-5000',
        delayNotificationsRate: '0.5',
      },
      {},
    );
    expect(jobs).to.deep.include({
      processingTimeMs: { perVideoSecondMs: 10, baseMs: 1000 },
      otherApplications: { slots: 5, forMs: 60_000 },
      missingBuckets: ['gone'],
      deniedBuckets: ['private'],
      queues: ['extra'],
      subscriptions: [
        { topicArn: 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic', queue: 'jobs' },
        { topicArn: 'arn:aws:sns:eu-west-1:123456789012:AmazonRekognitionEU', queue: 'eu', raw: true },
      ],
      notificationFaults: { lose: 0.1, duplicate: 0.2, delayMs: { min: 1000, max: 5000 }, delay: 0.5 },
    });
    const verified = emulatorOptionsFromFlags({ ...baseFlags, verifySignatures: true }, { AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'S' });
    expect(verified.credentials).to.deep.equal([{ accessKeyId: 'AK', secretAccessKey: 'S' }]);
  });

  it('rejects bad flags with a message naming the flag', async () => {
    for (const [flags, name] of [
      [{ throttle: '2' }, '--throttle'],
      [{ tps: ['Nope=1'] }, '--tps'],
      [{ tps: ['GetFaceDetection=0'] }, '--tps'],
      [{ script: ['GetFaceDetection:explode'] }, '--script'],
      [{ latency: 'soon' }, '--latency'],
      [{ port: 'abc' }, '--port'],
      [{ verifySignatures: true }, '--verify-signatures'],
      [{ subscribe: ['topic-only'] }, '--subscribe'],
      [{ subscribe: ['t=bad queue'] }, '--subscribe'],
      [{ subscribe: ['t=q:fast'] }, '--subscribe'],
      [{ queue: ['a.fifo'] }, '--queue'],
      [{ otherJobs: '0' }, '--other-jobs'],
      [{ loseNotifications: '1.5' }, '--lose-notifications'],
      [{ delayNotifications: '9-1' }, '--delay-notifications'],
    ] as const) {
      expect(() => emulatorOptionsFromFlags({ ...baseFlags, ...flags }, {}), name).to.throw(InvalidParameterError, name);
    }
    const original = process.stderr.write.bind(process.stderr);
    let captured = '';
    process.stderr.write = ((chunk: string) => {
      captured += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await runCli(['node', 'face-stream', 'emulator', '--drop', '7'])).to.equal(1);
    } finally {
      process.stderr.write = original;
    }
    expect(captured).to.contain('--drop');
  });
});

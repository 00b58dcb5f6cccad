import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { sourceOptionsFromFlags } from '../../src/cli/sourceOptions.js';
import { JobNotReadyError } from '../../src/errors/JobNotReadyError.js';
import { startEmulator } from '../../src/emulator/index.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { captureCli } from '../helpers/captureCli.js';
import { createTestClient, startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { driveUntilSettled, VirtualClock } from '../helpers/VirtualClock.js';
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';

/** `face-stream detections` against a hostile server: it fails loudly (one line, exit 1) or writes everything. */
describe('cli: face-stream detections against hostile answers, hangs and slow jobs', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let jobId: string;
  let lines: number;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    t = await startTestEmulator({ seed: 21 });
    jobId = await t.startJob('preset=meeting,duration=20s.mp4');
    lines = (await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()))).length;
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const) saved[key] = process.env[key];
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await t.close();
  });
  beforeEach(() => t.emu.faults.clear());

  const detections = (...args: string[]) =>
    captureCli('detections', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1', '--max-results', '100', ...args);
  /** The error is the last line of stderr; any line before it is a retry line (`face-stream: … retry N in …`). */
  const oneLine = (stderr: string) => {
    expect(stderr.endsWith('\n')).to.equal(true);
    const lines = stderr.slice(0, -1).split('\n');
    for (const line of lines.slice(0, -1)) expect(line).to.match(/^face-stream: GetFaceDetection \w+, retry \d+ in \d+ ms/);
    return lines.at(-1)!;
  };

  it('a 200 with {} on page 2 that persists: exit 1 and one line, not a short file with exit 0', async () => {
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', body: '{}', after: 1, times: 3 });
    const { code, stdout, stderr } = await detections('--retries', '2');
    expect(code).to.equal(1);
    expect(oneLine(stderr)).to.equal(
      'face-stream: GetFaceDetection failed: MalformedResponse: an HTTP 200 response that is not a page: no JobStatus (gave up after 3 attempts)',
    );
    expect(stderr).to.match(/^face-stream: GetFaceDetection MalformedResponse, retry 1 in \d+ ms \(an HTTP 200 response that is not a page: no JobStatus\)\n/);
    expect(stdout.split('\n').filter(Boolean)).to.have.length(100);
  });

  it("a proxy's HTML page, an empty body, a truncated page, once each: every line, exit 0, a retry line each", async () => {
    t.emu.faults.script(
      { operation: 'GetFaceDetection', fault: 'body', body: '<html><body>502 Bad Gateway</body></html>', after: 1 },
      { operation: 'GetFaceDetection', fault: 'body', body: '', after: 1 },
      { operation: 'GetFaceDetection', fault: 'body', body: '{"JobStatus":"SUCC' },
    );
    const { code, stdout, stderr } = await detections();
    expect(code).to.equal(0);
    const retries = stderr.split('\n').filter(Boolean);
    expect(retries).to.have.length(3);
    expect(retries[0]).to.match(/MalformedResponse, retry 1 in \d+ ms \(Unexpected token '<'/);
    expect(retries[1]).to.match(/MalformedResponse, retry 1 in \d+ ms \(an HTTP 200 response that is not a page: no JobStatus\)$/);
    expect(retries[2]).to.match(/MalformedResponse, retry 2 in \d+ ms \(Unterminated string/);
    expect(stdout.split('\n').filter(Boolean)).to.have.length(lines);
    t.emu.faults.assertAllConsumed();
  });

  it('a server that never answers: --attempt-timeout aborts each attempt, then exit 1 with one line', async () => {
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'hang', times: 2 });
    const { code, stderr } = await detections('--attempt-timeout', '150ms', '--retries', '1');
    expect(code).to.equal(1);
    oneLine(stderr);
    expect(stderr).to.match(/AttemptTimeout: no complete response within 150 ms \(attemptTimeout\) \(gave up after 2 attempts\)/);
  });

  it('headers then a stalled body: --max-retry-time ends the attempt in flight', async () => {
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'stall', after: 1 });
    const { code, stderr } = await detections('--max-retry-time', '300ms');
    expect(code).to.equal(1);
    oneLine(stderr);
    expect(stderr).to.include('AttemptTimeout: no complete response within');
    expect(stderr).to.include('(the rest of maxRetryTime)');
  });

  it('an expired token: recovered by default; --max-token-recoveries 0 makes it an error', async () => {
    const expired = { type: 'InvalidPaginationTokenException', message: 'Invalid Token' };
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'error', error: expired, after: 1 });
    const ok = await detections();
    expect(ok.code).to.equal(0);
    expect(ok.stdout.split('\n').filter(Boolean)).to.have.length(lines);
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'error', error: expired, after: 1 });
    const failed = await detections('--max-token-recoveries', '0');
    expect(failed.code).to.equal(1);
    oneLine(failed.stderr);
    expect(failed.stderr).to.include('an expired pagination token could not be recovered');
  });

  it('bad --wait-timeout, --max-token-recoveries, --attempt-timeout, --connect-timeout, --idle-timeout: refused before any request', async () => {
    t.emu.resetLog();
    for (const args of [
      ['--wait-timeout', '10x'],
      ['--wait-timeout', '-1s'],
      ['--max-token-recoveries', 'many'],
      ['--attempt-timeout', '0'],
      ['--connect-timeout', 'soon'],
      ['--idle-timeout', '0ms'],
    ]) {
      const { code, stderr } = await detections(...args);
      expect(code, args.join(' ')).to.equal(1);
      oneLine(stderr);
      expect(stderr).to.include(`\`${args[0]}\``);
    }
    expect(t.emu.counters().requests).to.equal(0);
  });

  it('an IN_PROGRESS job: a line when waiting starts; --wait-timeout bounds the wait; 0 fails at once', async () => {
    const slow = await startTestEmulator({ seed: 22, processingTimeMs: 3_600_000 });
    try {
      const slowJob = await slow.startJob();
      const run = (...args: string[]) =>
        captureCli('detections', '--job-id', slowJob, '--endpoint', slow.emu.endpoint, '--region', 'us-east-1', ...args);
      const waited = await run('--wait-timeout', '1200ms');
      expect(waited.code).to.equal(1);
      expect(waited.stderr.split('\n').filter(Boolean)).to.deep.equal([
        `face-stream: job ${slowJob} is IN_PROGRESS; waiting for it to finish (at most 1.2s, --wait-timeout)`,
        `face-stream: Rekognition job ${slowJob} is still IN_PROGRESS after waiting 1200 ms (3 polls).`,
      ]);
      const fast = await run('--wait-timeout', '0');
      expect(fast.code).to.equal(1);
      expect(fast.stderr).to.match(/is still IN_PROGRESS and waiting is off/);
      expect(fast.stderr.split('\n').filter(Boolean)).to.have.length(1);
    } finally {
      await slow.close();
    }
  });

  it('waiting reports when it starts and once a minute after (on the injected clock), then streams', async () => {
    const clock = new VirtualClock();
    const emu = await startEmulator({ seed: 23, processingTimeMs: 200_000, clock });
    const client = createTestClient(emu.endpoint);
    const start = async (name: string) =>
      (await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'videos', Name: name } } }))).JobId!;
    const read = (jobId: string, waitTimeout: string, log: (line: string) => void) =>
      faceDetections({ client, jobId, policy: directPolicy, clock, ...sourceOptionsFromFlags({ waitTimeout }, log) });
    try {
      const jobId = await start('preset=interview,duration=5s.mp4');
      const log: string[] = [];
      const got = await driveUntilSettled(clock, lastValueFrom(read(jobId, '1h', (line) => log.push(line)).pipe(toArray())), 1000);
      expect(got).to.have.length(emu.video(jobId).detectionCount());
      expect(log).to.have.length(4);
      expect(log[0]).to.match(/is IN_PROGRESS; waiting for it to finish \(at most 1h, --wait-timeout\)$/);
      expect(log.slice(1).map((l) => /after (\d+)m/.exec(l)?.[1])).to.deep.equal(['1', '2', '3']);
      expect(log[1]).to.match(/still IN_PROGRESS after 1m \d+s \(\d+ status requests\); giving up after 1h$/);
      const later = await start('preset=interview,duration=6s.mp4');
      const error = await driveUntilSettled(clock, lastValueFrom(read(later, '90s', () => undefined)).catch((e: unknown) => e), 1000);
      expect(error).to.be.instanceOf(JobNotReadyError);
      expect(error).to.include({ waited: 90_000 });
    } finally {
      client.destroy();
      await emu.close();
    }
  });
});

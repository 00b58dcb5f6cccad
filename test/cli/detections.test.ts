import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { openOutput } from '../../src/cli/output/openOutput.js';
import { CSV_COLUMNS } from '../../src/cli/output/formatDetections.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { captureCli } from '../helpers/captureCli.js';
import { freePort } from '../resilience/redisServer.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs the real `face-stream` in a child process (real stdout pipe) with the standard AWS env chain. */
function spawnCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const cli = captureCli;

describe('cli: face-stream detections', function () {
  this.timeout(30_000);
  let t: TestEmulator;
  let jobId: string;
  let expected: string[];
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    t = await startTestEmulator({ seed: 5 });
    jobId = await t.startJob('preset=walkers,duration=3m.mp4', { FaceAttributes: 'ALL' });
    // What the SDK itself returns (its own deserializer), serialised the plain way.
    const all = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()));
    expected = all.map((d) => JSON.stringify(d));
    dir = mkdtempSync(join(tmpdir(), 'detections-'));
    env = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_REKOGNITION: t.emu.endpoint,
    };
    // The in-process runs read credentials from the environment too (restored afterwards).
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const) {
      saved[key] = process.env[key];
      process.env[key] = env[key];
    }
  });
  const saved: Record<string, string | undefined> = {};
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every detection once, in order, one SDK FaceDetection per line, nothing else on stdout', async () => {
    const { code, stdout, stderr } = await spawnCli(['detections', '--job-id', jobId, '--max-results', '333'], env);
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    expect(stdout.endsWith('\n')).to.equal(true);
    const lines = stdout.slice(0, -1).split('\n');
    expect(lines.length).to.equal(expected.length);
    expect(lines).to.deep.equal(expected);
  });

  it('--endpoint, --format csv and --output FILE', async () => {
    const file = join(dir, 'out.csv');
    const { AWS_ENDPOINT_URL_REKOGNITION: _, ...noEndpoint } = env;
    const { code, stdout } = await spawnCli(['detections', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--format', 'csv', '--output', file], noEndpoint);
    expect(code).to.equal(0);
    expect(stdout).to.equal('');
    const rows = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(rows[0]).to.equal(CSV_COLUMNS.join(','));
    expect(rows.length - 1).to.equal(expected.length);
    const first = JSON.parse(expected[0]!) as { Timestamp: number; Face: { Confidence: number } };
    expect(rows[1]!.split(',').slice(0, 2).map(Number)).to.deep.equal([first.Timestamp, first.Face.Confidence]);
  });

  it('--format json writes one array of the same detections', async () => {
    const { code, stdout } = await cli('detections', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1', '--format', 'json');
    expect(code).to.equal(0);
    expect((JSON.parse(stdout) as unknown[]).map((d) => JSON.stringify(d))).to.deep.equal(expected);
  });

  it('refuses an invalid --job-id or --max-results before any request, naming the option', async () => {
    const before = t.emu.counters().requests;
    for (const [args, option] of [
      [['--job-id', 'not valid!'], '--job-id'],
      [['--job-id', 'x'.repeat(65)], '--job-id'],
      [['--job-id', jobId, '--max-results', '0'], '--max-results'],
      [['--job-id', jobId, '--max-results', 'ten'], '--max-results'],
    ] as const) {
      const { code, stdout, stderr } = await cli('detections', ...args, '--endpoint', t.emu.endpoint);
      expect(code).to.equal(1);
      expect(stdout).to.equal('');
      expect(stderr.trimEnd().split('\n')).to.have.length(1);
      expect(stderr).to.contain(`\`${option}\``);
    }
    expect(t.emu.counters().requests).to.equal(before);
  });

  it('an unknown job: one line on stderr naming the cause, no stack trace, exit 1', async () => {
    const { code, stdout, stderr } = await cli('detections', '--job-id', 'no-such-job', '--endpoint', t.emu.endpoint, '--region', 'us-east-1');
    expect(code).to.equal(1);
    expect(stdout).to.equal('');
    expect(stderr.trimEnd().split('\n')).to.have.length(1);
    expect(stderr).to.match(/^face-stream: .*ResourceNotFoundException/);
  });

  it('--redis-fallback says on stderr (without --log-retries) that it uses a local limiter, and the output is complete', async () => {
    const port = await freePort(); // nothing listens there
    const { code, stdout, stderr } = await cli(
      'detections', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1',
      '--tps', '50', '--redis', `redis://127.0.0.1:${port}`, '--redis-fallback',
    );
    expect(code).to.equal(0);
    expect(stdout.slice(0, -1).split('\n')).to.deep.equal(expected);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      new RegExp(`^face-stream: warning: GetFaceDetection: Redis limiter failed \\(.*127\\.0\\.0\\.1:${port}.*\\); using a local limiter at 50\\.00 req/s`),
    );
  });

  it('output writes wait for drain when the reader is slow (backpressure)', async () => {
    const held: (() => void)[] = [];
    let received = '';
    const slow = new Writable({
      highWaterMark: 8,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.toString();
        held.push(callback);
      },
    });
    const output = openOutput(undefined, slow);
    await output.write('abc'); // under the high-water mark: resolves at once
    let resolved = false;
    const pending = output.write('0123456789').then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    expect(resolved).to.equal(false); // the sink is full: the producer waits
    while (held.length > 0) held.shift()!();
    await pending;
    expect(resolved).to.equal(true);
    expect(received).to.equal('abc0123456789');
  });
});

describe('cli output', () => {
  it('a reader that went away (EPIPE on stdout) ends the output quietly', async () => {
    const gone = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const output = openOutput(undefined, gone);
    await output.write('first line\n');
    await new Promise((r) => setImmediate(r));
    expect(output.readerGone).to.equal(true);
    await output.write('dropped\n'); // no throw
    await output.close();
  });
});

describe('cli: face-stream demo', function () {
  this.timeout(30_000);
  it('runs with zero configuration, prints a short summary and ends by writing a report, naming its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    try {
      const report = join(dir, 'demo.html');
      const { code, stdout } = await captureCli('demo', '--video', 'preset=interview,duration=30s.mp4', '--report', report);
      expect(code).to.equal(0);
      expect(stdout).to.match(/job: SUCCEEDED/);
      expect(stdout).to.match(/faces: [\d,]+ detections in [\d,]+ sampled frames/);
      expect(stdout).to.match(/detections per second of video/);
      expect(stdout.trimEnd().split('\n').at(-1)).to.match(new RegExp(`^report: \\d+ face tracks?; open ${report}$`));
      expect(readFileSync(report, 'utf8')).to.match(/^<!doctype html>[\s\S]*class="lane"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

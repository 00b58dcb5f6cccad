import { execFile } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { sequenceName } from '../../src/cli/commands/evaluate.js';
import { createRequestPolicy, ServiceError } from '../../src/index.js';
import { classifyError } from '../../src/resilience/classifyError.js';
import { captureCli as cli } from '../helpers/captureCli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { setEnv, TEST_AWS_ENV } from '../helpers/testEnv.js';
import { freePort } from '../resilience/redisServer.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Issue 10, "the first hour of a new user": the CLI's rough edges (item 13). */
describe('cli: the first hour of a new user', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let defaultJob: string;
  let allJob: string;
  let dir: string;
  let restoreEnv = (): void => undefined;

  before(async () => {
    t = await startTestEmulator({ seed: 11 });
    defaultJob = await t.startJob('preset=walkers,duration=30s.mp4');
    allJob = await t.startJob('preset=meeting,duration=10s.mp4', { FaceAttributes: 'ALL' });
    dir = mkdtempSync(join(tmpdir(), 'first-hour-'));
    restoreEnv = setEnv(TEST_AWS_ENV);
  });
  after(async () => {
    restoreEnv();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const singleLine = (stderr: string) => expect(stderr.endsWith('\n') && !stderr.slice(0, -1).includes('\n'), stderr).to.equal(true);

  it("does not print the AWS SDK's Node-version notice (a real process, without the opt-out in its environment)", async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...TEST_AWS_ENV };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', MAIN, 'detections', '--job-id', allJob, '--endpoint', t.emu.endpoint],
        { env, maxBuffer: 64 * 1024 * 1024 },
        (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    expect(stdout.split('\n').length).to.be.greaterThan(10);
  });

  describe('one error format', () => {
    for (const [args, message, usage] of [
      [['tracks', '--bogus'], "unknown option '--bogus'", 'face-stream tracks --help'],
      [['bogus'], "unknown command 'bogus'", 'face-stream --help'],
      [['windows', '--job-id'], "option '--job-id <id>' argument missing", 'face-stream windows --help'],
    ] as const) {
      it(`${args.join(' ')}: "face-stream: …" on one line, like every other error`, async () => {
        const { code, stdout, stderr } = await cli(...args);
        expect(code).to.equal(1);
        expect(stdout).to.equal('');
        singleLine(stderr);
        expect(stderr).to.equal(`face-stream: ${message} (usage: ${usage})\n`);
      });
    }
  });

  describe('a wrong endpoint is never a silent wait', () => {
    it('ENOTFOUND (the host does not exist) is not retried and says why; EAI_AGAIN still is', async () => {
      let attempts = 0;
      const policy = createRequestPolicy({ adaptive: false });
      const failure = await policy
        .execute({
          operation: 'GetFaceDetection',
          attempt: async () => {
            attempts++;
            throw Object.assign(new Error('getaddrinfo ENOTFOUND rekognition.nowhere.invalid'), { code: 'ENOTFOUND' });
          },
        })
        .catch((e: unknown) => e);
      await policy.close();
      expect(attempts).to.equal(1);
      expect(failure).to.be.instanceOf(ServiceError);
      expect((failure as ServiceError).retryable).to.equal(false);
      expect((failure as Error).message).to.match(/ENOTFOUND.*does not resolve: check the endpoint and the region/);
      const again = classifyError(Object.assign(new Error('getaddrinfo EAI_AGAIN x'), { code: 'EAI_AGAIN' }), 'GetFaceDetection');
      expect((again as ServiceError).retryable).to.equal(true);
    });

    it('the CLI fails at once on an unknown host, in one line', async function () {
      const host = 'face-stream-test.invalid'; // RFC 6761: never resolves
      const code = await lookup(host).then(() => 'resolved', (e: NodeJS.ErrnoException) => e.code);
      // Without a resolver the lookup fails with EAI_AGAIN, which is retried (as it should be): nothing to test.
      if (code !== 'ENOTFOUND') skipOutsideCI(this, `${host} does not fail with ENOTFOUND here (${code}): no DNS resolver`);
      const run = await cli('detections', '--job-id', 'abc', '--endpoint', `http://${host}:4566`);
      expect(run.code).to.equal(1);
      singleLine(run.stderr);
      expect(run.stderr).to.match(/^face-stream: GetFaceDetection failed: ENOTFOUND: .*does not resolve/);
    });

    it('says what it retries (not throttles) on stderr even without --log-retries, with the cause', async () => {
      const port = await freePort(); // nothing listens: ECONNREFUSED
      const { code, stderr } = await cli('detections', '--job-id', 'abc', '--endpoint', `http://127.0.0.1:${port}`, '--retries', '2');
      expect(code).to.equal(1);
      const lines = stderr.trimEnd().split('\n');
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(new RegExp(`^face-stream: GetFaceDetection ECONNREFUSED, retry 1 in \\d+ ms \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)$`));
      expect(lines[1]).to.match(/retry 2 in \d+ ms/);
      expect(lines[2]).to.match(/failed: ECONNREFUSED.*gave up after 3 attempts/);
    });
  });

  describe('windows: no silent nulls', () => {
    for (const aggregate of ['emotion', 'age', 'attributes'] as const) {
      it(`--aggregate ${aggregate} on a DEFAULT job fails before any output, saying FaceAttributes: 'ALL' is needed`, async () => {
        const run = await cli('windows', '--job-id', defaultJob, '--endpoint', t.emu.endpoint, '--size', '1000', '--aggregate', `count,${aggregate}`);
        expect(run.code).to.equal(1);
        expect(run.stdout).to.equal('');
        singleLine(run.stderr);
        expect(run.stderr).to.contain(`--aggregate ${aggregate} needs face attributes`);
        expect(run.stderr).to.contain("FaceAttributes: 'ALL'");
      });
    }

    it("the same aggregations on a FaceAttributes: 'ALL' job give values, never null", async () => {
      const run = await cli('windows', '--job-id', allJob, '--endpoint', t.emu.endpoint, '--size', '1000', '--aggregate', 'emotion,age,attributes');
      expect(run.code, run.stderr).to.equal(0);
      const windows = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { value: Record<string, unknown> });
      expect(windows.length).to.be.greaterThan(5);
      for (const w of windows) for (const name of ['emotion', 'age', 'attributes']) expect(w.value[name], name).to.not.equal(null);
    });

    it('--per-track on detections without TrackId fails naming the fix (tracks --label)', async () => {
      const input = join(dir, 'unlabelled.ndjson');
      writeFileSync(input, `${JSON.stringify({ Timestamp: 0, Face: { Confidence: 99, BoundingBox: { Left: 0.1, Top: 0.1, Width: 0.1, Height: 0.1 } } })}\n`);
      const run = await cli('windows', '--input', input, '--size', '1000', '--per-track');
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal('');
      singleLine(run.stderr);
      expect(run.stderr).to.contain('--per-track needs detections labelled with a TrackId');
      expect(run.stderr).to.contain('face-stream tracks --label');
    });
  });

  describe('tracks', () => {
    it('--format mot writes MOT rows that evaluate scores against the emulator ground truth, named after the job', async () => {
      const gt = join(dir, `${defaultJob}.gt.txt`);
      writeFileSync(gt, t.emu.groundTruthMot(defaultJob));
      const pred = join(dir, 'pred.txt');
      const tracks = await cli('tracks', '--job-id', defaultJob, '--endpoint', t.emu.endpoint, '--format', 'mot', '--output', pred);
      expect(tracks.code, tracks.stderr).to.equal(0);
      const rows = readFileSync(pred, 'utf8').trimEnd().split('\n');
      for (const row of rows.slice(0, 50)) expect(row).to.match(/^\d+,\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[01]\.\d{4},-1,-1,-1$/);
      const evaluated = await cli('evaluate', '--gt', gt, '--pred', pred, '--format', 'json');
      expect(evaluated.code, evaluated.stderr).to.equal(0);
      const metrics = JSON.parse(evaluated.stdout) as Record<string, { HOTA: number; IDF1: number; MOTA: number }>;
      expect(Object.keys(metrics)).to.deep.equal([defaultJob]);
      expect(metrics[defaultJob]!.HOTA).to.be.greaterThan(0.5);
      expect(metrics[defaultJob]!.IDF1).to.be.greaterThan(0.7);
    });

    it('--format mot with --input needs --frame-size and --frame-ms, refused before reading', async () => {
      const run = await cli('tracks', '--input', join(dir, 'does-not-exist.ndjson'), '--format', 'mot');
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^face-stream: Expected `--frame-size` to be WIDTHxHEIGHT/);
      const bad = await cli('tracks', '--input', '-', '--format', 'mot', '--frame-size', '640', '--frame-ms', '200');
      expect(bad.stderr).to.match(/`--frame-size`/);
    });

    it('track summaries carry the box path only with --path', async () => {
      const plain = await cli('tracks', '--job-id', allJob, '--endpoint', t.emu.endpoint);
      const withPath = await cli('tracks', '--job-id', allJob, '--endpoint', t.emu.endpoint, '--path');
      const parse = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const a = parse(plain.stdout);
      const b = parse(withPath.stdout);
      expect(a.length).to.be.greaterThan(0).and.equal(b.length);
      for (const track of a) expect(track).to.not.have.property('path');
      for (const track of b) expect(track.path).to.be.an('array').that.is.not.empty;
      expect(plain.stdout.length).to.be.lessThan(withPath.stdout.length / 2);
    });

    it('--help fits 80 columns (descriptions wrap beside the long tracker flags)', async () => {
      for (const command of ['tracks', 'windows', 'detections', 'evaluate', 'demo']) {
        const { code, stdout } = await cli(command, '--help');
        expect(code).to.equal(0);
        const long = stdout.split('\n').filter((line) => line.length > 80);
        expect(long, `${command} --help`).to.deep.equal([]);
      }
    });
  });

  it('evaluate names sequences after the ground truth: never ".", without ".gt"', () => {
    expect(sequenceName('gt.txt')).to.equal(basename(process.cwd()));
    expect(sequenceName('/data/TUD-Campus/gt/gt.txt')).to.equal('TUD-Campus');
    expect(sequenceName('/data/TUD-Campus/gt.txt')).to.equal('TUD-Campus');
    expect(sequenceName('/data/gts/abc123.gt.txt')).to.equal('abc123');
    expect(sequenceName('truth.txt')).to.equal('truth');
  });
});

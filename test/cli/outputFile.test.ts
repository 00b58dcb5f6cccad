import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { openAtomicFile, partialPathOf } from '../../src/cli/output/atomicFile.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { captureCli, CLI_MAIN, cliProcessEnv } from '../helpers/captureCli.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';

const PREVIOUS = 'a good previous run\n'.repeat(3000);

/** Resolves once `condition()` holds, checking every 20 ms (bounded by mocha's timeout). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((r) => setTimeout(r, 20));
}

describe('cli output files: <output>.partial, renamed on success', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'output-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('openAtomicFile', () => {
    it('writes <path>.partial and replaces <path> only on commit; no partial file is left', async () => {
      const path = join(dir, 'out.ndjson');
      writeFileSync(path, PREVIOUS);
      const file = openAtomicFile(path);
      expect(file.partialPath).to.equal(`${path}.partial`).and.equal(partialPathOf(path));
      file.stream.write('one\n');
      file.stream.write('two\n');
      expect(readFileSync(path, 'utf8')).to.equal(PREVIOUS); // not yet
      await file.commit();
      expect(readFileSync(path, 'utf8')).to.equal('one\ntwo\n');
      expect(existsSync(file.partialPath)).to.equal(false);
      await file.commit(); // idempotent
    });

    it('abandon keeps what was written in <path>.partial and leaves <path> untouched', async () => {
      const path = join(dir, 'out.ndjson');
      writeFileSync(path, PREVIOUS);
      const file = openAtomicFile(path);
      file.stream.write('one\n');
      expect(await file.abandon()).to.equal(`${path}.partial`);
      expect(readFileSync(`${path}.partial`, 'utf8')).to.equal('one\n');
      expect(readFileSync(path, 'utf8')).to.equal(PREVIOUS);
      expect(await file.abandon()).to.equal(`${path}.partial`); // idempotent
    });

    it('append: a resumed run continues an existing <path>.partial', async () => {
      const path = join(dir, 'out.ndjson');
      writeFileSync(`${path}.partial`, 'kept\n');
      const file = openAtomicFile(path, { append: true });
      file.stream.write('more\n');
      await file.commit();
      expect(readFileSync(path, 'utf8')).to.equal('kept\nmore\n');
    });

    it('a directory that does not exist throws at open, before anything is requested', () => {
      expect(() => openAtomicFile(join(dir, 'missing', 'out.ndjson'))).to.throw(/ENOENT/);
    });
  });

  describe('face-stream detections|tracks|windows --output', () => {
    let t: TestEmulator;
    let jobId: string;
    let expected: string[];
    const saved: Record<string, string | undefined> = {};
    const env = () => cliProcessEnv(TEST_CREDENTIALS);

    before(async () => {
      t = await startTestEmulator({ seed: 3 });
      jobId = await t.startJob('preset=walkers,duration=1m.mp4');
      const all = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()));
      expected = all.map((d) => JSON.stringify(d));
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const) {
        saved[key] = process.env[key];
        process.env[key] = TEST_CREDENTIALS[key === 'AWS_ACCESS_KEY_ID' ? 'accessKeyId' : 'secretAccessKey'];
      }
    });
    after(async () => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await t.close();
    });
    afterEach(() => t.emu.faults.clear());

    const common = () => ['--endpoint', t.emu.endpoint, '--region', 'us-east-1', '--retries', '0'];

    it('a failed run (ResourceNotFound) leaves the previous file intact and says where the partial output is', async () => {
      const path = join(dir, 'faces.ndjson');
      writeFileSync(path, PREVIOUS);
      const { code, stderr } = await captureCli('detections', '--job-id', 'no-such-job', '--output', path, ...common());
      expect(code).to.equal(1);
      expect(readFileSync(path, 'utf8')).to.equal(PREVIOUS);
      expect(readFileSync(`${path}.partial`, 'utf8')).to.equal('');
      expect(stderr).to.contain(`face-stream: partial output kept at ${path}.partial\n`);
      expect(stderr).to.match(/ResourceNotFoundException/);
    });

    it('a run failing mid-job keeps exactly the pages written so far in <output>.partial', async () => {
      const path = join(dir, 'faces.ndjson');
      writeFileSync(path, PREVIOUS);
      t.emu.faults.script(
        { operation: 'GetFaceDetection', fault: 'latency', latencyMs: 0, times: 2 },
        { operation: 'GetFaceDetection', fault: 'error', error: { type: 'AccessDeniedException', status: 400 } },
      );
      const { code, stderr } = await captureCli('detections', '--job-id', jobId, '--max-results', '50', '--output', path, ...common());
      expect(code).to.equal(1);
      expect(stderr).to.contain(`partial output kept at ${path}.partial`);
      expect(readFileSync(path, 'utf8')).to.equal(PREVIOUS);
      expect(readFileSync(`${path}.partial`, 'utf8')).to.equal(`${expected.slice(0, 100).join('\n')}\n`);
    });

    it('a successful run replaces the previous file and leaves no partial file', async () => {
      const path = join(dir, 'faces.ndjson');
      writeFileSync(path, PREVIOUS);
      writeFileSync(`${path}.partial`, 'stale partial of an older run\n');
      const { code, stderr } = await captureCli('detections', '--job-id', jobId, '--output', path, ...common());
      expect(stderr).to.equal('');
      expect(code).to.equal(0);
      expect(readFileSync(path, 'utf8')).to.equal(`${expected.join('\n')}\n`);
      expect(existsSync(`${path}.partial`)).to.equal(false);
    });

    it('tracks and windows follow the same convention', async () => {
      for (const args of [
        ['tracks', '--job-id', 'no-such-job'],
        ['windows', '--job-id', 'no-such-job', '--size', '1000'],
      ]) {
        const path = join(dir, `${args[0]}.ndjson`);
        writeFileSync(path, PREVIOUS);
        const { code, stderr } = await captureCli(...args, '--output', path, ...common());
        expect(code, args[0]).to.equal(1);
        expect(readFileSync(path, 'utf8'), args[0]).to.equal(PREVIOUS);
        expect(stderr, args[0]).to.contain(`partial output kept at ${path}.partial`);
      }
    });

    it('--output /dev/null (not a regular file) is written directly', async () => {
      const { code, stderr } = await captureCli('detections', '--job-id', jobId, '--output', '/dev/null', ...common());
      expect(stderr).to.equal('');
      expect(code).to.equal(0);
    });

    it('an invalid argument creates no partial file', async () => {
      const path = join(dir, 'tracks.ndjson');
      const { code } = await captureCli('tracks', '--job-id', 'not valid!', '--output', path, ...common());
      expect(code).to.equal(1);
      expect(existsSync(`${path}.partial`)).to.equal(false);
    });

    it('kill -9 mid-run (real process): the previous file is intact, <output>.partial holds what was written', async () => {
      const path = join(dir, 'faces.ndjson');
      writeFileSync(path, PREVIOUS);
      // Every page after the third is slow, so the run is still going when it is killed.
      t.emu.faults.script(
        { operation: 'GetFaceDetection', fault: 'latency', latencyMs: 0, times: 3 },
        { operation: 'GetFaceDetection', fault: 'latency', latencyMs: 60_000, times: 1000 },
      );
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI_MAIN, 'detections', '--job-id', jobId, '--max-results', '50', '--output', path, ...common()],
        { env: env(), stdio: 'ignore' },
      );
      const exited = once(child, 'exit');
      const partial = `${path}.partial`;
      await until(() => existsSync(partial) && statSync(partial).size > 0);
      child.kill('SIGKILL');
      const [, signal] = (await exited) as [number | null, string | null];
      expect(signal).to.equal('SIGKILL');
      expect(readFileSync(path, 'utf8')).to.equal(PREVIOUS);
      const kept = readFileSync(partial, 'utf8');
      // Every complete line is a detection of the job, in order (the last line may be cut by the kill).
      const lines = kept.split('\n');
      const complete = lines.slice(0, -1);
      expect(complete.length).to.be.greaterThan(0);
      expect(complete).to.deep.equal(expected.slice(0, complete.length));
    });
  });
});

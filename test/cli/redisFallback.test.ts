import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { lastValueFrom, toArray } from 'rxjs';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { CLI_MAIN, cliProcessEnv } from '../helpers/captureCli.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { hasRedisServer, type RedisServer, startRedisServer } from '../resilience/redisServer.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';

const PAGE = 50;

/** Resolves once `condition()` holds, checking every 50 ms (bounded by mocha's timeout). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise<void>((r) => setTimeout(r, 50));
}

/** Complete lines written so far to `<file>.partial` (0 before it exists). */
function linesIn(file: string): number {
  const partial = `${file}.partial`;
  if (!existsSync(partial)) return 0;
  return readFileSync(partial, 'utf8').split('\n').length - 1;
}

describe('cli: two face-stream processes sharing --tps through Redis, Redis killed and restarted (real processes)', function () {
  this.timeout(120_000);
  let server: RedisServer | undefined;
  let t: TestEmulator;
  let dir: string;
  const children: ChildProcess[] = [];

  before(function () {
    if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
  });
  beforeEach(async () => {
    server = await startRedisServer();
    t = await startTestEmulator({ seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'redis-fallback-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    server?.stop(true);
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each falls back to half the rate and says so on stderr, then returns to Redis and says so; both outputs complete', async () => {
    const jobId = await t.startJob('preset=walkers,duration=2m.mp4');
    const expected = (await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()))).map(
      (d) => JSON.stringify(d),
    );
    const redisId = `fallback-${process.pid}`;
    const env = cliProcessEnv(TEST_CREDENTIALS);
    const files = [join(dir, 'a.ndjson'), join(dir, 'b.ndjson')];
    const runs = files.map((file) => {
      const child = spawn(
        process.execPath,
        [
          '--import', 'tsx', CLI_MAIN, 'detections', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--max-results', String(PAGE),
          '--tps', '10', '--no-adaptive', '--redis', server!.url, '--redis-id', redisId, '--redis-fallback', '--output', file,
        ],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exit = once(child, 'exit') as Promise<[number | null, string | null]>;
      return { exit, stderr: () => stderr };
    });

    // Both processes are registered with the shared limiter …
    const admin = new Redis(server!.url);
    try {
      await until(async () => (await admin.zcard(`b_${redisId}:default:GetFaceDetection_client_last_seen`)) === 2);
    } finally {
      admin.disconnect();
    }
    // … and each has made 12 more requests since then, while they shared 10 requests/s: more than the 1 s after
    // which a process counts its peers again.
    const start = files.map(linesIn);
    await until(() => files.every((file, i) => linesIn(file) >= start[i]! + 12 * PAGE));

    const { port } = server!;
    server!.stop(true);
    await once(server!.process, 'exit');
    await until(() => runs.every((run) => run.stderr().includes('Redis limiter failed')));
    server = await startRedisServer(port);

    for (const [i, run] of runs.entries()) {
      const [code] = await run.exit;
      const lines = run.stderr().trimEnd().split('\n');
      expect(code, run.stderr()).to.equal(0);
      expect(lines, run.stderr()).to.have.length(2);
      expect(lines[0]).to.match(
        /^face-stream: warning: GetFaceDetection: Redis limiter failed \(.*\); using a local limiter at 5\.00 req\/s \(fair share of 2 processes\) until Redis is back$/,
      );
      expect(lines[1]).to.equal('face-stream: GetFaceDetection: Redis is back; sharing the limit through Redis again');
      expect(readFileSync(files[i]!, 'utf8')).to.equal(`${expected.join('\n')}\n`);
    }
  });
});

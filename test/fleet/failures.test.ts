import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/log/RequestLog.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { captureCli } from '../helpers/captureCli.js';
import { awsEnv, setEnv } from '../helpers/testEnv.js';
import { createTestClient } from '../helpers/emulator.js';
import { listFiles } from '../helpers/listFiles.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';
import { hasRedisServer, type RedisServer, startRedisServer } from '../resilience/redisServer.js';
import { FAST_WORKER_ARGS, spawnWorker, type WorkerProcess } from './workerProcess.js';

/** `count` short videos of `bucket`. */
const videosOf = (bucket: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `s3://${bucket}/cam${i}/preset=meeting,duration=${10 + i}s.mp4`);

describe('fleet: failures (real redis-server, real worker processes)', function () {
  this.timeout(180_000);
  let emu: Emulator;
  let restoreEnv: () => void = () => {};
  let work: string;
  const workers: WorkerProcess[] = [];
  /** Called on every emulator request (set by each test). */
  let onRequest: (entry: RequestLogEntry) => void = () => {};

  before(async function () {
    if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
    work = mkdtempSync(join(tmpdir(), 'fleet-failures-'));
    emu = await startEmulator({ seed: 12, processingTimeMs: { baseMs: 100, perVideoSecondMs: 8 }, onRequest: (entry) => onRequest(entry) });
    // The in-process `batch --queue` runs look up sizes (S3 HeadObject, --order size by default) on the emulator.
    restoreEnv = setEnv(awsEnv(emu.endpoint));
  });

  after(async () => {
    restoreEnv();
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await emu?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Asserts every finished video's `.ndjson` is exactly its (only) Rekognition job's detections. */
  async function expectExactOutputs(out: string, bucket: string, except: readonly string[] = []): Promise<void> {
    const client = createTestClient(emu.endpoint);
    try {
      const expected: string[] = [];
      for (const object of emu.jobStats().byObject.filter((o) => o.bucket === bucket)) {
        expect(object.jobIds, object.name).to.have.length(1);
        if (except.some((name) => object.name.includes(name))) continue;
        const file = join(bucket, `${object.name}.ndjson`);
        expected.push(file);
        let text = '';
        for await (const d of faceDetections({ client, jobId: object.jobIds[0]!, maxResults: 1000 })) text += `${JSON.stringify(d)}\n`;
        expect(readFileSync(join(out, file), 'utf8'), file).to.equal(text);
      }
      expect(listFiles(out).filter((f) => f.startsWith(`${bucket}/`) && f.endsWith('.ndjson'))).to.deep.equal(expected.sort());
    } finally {
      client.destroy();
    }
  }

  it('batch --queue --retry-failed: a video that failed every attempt (its output directory blocked) is requeued after the cause is removed, and completes with the same Rekognition job', async () => {
    const redis = await startRedisServer();
    try {
      const out = join(work, 'retry-out');
      const videos = [...videosOf('retry-a', 6), 's3://retry-b/blocked/clip.mp4'];
      const file = join(work, 'retry.txt');
      writeFileSync(file, `${videos.join('\n')}\n`);
      // The cause: DIR/retry-b/blocked is a file, so the video's output cannot be created (a retryable error).
      mkdirSync(join(out, 'retry-b'), { recursive: true });
      writeFileSync(join(out, 'retry-b', 'blocked'), 'not a directory');
      const queue = ['--queue', redis.url];
      const enqueued = await captureCli('batch', ...queue, '--videos', file, '--max-concurrent-jobs', '3', '--detach');
      expect(enqueued.code, enqueued.stderr).to.equal(0);
      const worker = spawnWorker({ key: 'AKIDRETRY1', queue: redis.url, out, endpoint: emu.endpoint, args: FAST_WORKER_ARGS });
      workers.push(worker);
      const followed = await captureCli('batch', ...queue, '--videos', file);
      expect((await worker.exited)[0], worker.stderr).to.equal(0);
      expect(followed.code, followed.stderr).to.equal(1);
      // Bounded: the enqueued attempts (3), then failed with its reason; the other videos finished.
      expect(followed.stderr).to.match(/line 7 s3:\/\/retry-b\/blocked\/clip\.mp4: FAILED: .*(ENOTDIR|EEXIST)/);
      expect(followed.stderr).to.contain(`batch incomplete: ${videos.length - 1} videos done, 1 failed`);
      const { Queue } = await import('bullmq');
      const { Redis } = await import('ioredis');
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      // It failed in the read stage (its Rekognition job had succeeded).
      const bull = new Queue('face-stream-reads', { connection });
      try {
        const [failed] = await bull.getFailed(0, -1);
        expect(failed?.attemptsMade).to.equal(3);
      } finally {
        await bull.close();
        connection.disconnect();
      }
      const starts = emu.jobStats().starts;

      // Fix the cause, requeue the failed video, and follow it with a fresh worker (started after the requeue:
      // a worker with --exit-when-drained started on a drained queue exits at once).
      rmSync(join(out, 'retry-b', 'blocked'));
      const retried = await captureCli('batch', ...queue, '--retry-failed', '--detach');
      expect(retried.code, retried.stderr).to.equal(0);
      expect(retried.stderr).to.contain('1 failed videos requeued');
      const second = spawnWorker({ key: 'AKIDRETRY2', queue: redis.url, out, endpoint: emu.endpoint, args: FAST_WORKER_ARGS });
      workers.push(second);
      const refollowed = await captureCli('batch', ...queue, '--videos', file);
      expect((await second.exited)[0], second.stderr).to.equal(0);
      expect(refollowed.code, refollowed.stderr).to.equal(0);
      expect(refollowed.stderr).to.contain(`0 videos enqueued, ${videos.length} already in the queue`);
      expect(refollowed.stderr).to.contain(`batch done: ${videos.length} videos`);
      // The same Rekognition job (recorded in the BullMQ job): no second Start billed.
      expect(emu.jobStats().starts).to.equal(starts);
      await expectExactOutputs(out, 'retry-b');
      await expectExactOutputs(out, 'retry-a');
    } finally {
      redis.stop();
    }
  });

  it('a poison video that kills every worker reading it fails ("stalled more than allowable limit") after bounded takeovers, while the others finish exactly', async () => {
    const redis = await startRedisServer();
    const out = join(work, 'poison-out');
    const videos = [...videosOf('poison-a', 8), 's3://poison-b/poison/preset=meeting,duration=40s.mp4'];
    const file = join(work, 'poison.txt');
    writeFileSync(file, `${videos.join('\n')}\n`);
    // A supervisor: each worker killed is replaced by a new one (as systemd or Kubernetes would).
    let spawned = 0;
    let stopped = false;
    const live = new Set<WorkerProcess>();
    const start = (): void => {
      const worker = spawnWorker({ key: `AKIDPOISON${++spawned}`, queue: redis.url, out, endpoint: emu.endpoint, args: [...FAST_WORKER_ARGS, '--concurrency', '3'] });
      workers.push(worker);
      live.add(worker);
      void worker.exited.then(([, signal]) => {
        live.delete(worker);
        if (signal === 'SIGKILL' && !stopped) start();
      });
    };
    const kills: string[] = [];
    const pages = new Map<string, number>();
    onRequest = (entry) => {
      if (entry.operation !== 'GetFaceDetection' || entry.jobId === undefined || entry.accessKeyId === undefined) return;
      const poison = emu.jobStats().byObject.find((o) => o.bucket === 'poison-b')?.jobIds[0];
      if (entry.jobId !== poison || entry.detections <= 1) return;
      // Reading the poison video's second page kills the worker (as a crash in a decoder or OOM would).
      const key = `${entry.accessKeyId}`;
      pages.set(key, (pages.get(key) ?? 0) + 1);
      if (pages.get(key) === 2) {
        kills.push(key);
        [...live].find((w) => w.key === key)?.child.kill('SIGKILL');
      }
    };
    try {
      start();
      start();
      const queue = ['--queue', redis.url];
      const followed = await captureCli('batch', ...queue, '--videos', file, '--max-concurrent-jobs', '4');
      stopped = true;
      await Promise.all([...live].map((w) => w.exited));
      expect(followed.code, followed.stderr).to.equal(1);
      // maxStalledCount 2: the first worker and two takeovers died on it, then it failed; no fourth kill.
      expect(kills, followed.stderr).to.have.length(3);
      expect(followed.stderr).to.match(/line 9 s3:\/\/poison-b\/poison\/preset=meeting,duration=40s\.mp4: FAILED: .*stalled more than allowable limit/);
      expect(followed.stderr).to.contain(`batch incomplete: ${videos.length - 1} videos done, 1 failed`);
      const status = await captureCli('batch', ...queue, '--status');
      expect(status.stdout).to.match(/failed: line 9 s3:\/\/poison-b\/poison\/.*stalled more than allowable limit/);
      await expectExactOutputs(out, 'poison-a');
      expect(listFiles(out).filter((f) => f.startsWith('poison-b/') && f.endsWith('.ndjson'))).to.deep.equal([]);
    } finally {
      stopped = true;
      onRequest = () => {};
      redis.stop();
    }
  });

  it('Redis SIGKILLed mid-batch and restarted on the same port with its append-only file: the workers and the follower reconnect, every video completes exactly, one Rekognition job each', async () => {
    const dir = join(work, 'redis-aof');
    mkdirSync(dir, { recursive: true });
    let redis = await startRedisServer(undefined, dir);
    const out = join(work, 'restart-out');
    const videos = videosOf('restart-a', 16);
    const file = join(work, 'restart.txt');
    writeFileSync(file, `${videos.join('\n')}\n`);
    let restarted: Promise<void> | undefined;
    let pagesRead = 0;
    onRequest = (entry) => {
      if (entry.operation !== 'GetFaceDetection' || entry.detections <= 1) return;
      // After a few pages (some videos done, some running, some waiting): Redis crashes and comes back 1 s later.
      if (++pagesRead === 12) {
        const { port } = redis;
        redis.stop(true);
        restarted = (async () => {
          await new Promise<void>((resolve) => redis.process.once('exit', () => resolve()));
          await new Promise((resolve) => setTimeout(resolve, 1000)); // an outage, not synchronisation
          redis = await startRedisServer(port, dir);
        })();
      }
    };
    try {
      const url = redis.url;
      const spawned = ['AKIDRESTART1', 'AKIDRESTART2'].map((key) =>
        spawnWorker({ key, queue: url, out, endpoint: emu.endpoint, args: [...FAST_WORKER_ARGS, '--concurrency', '3'] }),
      );
      workers.push(...spawned);
      const followed = await captureCli('batch', '--queue', url, '--videos', file, '--max-concurrent-jobs', '4');
      const exits = await Promise.all(spawned.map((w) => w.exited));
      expect(restarted, 'Redis was restarted mid-batch').to.not.equal(undefined);
      await restarted;
      expect(followed.code, followed.stderr).to.equal(0);
      expect(followed.stderr).to.contain(`batch done: ${videos.length} videos`);
      for (const [i, [code]] of exits.entries()) expect(code, spawned[i]!.stderr).to.equal(0);
      await expectExactOutputs(out, 'restart-a');
      expect(emu.jobStats().byObject.filter((o) => o.bucket === 'restart-a')).to.have.length(videos.length);
    } finally {
      onRequest = () => {};
      redis.stop();
    }
  });
});

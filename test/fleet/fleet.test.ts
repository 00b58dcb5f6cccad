import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/log/RequestLog.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { captureCli } from '../helpers/captureCli.js';
import { awsEnv, setEnv } from '../helpers/testEnv.js';
import { listFiles } from '../helpers/listFiles.js';
import { createTestClient } from '../helpers/emulator.js';
import { hasRedisServer, type RedisServer, startRedisServer } from '../resilience/redisServer.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';
import { FAST_WORKER_ARGS, spawnWorker, type WorkerProcess } from './workerProcess.js';

/** 34 short videos (one FAILED), 10–43 s, two buckets. */
const VIDEOS = Array.from({ length: 33 }, (_, i) => `s3://fleet-${i % 2 ? 'a' : 'b'}/cam${i}/preset=meeting,duration=${10 + i}s.mp4`);
const FAILING = 's3://fleet-a/broken/fail=1.mp4';
const MAX_JOBS = 4;

describe('fleet: face-stream batch --queue + face-stream worker (real redis-server, real processes)', function () {
  this.timeout(180_000);
  let redis: RedisServer | undefined;
  let emu: Emulator;
  let restoreEnv: () => void = () => {};
  let work: string;
  const workers: WorkerProcess[] = [];
  let pagesOf: Map<string, number>;
  let killKey: string | undefined;
  let killAtPage = Infinity;
  let killed = false;
  let pollsOf3 = 0;
  let jobOf3: string | undefined;

  before(async function () {
    if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
    redis = await startRedisServer();
    work = mkdtempSync(join(tmpdir(), 'fleet-'));
    pagesOf = new Map();
    emu = await startEmulator({
      seed: 11,
      processingTimeMs: { baseMs: 100, perVideoSecondMs: 8 },
      onRequest: (entry: RequestLogEntry) => {
        if (entry.operation !== 'GetFaceDetection' || entry.accessKeyId === undefined) return;
        // SIGKILL worker 3 on its 3rd status poll of a job in progress (in the job stage: no page read yet).
        if (entry.accessKeyId === 'AKIDWORKER3' && entry.status === 200 && entry.detections === 0 && ++pollsOf3 === 3) {
          jobOf3 = entry.jobId;
          workers.find((w) => w.key === 'AKIDWORKER3')?.child.kill('SIGKILL');
        }
        if (entry.detections <= 1) return;
        const key = `${entry.accessKeyId} ${entry.jobId}`;
        const pages = (pagesOf.get(key) ?? 0) + 1;
        pagesOf.set(key, pages);
        // SIGKILL a worker when it asks for the 4th page of a video (the first pages are written and checkpointed).
        if (entry.accessKeyId === killKey && pages >= killAtPage && !killed) {
          killed = true;
          workers.find((w) => w.key === killKey)?.child.kill('SIGKILL');
        }
      },
    });
    // The in-process `batch --queue` runs look up sizes (S3 HeadObject, --order size by default) on the emulator.
    restoreEnv = setEnv(awsEnv(emu.endpoint));
  });

  after(async () => {
    restoreEnv();
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await emu?.close();
    redis?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function spawnFleetWorker(key: string, out: string): WorkerProcess {
    const worker = spawnWorker({
      key,
      queue: redis!.url,
      out,
      endpoint: emu.endpoint,
      args: [...FAST_WORKER_ARGS, '--concurrency', String(MAX_JOBS), '--tracks=--min-hits 2', '--windows', '--size 5000 --aggregate count,confidence'],
    });
    workers.push(worker);
    return worker;
  }

  it('three workers, one SIGKILLed while reading a video, one while waiting for a job: every output exact, one Rekognition job per video, never more than the limit in progress; a FAILED job fails alone; enqueuing twice adds nothing', async () => {
    const videosFile = join(work, 'videos.txt');
    writeFileSync(videosFile, `# fleet test\n${[...VIDEOS.slice(0, 17), FAILING, ...VIDEOS.slice(17)].join('\n')}\n`);
    const out = join(work, 'out');
    const queue = ['--queue', redis!.url];

    // Three workers, all connected before the batch is enqueued (they wait for it).
    killKey = 'AKIDWORKER2';
    killAtPage = 4;
    const [w1, w2, w3] = ['AKIDWORKER1', 'AKIDWORKER2', 'AKIDWORKER3'].map((key) => spawnFleetWorker(key, out));
    for (;;) {
      const status = await captureCli('batch', ...queue, '--status');
      if (/workers: .*AKIDWORKER1.*AKIDWORKER2.*AKIDWORKER3/.test(status.stdout)) break;
      await Promise.race([w1!.exited, w2!.exited, w3!.exited, new Promise((resolve) => setTimeout(resolve, 100))]);
      for (const w of [w1!, w2!, w3!]) expect(w.child.exitCode, w.stderr).to.equal(null);
    }

    // Enqueue twice: the second adds nothing.
    const first = await captureCli('batch', ...queue, '--videos', videosFile, '--max-concurrent-jobs', String(MAX_JOBS), '--detach');
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stderr).to.contain(`${VIDEOS.length + 1} videos enqueued, 0 already in the queue`);
    const second = await captureCli('batch', ...queue, '--videos', videosFile, '--max-concurrent-jobs', String(MAX_JOBS), '--detach');
    expect(second.stderr).to.contain(`0 videos enqueued, ${VIDEOS.length + 1} already in the queue`);

    // Follow the batch (in-process) until every video is done or failed.
    const followed = await captureCli('batch', ...queue, '--videos', videosFile, '--max-concurrent-jobs', String(MAX_JOBS));
    const exits = await Promise.all([w1!.exited, w2!.exited, w3!.exited]);

    expect(killed, `worker 2 was killed mid-video (pages per worker: ${JSON.stringify([...pagesOf])}; ${w2!.stderr}; ${followed.stderr})`).to.equal(true);
    expect(exits[1]![1]).to.equal('SIGKILL');
    expect(exits[0]![0], w1!.stderr).to.equal(0);
    expect(exits[2]![1], `worker 3 killed in the job stage (${pollsOf3} polls)`).to.equal('SIGKILL');
    expect(followed.code, followed.stderr).to.equal(1);
    expect(followed.stderr).to.match(/line 19 s3:\/\/fleet-a\/broken\/fail=1\.mp4: FAILED: .*Rekognition job .* failed: Unsupported codec/);
    expect(followed.stderr).to.contain(`batch incomplete: ${VIDEOS.length} videos done, 1 failed`);

    // Exactly one Rekognition job per video (the killed worker's video was taken over, not restarted).
    const stats = emu.jobStats();
    expect(stats.byObject).to.have.length(VIDEOS.length + 1);
    for (const object of stats.byObject) expect(object.jobIds, `${object.bucket}/${object.name}`).to.have.length(1);
    expect(stats.jobsCreated).to.equal(VIDEOS.length + 1);
    // The fleet-wide limit held across the three workers.
    expect(stats.peakInProgress.ours).to.be.at.most(MAX_JOBS);
    expect(stats.peakInProgress.ours).to.be.greaterThan(1);

    // Every output exact: the job's detections, in service order, once; only finished videos end in .ndjson;
    // with --tracks and --windows, their track summaries and window rows beside them.
    const client = createTestClient(emu.endpoint);
    try {
      const expectedFiles: string[] = [];
      for (const object of stats.byObject) {
        if (object.name.includes('fail=1')) continue;
        const file = join(object.bucket, `${object.name}.ndjson`);
        expectedFiles.push(file);
        let expected = '';
        for await (const d of faceDetections({ client, jobId: object.jobIds[0]!, maxResults: 1000 })) expected += `${JSON.stringify(d)}\n`;
        expect(expected.length).to.be.greaterThan(0);
        expect(readFileSync(join(out, file), 'utf8'), file).to.equal(expected);
        // Track summaries and window rows beside it: the tracks / windows commands on the exact detections.
        const base = join(object.bucket, object.name);
        expectedFiles.push(`${base}.tracks.jsonl`, `${base}.windows.jsonl`);
        const tracks = await captureCli('tracks', '--input', join(out, file), '--min-hits', '2');
        const windows = await captureCli('windows', '--input', join(out, file), '--size', '5000', '--aggregate', 'count,confidence');
        expect(readFileSync(join(out, `${base}.tracks.jsonl`), 'utf8'), base).to.equal(tracks.stdout);
        expect(readFileSync(join(out, `${base}.windows.jsonl`), 'utf8'), base).to.equal(windows.stdout);
      }
      expect(listFiles(out)).to.deep.equal(expectedFiles.sort());
    } finally {
      client.destroy();
    }

    // The killed worker's video was taken over and continued from its checkpoint (not rewritten from the start).
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(redis!.url, { maxRetriesPerRequest: null });
    const bull = new Queue('face-stream-reads', { connection });
    const jobStage = new Queue('face-stream', { connection });
    try {
      const completed = await bull.getCompleted(0, -1);
      expect(completed).to.have.length(VIDEOS.length);
      const takenOver = completed.filter((job) => job.stalledCounter > 0);
      expect(takenOver.length, 'videos taken over').to.be.greaterThan(0);
      for (const job of takenOver) expect(job.processedBy).to.not.equal('AKIDWORKER2');
      expect(takenOver.some((job) => (job.returnvalue as { resumedAt?: number }).resumedAt! > 0), JSON.stringify(takenOver.map((j) => j.returnvalue))).to.equal(true);
      // The job worker 3 was polling when killed was taken over in the job stage by another worker, which
      // continued the same Rekognition job (one Start: above) and handed it to the read stage.
      const polled = (await jobStage.getCompleted(0, -1)).find((job) => job.data.rekognitionJobId === jobOf3);
      expect(polled, `the job stage of ${jobOf3}`).to.not.equal(undefined);
      expect(polled!.stalledCounter).to.be.greaterThan(0);
      expect(polled!.processedBy).to.not.equal('AKIDWORKER3');
      expect(completed.some((job) => job.data.rekognitionJobId === jobOf3)).to.equal(true);
    } finally {
      await bull.close();
      await jobStage.close();
      connection.disconnect();
    }

    // Enqueuing the finished batch again adds nothing and starts nothing.
    const starts = emu.jobStats().starts;
    const again = await captureCli('batch', ...queue, '--videos', videosFile, '--max-concurrent-jobs', String(MAX_JOBS), '--detach');
    expect(again.stderr).to.contain(`0 videos enqueued, ${VIDEOS.length + 1} already in the queue`);
    const status = await captureCli('batch', ...queue, '--status');
    expect(status.stdout).to.contain(`0 waiting, 0 running, 0 delayed (retry backoff), ${VIDEOS.length} done, 1 failed`);
    expect(status.stdout, status.stdout).to.contain(`fleet-wide limit of jobs in progress: ${MAX_JOBS}`);
    expect(status.stdout).to.contain('running: 0 Rekognition jobs in progress, 0 waiting to be read, 0 being read');
    expect(status.stdout).to.match(/failed: line 19 s3:\/\/fleet-a\/broken\/fail=1\.mp4: .*Unsupported codec/);
    expect(emu.jobStats().starts).to.equal(starts);
  });
});

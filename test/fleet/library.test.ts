import { expect } from 'chai';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import fc from 'fast-check';
import { enqueueBatch, fleetPriorityOfSize, LOWEST_PRIORITY } from '../../src/fleet/enqueueBatch.js';
import { type FleetStatus, fleetStatus } from '../../src/fleet/fleetStatus.js';
import { runBatchWorker } from '../../src/fleet/runBatchWorker.js';
import type { BatchEvent } from '../../src/jobs/faceDetectionBatch.js';
import { sqsJobNotifications } from '../../src/jobs/sqsJobNotifications.js';
import { createRekognitionClient } from '../../src/source/createRekognitionClient.js';
import { captureCli } from '../helpers/captureCli.js';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';
import { awsEnv, setEnv } from '../helpers/testEnv.js';
import { hasRedisServer, type RedisServer, startRedisServer } from '../resilience/redisServer.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';

describe('fleet: enqueueBatch + runBatchWorker (library, real redis-server, real SDK)', function () {
  this.timeout(60_000);
  let redis: RedisServer | undefined;
  let emu: Emulator;

  before(async function () {
    if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
    redis = await startRedisServer();
  });
  after(() => redis?.stop());
  afterEach(async () => emu?.close());

  it('other applications hold job slots: refused Starts rate-limit the whole queue, are not failures, and every video completes once', async () => {
    // Quota 3, two slots held by another application for the first 1.5 s: at most one of ours at first.
    emu = await startEmulator({ seed: 2, processingTimeMs: 100, maxConcurrentJobs: 3, otherApplications: { slots: 2, forMs: 1500 } });
    const videos = Array.from({ length: 6 }, (_, i) => `s3://quota-a/v${i}/duration=${5 + i}s.mp4`);
    const queueName = 'quota';
    const result = await enqueueBatch(videos, { connection: redis!.url, queueName, maxConcurrentJobs: 3 });
    expect(result).to.deep.equal({ total: 6, added: 6, existing: 0 });

    const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const connection = new Redis(redis!.url, { maxRetriesPerRequest: null });
    const queue = new Queue(queueName, { connection });
    const reads = new Queue(`${queueName}-reads`, { connection });
    const rateLimited: number[] = [];
    const written = new Map<string, number>();
    try {
      const worker = await runBatchWorker({
        connection: redis!.url,
        queueName,
        client,
        concurrency: 3,
        exitWhenDrained: true,
        drainCheckInterval: 50,
        poll: { minDelay: 50, maxDelay: 100 },
        slotBackoff: { baseMs: 300, capMs: 600 },
        write: async (event, checkpoint) => {
          let n = 0;
          for await (const _ of event.detections()) n++;
          await checkpoint.save({ lines: n });
          written.set(event.uri, (written.get(event.uri) ?? 0) + 1);
          return { lines: n };
        },
      });
      const events: BatchEvent[] = [];
      worker.events.subscribe((event) => {
        events.push(event);
        // The refusal paused the whole queue (a Redis key every worker obeys), not just this worker.
        if (event.type === 'limit-exceeded') void queue.getRateLimitTtl().then((ttl) => rateLimited.push(ttl));
      });
      const counts = await worker.closed;
      expect(counts.succeeded).to.equal(6);
      expect(counts.failed).to.equal(0);
      expect(counts.limitExceeded).to.be.greaterThan(0);
      expect(events.filter((e) => e.type === 'failed')).to.have.length(0);
      expect(rateLimited.length).to.equal(counts.limitExceeded);
      expect(rateLimited.every((ttl) => ttl > 0)).to.equal(true);
      expect([...written.values()]).to.deep.equal([1, 1, 1, 1, 1, 1]);
      const stats = emu.jobStats();
      expect(stats.limitExceeded).to.equal(counts.limitExceeded);
      for (const object of stats.byObject) expect(object.jobIds).to.have.length(1);
      expect(stats.peakInProgress.total).to.be.at.most(3);
      // The lines counted are kept in each completed BullMQ job of the read stage (its checkpoint and result).
      const completed = await reads.getCompleted(0, -1);
      expect(completed).to.have.length(6);
      for (const job of completed) expect((job.returnvalue as { lines: number }).lines).to.equal((job.data as { checkpoint: { lines: number } }).checkpoint.lines);
    } finally {
      client.destroy();
      await queue.close();
      await reads.close();
      connection.disconnect();
    }
  });

  it('bad input fails before anything is sent: a video that is not s3://bucket/key, a bad connection URL', async () => {
    let error: unknown;
    try {
      await enqueueBatch(['s3://ok-bucket/a.mp4', 'http://x/y.mp4'], { connection: redis!.url });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('videos[1]');
    error = undefined;
    try {
      await enqueueBatch(['s3://ok-bucket/a.mp4'], { connection: 'http://127.0.0.1:1' });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('connection');
    const probe = new Redis(redis!.url);
    try {
      expect(await probe.keys('bull:face-stream:*')).to.have.length(0);
    } finally {
      probe.disconnect();
    }
  });

  /** A worker of `queueName` against `emu` that records its events; `write` as given. */
  async function worker(
    queueName: string,
    options: {
      readonly concurrency: number;
      readonly readConcurrency?: number;
      readonly write: Parameters<typeof runBatchWorker>[0]['write'];
      readonly onEvent?: (event: BatchEvent) => void;
    },
  ) {
    const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const events: BatchEvent[] = [];
    const running = await runBatchWorker({
      connection: redis!.url,
      queueName,
      client,
      concurrency: options.concurrency,
      ...(options.readConcurrency === undefined ? {} : { readConcurrency: options.readConcurrency }),
      exitWhenDrained: true,
      drainCheckInterval: 50,
      poll: { minDelay: 20, maxDelay: 50 },
      write: options.write,
    });
    running.events.subscribe((event) => {
      events.push(event);
      options.onEvent?.(event);
    });
    return { events, closed: running.closed.finally(() => client.destroy()) };
  }

  it("a video's fleet-wide slot is freed when its Rekognition job ends: the next video starts while the first one's pages are still being read", async () => {
    // Limit 1: before the two stages, the second Start waited for the first video's output to be complete.
    let secondStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    emu = await startEmulator({
      seed: 3,
      processingTimeMs: 50,
      onRequest: (entry) => {
        if (entry.operation === 'StartFaceDetection' && entry.status === 200 && emu.jobStats().jobsCreated === 2) secondStarted();
      },
    });
    const queueName = 'release';
    await enqueueBatch(['s3://release-a/first/duration=5s.mp4', 's3://release-a/second/duration=5s.mp4'], { connection: redis!.url, queueName, maxConcurrentJobs: 1 });
    const order: string[] = [];
    let status: FleetStatus | undefined;
    const run = await worker(queueName, {
      concurrency: 2,
      write: async (event) => {
        order.push(`read ${event.uri}`);
        // The first video's reader holds on (a paused consumer) until the second video's job has started.
        if (event.uri.includes('first')) {
          await started;
          status = await fleetStatus({ connection: redis!.url, queueName });
        }
        let n = 0;
        for await (const _ of event.detections()) n++;
        order.push(`written ${event.uri}`);
        return { n };
      },
      onEvent: (event) => void (event.type === 'started' && order.push(`started ${event.uri}`)),
    });
    const counts = await run.closed;
    expect(counts.succeeded).to.equal(2);
    expect(order.indexOf('started s3://release-a/second/duration=5s.mp4')).to.be.greaterThan(order.indexOf('read s3://release-a/first/duration=5s.mp4'));
    expect(order.indexOf('started s3://release-a/second/duration=5s.mp4')).to.be.lessThan(order.indexOf('written s3://release-a/first/duration=5s.mp4'));
    const stats = emu.jobStats();
    expect(stats.jobsCreated).to.equal(2);
    expect(stats.peakInProgress.total).to.equal(1);
    // --status while the first video was being read: a read in progress beside the limit of 1 job, on this worker.
    expect(status!.maxConcurrentJobs).to.equal(1);
    expect(status!.stages.reads.active).to.be.at.least(1);
    expect(status!.workers).to.have.length(1);
    expect(status!.workers[0]!.reads).to.be.at.least(1);
    expect(status!.counts.completed).to.equal(0);
  });

  it('readConcurrency bounds the videos a worker reads at once; the job stage goes on meanwhile (and without it, concurrency bounds both)', async () => {
    emu = await startEmulator({ seed: 4, processingTimeMs: 50 });
    const videos = ['a', 'b', 'c'].map((name) => `s3://read-limit/${name}/duration=5s.mp4`);
    const readAll = async (event: Parameters<Parameters<typeof runBatchWorker>[0]['write']>[0]) => {
      let n = 0;
      for await (const _ of event.detections()) n++;
      return { n };
    };

    // One read at a time: the first reader holds on until the other two videos' jobs have ended and they wait
    // for a reader (fleetStatus polled; the handoff to the read stage has no event of its own).
    await enqueueBatch(videos, { connection: redis!.url, queueName: 'read-one', maxConcurrentJobs: 3 });
    let active = 0;
    let peak = 0;
    let held: FleetStatus | undefined;
    let waited = false;
    const one = await worker('read-one', {
      concurrency: 3,
      readConcurrency: 1,
      write: async (event) => {
        peak = Math.max(peak, ++active);
        try {
          // At most 10 s: with no bound on reads, the others never wait, and the test fails on `held` below.
          for (let polls = 0; held === undefined && !waited && polls < 500; polls++) {
            const status = await fleetStatus({ connection: redis!.url, queueName: 'read-one' });
            if (status.stages.reads.waiting >= 2) held = status;
            else await new Promise((resolve) => setTimeout(resolve, 20));
          }
          waited = true;
          return await readAll(event);
        } finally {
          active--;
        }
      },
    });
    expect((await one.closed).succeeded).to.equal(3);
    expect(held, 'the two other videos waited for a reader').to.not.equal(undefined);
    expect(peak, 'videos read at once').to.equal(1);
    expect(held!.stages.reads.active).to.equal(1);
    expect(held!.stages.jobs.active, 'jobs still running while the first video was read').to.equal(0);

    // Without readConcurrency, up to `concurrency` videos are read at once: the first reader holds on until the
    // other two are being read beside it.
    await enqueueBatch(videos, { connection: redis!.url, queueName: 'read-three', maxConcurrentJobs: 3 });
    let allReading: () => void = () => {};
    const three = new Promise<void>((resolve) => (allReading = resolve));
    active = 0;
    peak = 0;
    const all = await worker('read-three', {
      concurrency: 3,
      write: async (event) => {
        peak = Math.max(peak, ++active);
        if (active === 3) allReading();
        try {
          await three;
          return await readAll(event);
        } finally {
          active--;
        }
      },
    });
    expect((await all.closed).succeeded).to.equal(3);
    expect(peak, 'videos read at once').to.equal(3);
  });

  for (const lose of [0, 1]) {
    it(lose === 0
      ? 'while notifications work, fallback polls wait maxDelay: the jobs after the first get no status poll (the read stage keeps the TPS)'
      : 'with every notification lost, the fallback polls keep their schedule and every video completes by poll', async () => {
      const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionFleet';
      emu = await startEmulator({ seed: 4, processingTimeMs: 400, notificationFaults: { lose } });
      emu.subscribe(TOPIC, 'fleet-jobs');
      const sqs = new SQSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      const notifications = sqsJobNotifications({ sqs, queueUrl: emu.queueUrl('fleet-jobs') });
      const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
      const queueName = `notices-${lose}`;
      const videos = Array.from({ length: 4 }, (_, i) => `s3://notices-a/v${i}/duration=5s.mp4`);
      await enqueueBatch(videos, { connection: redis!.url, queueName, maxConcurrentJobs: 1 });
      try {
        const running = await runBatchWorker({
          connection: redis!.url,
          queueName,
          client,
          concurrency: 1,
          exitWhenDrained: true,
          drainCheckInterval: 50,
          notificationChannel: { snsTopicArn: TOPIC, roleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS' },
          notifications,
          // Without the rule a job of 400 ms gets polls at 50, 125, 237 and 406 ms; with it, none after maxDelay.
          poll: { minDelay: 50, maxDelay: 5000 },
          write: async (event) => {
            let n = 0;
            for await (const _ of event.detections()) n++;
            return { n };
          },
        });
        const events: BatchEvent[] = [];
        running.events.subscribe((event) => events.push(event));
        const counts = await running.closed;
        expect(counts.succeeded).to.equal(4);
        const via = events.flatMap((e) => (e.type === 'succeeded' ? [e.via] : []));
        // Status polls per job, in the order the jobs were created: GetFaceDetection answers with no detection.
        const jobs = emu.jobs().map((job) => job.jobId);
        const polls = jobs.map((jobId) => emu.requests().filter((r) => r.operation === 'GetFaceDetection' && r.jobId === jobId && r.detections === 0).length);
        if (lose === 0) {
          expect(via).to.deep.equal(['notification', 'notification', 'notification', 'notification']);
          expect(polls[0]).to.be.greaterThan(0); // the first job: nothing known about the notifications yet
          expect(polls.slice(1)).to.deep.equal([0, 0, 0]);
        } else {
          expect(via).to.deep.equal(['poll', 'poll', 'poll', 'poll']);
          expect(polls.every((n) => n >= 2), String(polls)).to.equal(true);
        }
      } finally {
        await notifications.close();
        sqs.destroy();
        client.destroy();
      }
    });
  }

  it('CLI: worker --read-concurrency must be a positive integer, refused in one line before connecting', async () => {
    for (const bad of ['0', '-1', '1.5', 'many']) {
      const run = await captureCli('worker', '--queue', redis!.url, '--out', tmpdir(), '--read-concurrency', bad);
      expect(run.code, bad).to.equal(1);
      expect(run.stderr.trim().split('\n'), bad).to.have.length(1);
      expect(run.stderr).to.match(/--read-concurrency/);
    }
  });

  it('order largestFirst: the largest videos start first (one worker, one job at a time), consistently over two enqueue calls; unknown sizes first', async () => {
    emu = await startEmulator({ seed: 4, processingTimeMs: 20 });
    const queueName = 'priority';
    const sizes: Record<string, number | undefined> = { a: 10, b: 5_000_000, c: 700, d: undefined, e: 2 ** 40, f: 700, g: 123_456 };
    const uri = (k: string) => `s3://priority-a/${k}/duration=3s.mp4`;
    const sizeOf = async (video: { readonly name: string }) => sizes[video.name.split('/')[0]!];
    // Two calls (the second repeats one video): priorities come from sizes alone, so the order is one order.
    const order = { largestFirst: sizeOf };
    await enqueueBatch(['a', 'b', 'c', 'd'].map(uri), { connection: redis!.url, queueName, maxConcurrentJobs: 1, order });
    const again = await enqueueBatch(['c', 'e', 'f', 'g'].map(uri), { connection: redis!.url, queueName, maxConcurrentJobs: 1, order });
    expect(again).to.deep.equal({ total: 4, added: 3, existing: 1 });
    const run = await worker(queueName, { concurrency: 1, write: async () => ({}) });
    await run.closed;
    const starts = run.events.filter((e) => e.type === 'started').map((e) => (e as { uri: string }).uri);
    // Equal sizes (c, f) keep their enqueue order.
    expect(starts).to.deep.equal(['d', 'e', 'b', 'g', 'c', 'f', 'a'].map(uri));
  });

  it('fleetPriorityOfSize: larger never later, within BullMQ priorities, unknown first', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 ** 50, noNaN: true }), fc.double({ min: 0, max: 2 ** 50, noNaN: true }), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const p = fleetPriorityOfSize(large);
        expect(p).to.be.at.most(fleetPriorityOfSize(small));
        expect(p).to.be.within(2, LOWEST_PRIORITY);
      }),
      { seed: 15 },
    );
    expect(fleetPriorityOfSize(undefined)).to.equal(1);
    expect(fleetPriorityOfSize(2 ** 30)).to.be.lessThan(fleetPriorityOfSize(2 ** 30 - 2 ** 16));
  });

  it('a queue holding videos of the one-stage format (before the read stage) is refused with a clear error, nothing added', async () => {
    const connection = new Redis(redis!.url, { maxRetriesPerRequest: null });
    const queue = new Queue('old-format', { connection });
    try {
      await queue.add('face-detection', { v: 1, uri: 's3://old-a/x.mp4' }, { jobId: 'x' });
      let error: unknown;
      try {
        await enqueueBatch(['s3://old-a/y.mp4'], { connection: redis!.url, queueName: 'old-format' });
      } catch (e) {
        error = e;
      }
      expect((error as Error).name).to.equal('InvalidParameterError');
      expect((error as Error).message).to.contain('queueName').and.to.contain('fleet format 2');
      expect((await queue.getJobCounts('waiting')).waiting).to.equal(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('CLI: batch --queue starts the largest videos first by S3 HeadObject size (the default order), --order input keeps FILE order', async () => {
    // Bitrate spread 0: sizes proportional to the durations, so the expected order is known.
    emu = await startEmulator({ seed: 6, processingTimeMs: 20, bitrateSigma: 0 });
    const durations = [7, 30, 3, 12, 21];
    const videos = durations.map((d, i) => `s3://order-a/v${i}/duration=${d}s.mp4`);
    const work = mkdtempSync(join(tmpdir(), 'fleet-order-'));
    const file = join(work, 'videos.txt');
    writeFileSync(file, `${videos.join('\n')}\n`);
    const restore = setEnv(awsEnv(emu.endpoint));
    const connection = new Redis(redis!.url, { maxRetriesPerRequest: null });
    try {
      const enqueue = (queueName: string, ...more: string[]) =>
        captureCli('batch', '--queue', redis!.url, '--queue-name', queueName, '--videos', file, '--detach', ...more);
      const bySize = await enqueue('order-size');
      expect(bySize.code, bySize.stderr).to.equal(0);
      expect(emu.counters().byOperation.HeadObject).to.equal(videos.length);
      const input = await enqueue('order-input', '--order', 'input');
      expect(input.code, input.stderr).to.equal(0);
      expect(emu.counters().byOperation.HeadObject, 'no HeadObject with --order input').to.equal(videos.length);
      // Enqueuing again looks up no size (the videos are in the queue) and adds nothing.
      const again = await enqueue('order-size');
      expect(again.stderr).to.contain(`0 videos enqueued, ${videos.length} already in the queue`);
      expect(emu.counters().byOperation.HeadObject).to.equal(videos.length);

      const priorities = async (queueName: string) => {
        const queue = new Queue(queueName, { connection });
        try {
          const jobs = await queue.getJobs(['waiting', 'prioritized']);
          return jobs.sort((a, b) => a.data.index - b.data.index).map((job) => job.priority);
        } finally {
          await queue.close();
        }
      };
      const sized = await priorities('order-size');
      const byPriority = videos.map((_, i) => i).sort((a, b) => sized[a]! - sized[b]!);
      expect(byPriority).to.deep.equal([1, 4, 3, 0, 2]); // 30, 21, 12, 7, 3 s
      expect(await priorities('order-input')).to.deep.equal([0, 0, 0, 0, 0]);
    } finally {
      restore();
      connection.disconnect();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

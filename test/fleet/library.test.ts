import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { enqueueBatch } from '../../src/fleet/enqueueBatch.js';
import { runBatchWorker } from '../../src/fleet/runBatchWorker.js';
import type { BatchEvent } from '../../src/jobs/faceDetectionBatch.js';
import { createRekognitionClient } from '../../src/source/createRekognitionClient.js';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';
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
      // The lines counted are kept in each completed BullMQ job (its checkpoint and result).
      const completed = await queue.getCompleted(0, -1);
      expect(completed).to.have.length(6);
      for (const job of completed) expect((job.returnvalue as { lines: number }).lines).to.equal((job.data as { checkpoint: { lines: number } }).checkpoint.lines);
    } finally {
      client.destroy();
      await queue.close();
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
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createRequestPolicy, type PolicyEvent, RedisLimiterError, type ResilientPolicy } from '../../src/index.js';
import { PEER_SAMPLE_INTERVAL_MS } from '../../src/resilience/OperationLimiter.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { heldAttempt } from './helpers.js';
import { freePort, hasRedisServer, type RedisServer, startRedisServer } from './redisServer.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves once `condition()` holds, checking after each turn of the event loop (bounded by mocha's timeout). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise<void>((r) => setTimeout(r, 20));
}

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

describe('resilience/redis (cluster mode, real redis-server)', function () {
  const policies: ResilientPolicy[] = [];
  let admin: Redis;
  const runId = `test-${process.pid}-${Date.now().toString(36)}`;
  let n = 0;
  const id = () => `${runId}-${n++}`;

  before(async function () {
    if (!(await reachable(REDIS_URL))) {
      skipOutsideCI(this, `no Redis at ${REDIS_URL} (set REDIS_URL or install redis-server; see .ci/run)`);
    }
    admin = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(policies.splice(0).map((p) => p.close()));
  });
  after(async () => {
    if (!admin) return;
    const keys = await admin.keys(`b_${runId}*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
  });

  const policy = (options: Parameters<typeof createRequestPolicy>[0]) => {
    const p = createRequestPolicy({ adaptive: false, ...options });
    policies.push(p);
    return p;
  };

  it('two processes (two connections) share one maxConcurrent through Redis', async () => {
    const shared = { url: REDIS_URL, id: id() };
    const a = policy({ maxConcurrent: 1, redis: shared });
    const b = policy({ maxConcurrent: 1, redis: shared });
    let inFlight = 0;
    let peak = 0;
    const attempt = async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise<void>((r) => setImmediate(r));
      inFlight--;
      return 1;
    };
    const all = [a, b].flatMap((p) => Array.from({ length: 6 }, () => p.execute({ operation: 'GetFaceDetection', attempt })));
    expect((await Promise.all(all)).length).to.equal(12);
    expect(peak).to.equal(1);
  });

  it('stores the TPS in Redis (last writer wins over a stale run) under account + operation', async () => {
    const limiter = id();
    const stale = policy({ tps: 4, redis: { url: REDIS_URL, id: limiter } }); // an earlier run's settings
    await stale.execute({ operation: 'GetFaceDetection', attempt: async () => 1 });
    expect(await admin.hget(`b_${limiter}:default:GetFaceDetection_settings`, 'minTime')).to.equal('250');
    await stale.close();
    const p = policy({ tps: 20, redis: { url: REDIS_URL, id: limiter } });
    await p.execute({ operation: 'GetFaceDetection', attempt: async () => 1 });
    expect(await admin.hget(`b_${limiter}:default:GetFaceDetection_settings`, 'minTime')).to.equal('50');
  });

  it('keeps working after its keys expired while idle (Redis 7 SETTINGS_KEY_NOT_FOUND is handled)', async () => {
    const limiter = id();
    const settingsKey = `b_${limiter}:default:GetFaceDetection_settings`;
    const p = policy({ maxConcurrent: 2, redis: { url: REDIS_URL, id: limiter, keyTtl: 1000 } });
    expect(await p.execute({ operation: 'GetFaceDetection', attempt: async () => 'before' })).to.equal('before');
    expect(await admin.exists(settingsKey)).to.equal(1);
    await until(async () => (await admin.exists(settingsKey)) === 0); // the TTL ran out
    expect(await p.execute({ operation: 'GetFaceDetection', attempt: async () => 'after' })).to.equal('after');
    expect(await admin.exists(settingsKey)).to.equal(1);
  });

  it('recovers when its settings and client keys are deleted', async () => {
    const limiter = id();
    const p = policy({ maxConcurrent: 2, redis: { url: REDIS_URL, id: limiter } });
    await p.execute({ operation: 'GetFaceDetection', attempt: async () => 1 });
    const keys = await admin.keys(`b_${limiter}*`);
    expect(keys).to.include(`b_${limiter}:default:GetFaceDetection_settings`);
    await admin.del(...keys);
    expect(await p.execute({ operation: 'GetFaceDetection', attempt: async () => 2 })).to.equal(2);
  });

  it('unreachable Redis → RedisLimiterError quickly, and the attempt is not sent', async () => {
    const port = await freePort();
    const p = policy({ maxConcurrent: 1, redis: { url: `redis://user:hunter2@127.0.0.1:${port}`, timeout: 1000 } });
    let sent = false;
    const error = await p
      .execute({ operation: 'GetFaceDetection', attempt: async () => (sent = true) })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RedisLimiterError);
    expect((error as RedisLimiterError).reason).to.be.oneOf(['unreachable', 'timeout']);
    expect((error as Error).message).to.contain(`127.0.0.1:${port}`).and.not.contain('hunter2');
    expect(sent).to.equal(false);
  });

  it("unreachable Redis with onError: 'local' falls back to a local limiter (the whole limit: no peers known)", async () => {
    const port = await freePort();
    const events: PolicyEvent[] = [];
    const p = policy({ tps: 8, maxConcurrent: 1, redis: { url: `redis://127.0.0.1:${port}`, timeout: 1000, onError: 'local' } });
    p.subscribe((e) => events.push(e));
    expect(await p.execute({ operation: 'GetFaceDetection', attempt: async () => 'local' })).to.equal('local');
    expect(events.map((e) => e.type)).to.deep.equal(['limiter-fallback', 'rate']);
    const fallback = events[0] as Extract<PolicyEvent, { type: 'limiter-fallback' }>;
    expect(fallback.peers).to.equal(undefined);
    expect(fallback.limit).to.deep.equal({ tps: 8, burst: undefined, maxConcurrent: 1 });
    expect(p.stats.limiters.GetFaceDetection).to.deep.equal({ store: 'fallback', peers: undefined, tps: 8 });
  });

  it('an idle Redis limiter does not keep the process alive', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/idleRedisPolicy.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, REDIS_URL], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearTimeout(watchdog);
    expect(signal, 'the process had to be killed: it did not exit by itself').to.equal(null);
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal('done');
  });

  describe('losing Redis mid-run (own redis-server)', function () {
    let server: RedisServer | undefined;
    let url = '';
    beforeEach(async function () {
      if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
      server = await startRedisServer();
      url = server.url;
    });
    afterEach(() => {
      server?.stop(true);
      server = undefined;
    });

    it('two processes: Redis killed → each falls back to half the TPS, announced; Redis restarted → both share it again', async () => {
      const clock = new VirtualClock(1_000_000);
      const limiter = id();
      const shared = { url, id: limiter, timeout: 1000, onError: 'local', reconnectInterval: 5000 } as const;
      const processes = [policy({ tps: 6, redis: shared, clock }), policy({ tps: 6, redis: shared, clock })];
      const events = processes.map((p) => {
        const seen: PolicyEvent[] = [];
        p.subscribe((e) => seen.push(e));
        return seen;
      });
      const types = (i: number) => events[i]!.filter((e) => e.type.startsWith('limiter-')).map((e) => e.type);
      const send = (p: ResilientPolicy) => p.execute({ operation: 'GetFaceDetection', attempt: async () => 'ok' });
      const state = (p: ResilientPolicy) => p.stats.limiters.GetFaceDetection!;

      for (const p of processes) expect(await send(p)).to.equal('ok');
      // The first process connected alone; it reads the number of peers again after PEER_SAMPLE_INTERVAL_MS.
      await clock.advance(PEER_SAMPLE_INTERVAL_MS);
      for (const p of processes) await send(p);
      await until(() => processes.every((p) => state(p).peers === 2));
      for (const p of processes) {
        expect(state(p)).to.deep.equal({ store: 'redis', peers: 2, tps: 6 });
        expect(p.stats.rates.GetFaceDetection).to.equal(6);
      }

      const { port } = server!;
      server!.stop(true);
      await once(server!.process, 'exit');
      for (const p of processes) expect(await send(p)).to.equal('ok'); // served by the local share
      for (const [i, p] of processes.entries()) {
        expect(types(i)).to.deep.equal(['limiter-fallback']);
        const fallback = events[i]!.find((e) => e.type === 'limiter-fallback') as Extract<PolicyEvent, { type: 'limiter-fallback' }>;
        expect(fallback.peers).to.equal(2);
        expect(fallback.limit.tps).to.equal(3);
        expect(state(p)).to.deep.equal({ store: 'fallback', peers: 2, tps: 3 });
        expect(p.stats.rates.GetFaceDetection).to.equal(3); // 2 × 3 = the configured 6 together, not 12
      }

      server = await startRedisServer(port);
      // Not before reconnectInterval (on the injected clock): still the local share.
      for (const p of processes) await send(p);
      for (const [i, p] of processes.entries()) {
        expect(types(i)).to.deep.equal(['limiter-fallback']);
        expect(state(p).store).to.equal('fallback');
      }
      await clock.advance(5000);
      for (const p of processes) expect(await send(p)).to.equal('ok'); // each starts a reconnection beside it
      await until(() => processes.every((_, i) => types(i).length === 2));
      for (const [i, p] of processes.entries()) {
        expect(types(i)).to.deep.equal(['limiter-fallback', 'limiter-restored']);
        expect(state(p).store).to.equal('redis');
        expect(state(p).tps).to.equal(6);
        expect(p.stats.rates.GetFaceDetection).to.equal(6);
      }
      // Requests go through the restarted Redis again: the shared limiter's keys are there.
      for (const p of processes) await send(p);
      const fresh = new Redis(server.url);
      try {
        expect(await fresh.hget(`b_${limiter}:default:GetFaceDetection_settings`, 'minTime')).to.equal('167');
        expect(await fresh.zcard(`b_${limiter}:default:GetFaceDetection_client_last_seen`)).to.equal(2);
      } finally {
        fresh.disconnect();
      }
    });

    it('Redis unreachable at start → the whole limit locally; once it is up, the next try after reconnectInterval shares it', async () => {
      const clock = new VirtualClock(0);
      const { port } = server!;
      server!.stop(true);
      await once(server!.process, 'exit');
      const events: PolicyEvent[] = [];
      const p = policy({ tps: 4, redis: { url, id: id(), timeout: 1000, onError: 'local', reconnectInterval: 2000 }, clock });
      p.subscribe((e) => events.push(e));
      const send = () => p.execute({ operation: 'GetFaceDetection', attempt: async () => 'ok' });
      expect(await send()).to.equal('ok');
      expect(p.stats.limiters.GetFaceDetection).to.deep.equal({ store: 'fallback', peers: undefined, tps: 4 });
      // A try while Redis is still down fails quietly, and the next one waits another reconnectInterval.
      await clock.advance(2000);
      expect(await send()).to.equal('ok');
      server = await startRedisServer(port);
      await send();
      await clock.advance(2000);
      expect(await send()).to.equal('ok');
      await until(() => events.some((e) => e.type === 'limiter-restored'));
      expect(events.filter((e) => e.type.startsWith('limiter-')).map((e) => e.type)).to.deep.equal(['limiter-fallback', 'limiter-restored']);
      expect(p.stats.limiters.GetFaceDetection).to.deep.equal({ store: 'redis', peers: 1, tps: 4 });
    });

    for (const onError of ['error', 'local'] as const) {
      it(`requests waiting for a slot ${onError === 'error' ? 'fail with RedisLimiterError' : 'fall back'}, never hang; the running one completes`, async () => {
        const p = policy({ maxConcurrent: 1, redis: { url, id: id(), timeout: 1000, onError } });
        const held = heldAttempt('first');
        const first = p.execute({ operation: 'GetFaceDetection', attempt: held.attempt });
        await held.entered;
        const second = p.execute({ operation: 'GetFaceDetection', attempt: async () => 'second' }).catch((e: unknown) => e);
        await until(() => p.stats.queued === 1);
        server!.stop(true);
        const outcome = await second;
        if (onError === 'error') {
          expect(outcome).to.be.instanceOf(RedisLimiterError);
          expect((outcome as RedisLimiterError).reason).to.equal('lost');
        } else {
          expect(outcome).to.equal('second');
        }
        held.release();
        expect(await first).to.equal('first');
        // Later requests do not hang either.
        const third = await p.execute({ operation: 'GetFaceDetection', attempt: async () => 'third' }).catch((e: unknown) => e);
        if (onError === 'error') expect(third).to.be.instanceOf(RedisLimiterError);
        else expect(third).to.equal('third');
      });
    }
  });
});

import Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';
import { systemClock } from '../../core/Clock.js';
import { RedisLimiterError } from '../../errors/RedisLimiterError.js';
import { BottleneckScheduler } from '../BottleneckScheduler.js';
import { bottleneckSettings, type LimiterSettings } from '../limiterSettings.js';
import { patchBottleneckForRedis7 } from './patchBottleneckForRedis7.js';
import type { RedisLimiterOptions } from './RedisLimiterOptions.js';

/** A Redis-backed scheduler and how to release it. */
export interface RedisScheduler {
  readonly scheduler: BottleneckScheduler;
  /** The Redis address, for messages (no password). */
  readonly address: string;
  /**
   * Keeps the process alive while a request uses the limiter; call the returned function when it is done.
   * The Redis sockets this module creates are otherwise unref'd, like Bottleneck's own heartbeat timer, so an
   * idle limiter does not keep a CLI or script from exiting.
   */
  hold(): () => void;
  /**
   * Processes sharing this limiter now, this one included: Bottleneck's registered clients of the limiter,
   * which every live process refreshes on its heartbeat and which Bottleneck forgets 10 s after a process
   * stopped answering. Rejects when Redis does not answer within `timeout`.
   */
  peers(): Promise<number>;
  /** Disconnects the limiter (and the Redis clients this module created). */
  close(): Promise<void>;
}

/** Defaults of {@link RedisLimiterOptions}. */
export const REDIS_DEFAULTS = Object.freeze({
  url: 'redis://127.0.0.1:6379',
  id: 'face-stream',
  keyTtl: 300_000,
  timeout: 5_000,
});

/**
 * Connects a Bottleneck limiter with `settings` to Redis under the key `limiterId`.
 *
 * Never hangs: connecting and becoming ready are bounded by `timeout` (→ {@link RedisLimiterError}
 * `unreachable`/`timeout`); commands fail fast while disconnected (no offline queue) and time out after
 * `timeout`; when the connection drops, requests waiting for a slot are failed with `lost` (`onLost` is
 * called first so the caller can fall back instead).
 */
export async function createRedisScheduler(
  settings: LimiterSettings,
  options: RedisLimiterOptions,
  limiterId: string,
  onLost: (error: RedisLimiterError, scheduler: BottleneckScheduler) => void,
): Promise<RedisScheduler> {
  patchBottleneckForRedis7(Bottleneck);
  const timeout = options.timeout ?? REDIS_DEFAULTS.timeout;
  const ownClient = options.client === undefined;
  const address = options.client
    ? `${options.client.options.host ?? '127.0.0.1'}:${options.client.options.port ?? 6379}`
    : redactUrl(options.url ?? REDIS_DEFAULTS.url);
  const IORedis = await loadIoredis();
  const client =
    (options.client as Redis | undefined) ??
    new IORedis(options.url ?? REDIS_DEFAULTS.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: timeout,
      connectTimeout: timeout,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
  let closing = false;
  const swallow = () => undefined; // errors are surfaced through `lost` and rejected commands
  client.on('error', swallow);
  try {
    await waitReady(client, timeout, address);
  } catch (error) {
    client.off('error', swallow);
    if (ownClient) client.disconnect();
    throw error;
  }

  const connection = new Bottleneck.IORedisConnection({ client, Redis: IORedis });
  connection.on('error', swallow);
  const subscriber = (connection as unknown as { subscriber: Redis }).subscriber;
  subscriber.on('error', swallow);
  const limiter = new Bottleneck({
    ...bottleneckSettings(settings),
    id: limiterId,
    datastore: 'ioredis',
    connection,
    timeout: options.keyTtl ?? REDIS_DEFAULTS.keyTtl,
    heartbeatInterval: 250,
  } as Bottleneck.ConstructorOptions);
  limiter.on('error', swallow);
  const scheduler = new BottleneckScheduler(
    limiter,
    (error) =>
      error instanceof RedisLimiterError
        ? error
        : new RedisLimiterError('lost', address, error instanceof Error ? error.message : String(error), {
            cause: error,
          }),
    // A crashed process must not hold cluster slots for ever.
    settings.maxConcurrent !== undefined ? Math.max(60_000, 4 * timeout) : undefined,
  );

  const close = async () => {
    closing = true;
    await limiter.stop({ dropWaitingJobs: true }).catch(swallow);
    if (ownClient) {
      await (connection.disconnect(false) as Promise<void>).catch(swallow);
    } else {
      subscriber.disconnect();
    }
  };
  try {
    await withTimeout(limiter.ready(), timeout, () => new RedisLimiterError('timeout', address, 'limiter setup'));
    // Last writer wins: a previous run's settings (still in Redis until the keys expire) must not linger.
    const { reservoir: _reservoir, ...rates } = bottleneckSettings(settings);
    await withTimeout(Promise.resolve(limiter.updateSettings(rates) as unknown), timeout, () =>
      new RedisLimiterError('timeout', address, 'updating the limiter settings'),
    );
  } catch (error) {
    await close();
    throw error instanceof RedisLimiterError
      ? error
      : new RedisLimiterError('unreachable', address, String((error as Error)?.message ?? error), { cause: error });
  }
  let holds = 0;
  const applyRef = () => {
    if (!ownClient) return;
    for (const redis of [client, subscriber]) {
      const socket = (redis as unknown as { stream?: { ref?(): void; unref?(): void } }).stream;
      if (holds > 0) socket?.ref?.();
      else socket?.unref?.();
    }
  };
  client.on('connect', applyRef);
  subscriber.on('connect', applyRef);
  applyRef();
  const hold = () => {
    holds++;
    applyRef();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holds--;
      applyRef();
    };
  };
  const lost = (detail: string) => {
    if (closing) return;
    onLost(new RedisLimiterError('lost', address, detail), scheduler);
  };
  client.on('close', () => lost('connection closed'));
  subscriber.on('close', () => lost('subscriber connection closed'));
  const peers = () =>
    withTimeout(client.zcard(`b_${limiterId}_client_last_seen`), timeout, () => new RedisLimiterError('timeout', address, 'counting peers'));
  return { scheduler, address, hold, peers, close };
}

function waitReady(client: Redis, timeout: number, address: string): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => {
      timer.abort();
      client.off('ready', onReady);
      client.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onError = (error: Error) =>
      done(new RedisLimiterError('unreachable', address, error.message || error.name, { cause: error }));
    const timer = new AbortController();
    systemClock.sleep(timeout, timer.signal).then(
      () => done(new RedisLimiterError('timeout', address, `no connection within ${timeout} ms`)),
      () => undefined,
    );
    client.once('ready', onReady);
    client.once('error', onError);
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      systemClock.sleep(ms, timer.signal).then(() => Promise.reject(error())),
    ]);
  } finally {
    timer.abort();
  }
}

async function loadIoredis(): Promise<typeof Redis> {
  try {
    return (await import('ioredis')).Redis;
  } catch (error) {
    throw new RedisLimiterError('unreachable', '(ioredis)', 'the optional peer dependency `ioredis` is not installed', {
      cause: error,
    });
  }
}

/** The URL without credentials. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(invalid Redis URL)';
  }
}

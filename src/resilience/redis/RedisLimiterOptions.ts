/**
 * An ioredis client (`new Redis(…)` from `ioredis` 5 or 6), described by the members this library reads.
 * Declared structurally so that these types compile without `ioredis` installed (it is an optional peer).
 */
export interface IoRedisClient {
  readonly options: { readonly host?: string | undefined; readonly port?: number | undefined };
  readonly status: string;
  duplicate(...args: any[]): unknown;
  on(event: string | symbol, listener: (...args: any[]) => void): unknown;
}

/**
 * Cluster mode: back the limiter with Redis so every process (on any machine) that uses the same Redis and
 * `id` shares one quota. Uses Bottleneck's ioredis datastore, patched for Redis ≥ 7.
 */
export interface RedisLimiterOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. Ignored when `client` is given. @default 'redis://127.0.0.1:6379' */
  readonly url?: string;
  /**
   * An existing ioredis client (the policy duplicates it for pub/sub and never closes it). Give it
   * `enableOfflineQueue: false` and a `commandTimeout`, or a lost Redis may stall requests until `timeout`.
   */
  readonly client?: IoRedisClient;
  /**
   * Namespace of the shared limiter keys; processes with the same `id` (and account, region, operation)
   * share one limit. @default 'face-stream'
   */
  readonly id?: string;
  /**
   * Lifetime of an idle limiter's keys in Redis, ms (Bottleneck's `timeout`): keys of a limiter nobody uses
   * expire, and are re-created transparently on the next request. @default 300000
   */
  readonly keyTtl?: number;
  /** Timeout for connecting and for each Redis command, ms. @default 5000 */
  readonly timeout?: number;
  /**
   * What to do when Redis is unreachable or lost: `'error'` rejects requests with a `RedisLimiterError`;
   * `'local'` falls back to an in-process limiter holding this process's fair share of the limit (`tps`,
   * `burst` and `maxConcurrent` divided by the number of processes last seen sharing it in Redis), emits
   * `limiter-fallback`, and returns to the shared limiter (`limiter-restored`) once Redis answers again.
   * @default 'error'
   */
  readonly onError?: 'error' | 'local';
  /**
   * With `onError: 'local'`: how often to try Redis again while falling back, ms of the policy's clock. A try
   * is started by a request (never by a timer) and runs beside it; requests keep the local share meanwhile.
   * @default 5000
   */
  readonly reconnectInterval?: number;
}

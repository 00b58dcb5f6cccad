import Bottleneck from 'bottleneck';
import type { Clock } from '../core/Clock.js';
import { RedisLimiterError } from '../errors/RedisLimiterError.js';
import { AdaptiveRate, type AdaptiveTicket, type ThrottleVerdict } from './AdaptiveRate.js';
import type { AdaptiveRateParameters } from './adaptiveRateMath.js';
import { AdaptivePacer } from './AdaptivePacer.js';
import { BottleneckScheduler, type Scheduler } from './BottleneckScheduler.js';
import { bottleneckSettings, isLimiting, LOCAL_HEARTBEAT_MS, type LimiterSettings } from './limiterSettings.js';
import type { LimiterState, PolicyEvent } from './PolicyEvents.js';
import { createRedisScheduler, type RedisScheduler } from './redis/createRedisScheduler.js';
import { fairShare } from './redis/fairShare.js';
import type { RedisLimiterOptions } from './redis/RedisLimiterOptions.js';

/** How often the number of processes sharing the Redis limiter is read again, ms (started by a request). */
export const PEER_SAMPLE_INTERVAL_MS = 1000;

/** Default of `redis.reconnectInterval`, ms. */
export const DEFAULT_RECONNECT_INTERVAL_MS = 5000;

/** Configuration of one operation's limiter (already validated). */
export interface OperationLimiterConfig {
  readonly settings: LimiterSettings;
  /** Adaptive parameters, or `undefined` when adaptive mode is off. */
  readonly adaptive: AdaptiveRateParameters | undefined;
  readonly redis: RedisLimiterOptions | undefined;
  /** Redis key of this limiter (account + region + operation). */
  readonly limiterId: string;
  readonly clock: Clock;
  readonly emit: (event: PolicyEvent) => void;
}

/**
 * The rate limit of one operation (for one account + region): an optional adaptive stage (an
 * {@link AdaptivePacer}: local, per process, on the injected clock) in front of an optional fixed stage
 * (TPS / burst / maxConcurrent: a bottleneck limiter, local or shared through Redis).
 *
 * In cluster mode each process adapts its own share while Redis enforces the shared fixed limit; N adaptive
 * processes converge like N CUBIC flows sharing a link. With `redis.onError: 'local'` a lost Redis is replaced
 * by a local limiter holding this process's fair share (the limit divided by the processes last seen in
 * Redis), and Redis is tried again every `reconnectInterval` (on the injected clock, started by a request).
 */
export class OperationLimiter implements Scheduler {
  readonly operation: string;
  readonly adaptive: AdaptiveRate | undefined;
  readonly #config: OperationLimiterConfig;
  readonly #adaptiveStage: AdaptivePacer | undefined;
  #fixedStage: Promise<Scheduler> | undefined;
  #redis: RedisScheduler | undefined;
  #local: BottleneckScheduler | undefined;
  /** The local share in force while falling back (`undefined`: not falling back). */
  #fallback: LimiterSettings | undefined;
  /** Local limiters replaced by Redis again, still finishing their queued requests. */
  readonly #retired = new Set<BottleneckScheduler>();
  /** Processes last seen sharing the Redis limiter (this one included). */
  #peers: number | undefined;
  #nextPeerSample = -Infinity;
  #nextReconnect = Infinity;
  #reconnecting: Promise<void> | undefined;
  #closed = false;
  #reportedRate = Infinity;

  constructor(operation: string, config: OperationLimiterConfig) {
    this.operation = operation;
    this.#config = config;
    if (config.adaptive) {
      const adaptive = new AdaptiveRate({ clock: config.clock, parameters: config.adaptive });
      this.adaptive = adaptive;
      this.#reportedRate = adaptive.rate();
      this.#adaptiveStage = new AdaptivePacer(config.clock, () => adaptive.rate(), () => adaptive.steadyUntil());
    }
  }

  /** The rate in force now, requests/s (adaptive rate, else the fixed TPS or its local share, else `Infinity`). */
  get rate(): number {
    return Math.min(this.adaptive?.rate() ?? Infinity, this.#limit.tps ?? Infinity);
  }

  /** Where the fixed limit is enforced now, by how many processes, at which TPS. */
  get state(): LimiterState {
    const store = this.#config.redis === undefined ? 'local' : this.#fallback ? 'fallback' : 'redis';
    return { store, peers: this.#peers, tps: this.#limit.tps };
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    let local = 0;
    for (const scheduler of [this.#local, ...this.#retired]) local += scheduler?.waiting ?? 0;
    return (this.#adaptiveStage?.waiting ?? 0) + local + (this.#redis?.scheduler.waiting ?? 0);
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const fixed = (): Promise<T> => this.#scheduleFixed(task, signal);
    return this.#adaptiveStage ? this.#adaptiveStage.schedule(fixed, signal) : fixed();
  }

  /** What the adaptive stage knows when a request joins the queue (`undefined` when adaptive mode is off). */
  ticket(): AdaptiveTicket | undefined {
    return this.adaptive?.ticket();
  }

  /** Notes that the request of `ticket` is being sent (adaptive mode: whether in a trial window). */
  sent(ticket: AdaptiveTicket | undefined): void {
    if (ticket) this.adaptive?.sent(ticket);
  }

  /** Records a success (adaptive mode) of the request of `ticket` and re-applies the recovering rate. */
  recordSuccess(ticket?: AdaptiveTicket): void {
    if (!this.adaptive) return;
    this.adaptive.recordSuccess(ticket);
    this.#applyRate();
  }

  /**
   * Records a throttle of the request of `ticket`; returns the rate now in force, what the throttle did
   * (`undefined` when adaptive mode is off), and whether the adaptive stage was already pacing the requests at a
   * rate when it came (`false` at the unlimited start, and when adaptive mode is off).
   */
  recordThrottle(ticket: AdaptiveTicket | undefined): {
    readonly rate: number;
    readonly verdict: ThrottleVerdict | undefined;
    readonly paced: boolean;
  } {
    const paced = this.adaptive?.pacing ?? false;
    const verdict = ticket ? this.adaptive?.recordThrottle(ticket) : undefined;
    if (verdict === 'decreased' || verdict === 'restored') {
      this.#adaptiveStage?.wake();
      this.#applyRate();
    }
    return { rate: this.rate, verdict, paced };
  }

  /** Stops the limiters and disconnects from Redis. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#adaptiveStage?.failWaiting(new Error('The request policy was closed.'));
    await this.#reconnecting;
    await Promise.all([
      ...[this.#local, ...this.#retired].map((local) => local?.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined)),
      this.#redis?.close(),
    ]);
  }

  /** The fixed limit this process enforces now: the configured one, or its share while falling back. */
  get #limit(): LimiterSettings {
    return this.#fallback ?? this.#config.settings;
  }

  #applyRate(): void {
    const rate = this.rate;
    const previous = this.#reportedRate;
    const changed = Number.isFinite(rate) !== Number.isFinite(previous) || Math.abs(rate - previous) > 0.05 * previous;
    if (changed) {
      this.#reportedRate = rate;
      this.#adaptiveStage?.wake();
      this.#config.emit({ type: 'rate', operation: this.operation, rate });
    }
  }

  async #scheduleFixed<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const { settings, redis } = this.#config;
    if (!redis && !isLimiting(settings)) return task();
    if (redis) this.#maintainRedis();
    const pending = (this.#fixedStage ??= this.#createFixedStage());
    let stage: Scheduler;
    try {
      stage = await pending;
    } catch (error) {
      if (this.#fixedStage !== pending) return this.#scheduleFixed(task, signal);
      stage = this.#fallBack(error);
    }
    const current = this.#redis;
    const onRedis = current !== undefined && stage === current.scheduler;
    const release = onRedis ? current.hold() : undefined;
    try {
      return await stage.schedule(task, signal);
    } catch (error) {
      // A RedisLimiterError from the Redis stage means the task did not run: run it on what replaces Redis.
      if (!(error instanceof RedisLimiterError) || !onRedis) throw error;
      if (this.#redis === current) this.#fallBack(error);
      return this.#scheduleFixed(task, signal);
    } finally {
      release?.();
    }
  }

  async #createFixedStage(): Promise<Scheduler> {
    if (!this.#config.redis) return this.#localStage();
    this.#redis = await this.#connect();
    return this.#redis.scheduler;
  }

  /** Connects a Redis limiter and reads how many processes share it. */
  async #connect(): Promise<RedisScheduler> {
    const { settings, redis, limiterId } = this.#config;
    const scheduler = await createRedisScheduler(settings, redis!, limiterId, (error, lostScheduler) => {
      // Requests waiting on a lost Redis would wait for ever: fail them (they fall back if configured).
      lostScheduler.failWaiting(error);
    });
    this.#peers = await scheduler.peers().then(
      (n) => Math.max(1, n),
      () => this.#peers,
    );
    this.#nextPeerSample = this.#config.clock.now() + PEER_SAMPLE_INTERVAL_MS;
    return scheduler;
  }

  /**
   * Called by each request in cluster mode: re-reads the number of processes sharing the Redis limiter every
   * {@link PEER_SAMPLE_INTERVAL_MS}, and while falling back tries Redis again every `reconnectInterval`. Both
   * run beside the request, never delaying it.
   */
  #maintainRedis(): void {
    const now = this.#config.clock.now();
    if (this.#fallback) {
      if (this.#reconnecting === undefined && now >= this.#nextReconnect) {
        this.#reconnecting = this.#reconnect().finally(() => (this.#reconnecting = undefined));
      }
      return;
    }
    const redis = this.#redis;
    if (redis && now >= this.#nextPeerSample) {
      this.#nextPeerSample = now + PEER_SAMPLE_INTERVAL_MS;
      redis.peers().then(
        (n) => {
          if (this.#redis === redis) this.#peers = Math.max(1, n);
        },
        () => undefined, // a lost Redis shows in the requests themselves
      );
    }
  }

  /** One try to return from the local share to the Redis limiter. */
  async #reconnect(): Promise<void> {
    let redis: RedisScheduler;
    try {
      redis = await this.#connect();
    } catch {
      this.#nextReconnect = this.#config.clock.now() + this.#reconnectInterval;
      return;
    }
    if (this.#closed) {
      await redis.close();
      return;
    }
    const local = this.#local;
    this.#redis = redis;
    this.#fixedStage = Promise.resolve(redis.scheduler);
    this.#local = undefined;
    this.#fallback = undefined;
    if (local) {
      // Requests already queued on the local share finish there; new ones go through Redis.
      this.#retired.add(local);
      void local.limiter
        .stop({ dropWaitingJobs: false })
        .catch(() => undefined)
        .then(() => this.#retired.delete(local));
    }
    this.#config.emit({ type: 'limiter-restored', operation: this.operation, peers: this.#peers });
    this.#applyRate();
  }

  get #reconnectInterval(): number {
    return this.#config.redis?.reconnectInterval ?? DEFAULT_RECONNECT_INTERVAL_MS;
  }

  #localStage(settings: LimiterSettings = this.#config.settings): BottleneckScheduler {
    const options = bottleneckSettings(settings);
    this.#local ??= new BottleneckScheduler(
      new Bottleneck({
        ...options,
        ...(options.reservoirIncreaseInterval ? { heartbeatInterval: LOCAL_HEARTBEAT_MS } : {}),
      } as Bottleneck.ConstructorOptions),
    );
    return this.#local;
  }

  /**
   * Switches to a local limiter holding this process's fair share when `redis.onError` is `'local'`
   * (idempotent while falling back); rethrows otherwise.
   */
  #fallBack(error: unknown): Scheduler {
    if (this.#config.redis?.onError !== 'local' || !(error instanceof RedisLimiterError)) throw error;
    if (this.#fallback && this.#local) return this.#local;
    const share = fairShare(this.#config.settings, this.#peers);
    this.#fallback = share;
    const local = this.#localStage(share);
    this.#fixedStage = Promise.resolve(local);
    const redis = this.#redis;
    this.#redis = undefined;
    void redis?.close();
    this.#nextReconnect = this.#config.clock.now() + this.#reconnectInterval;
    this.#config.emit({ type: 'limiter-fallback', operation: this.operation, error, peers: this.#peers, limit: share });
    this.#applyRate();
    return local;
  }
}

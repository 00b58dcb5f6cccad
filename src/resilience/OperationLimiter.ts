import Bottleneck from 'bottleneck';
import type { Clock } from '../core/Clock.js';
import { RedisLimiterError } from '../errors/RedisLimiterError.js';
import { AdaptiveRate, type AdaptiveTicket, type ThrottleVerdict } from './AdaptiveRate.js';
import type { AdaptiveRateParameters } from './adaptiveRateMath.js';
import { AdaptivePacer } from './AdaptivePacer.js';
import { BottleneckScheduler, type Scheduler } from './BottleneckScheduler.js';
import { bottleneckSettings, isLimiting, LOCAL_HEARTBEAT_MS, type LimiterSettings } from './limiterSettings.js';
import type { PolicyEvent } from './PolicyEvents.js';
import { createRedisScheduler, type RedisScheduler } from './redis/createRedisScheduler.js';
import type { RedisLimiterOptions } from './redis/RedisLimiterOptions.js';

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
 * processes converge like N CUBIC flows sharing a link.
 */
export class OperationLimiter implements Scheduler {
  readonly operation: string;
  readonly adaptive: AdaptiveRate | undefined;
  readonly #config: OperationLimiterConfig;
  readonly #adaptiveStage: AdaptivePacer | undefined;
  #fixedStage: Promise<Scheduler> | undefined;
  #redis: RedisScheduler | undefined;
  #local: BottleneckScheduler | undefined;
  #reportedRate = Infinity;

  constructor(operation: string, config: OperationLimiterConfig) {
    this.operation = operation;
    this.#config = config;
    if (config.adaptive) {
      const adaptive = new AdaptiveRate({ clock: config.clock, parameters: config.adaptive });
      this.adaptive = adaptive;
      this.#reportedRate = adaptive.rate();
      this.#adaptiveStage = new AdaptivePacer(config.clock, () => adaptive.rate());
    }
  }

  /** The rate in force now, requests/s (adaptive rate, else the fixed TPS, else `Infinity`). */
  get rate(): number {
    return Math.min(this.adaptive?.rate() ?? Infinity, this.#config.settings.tps ?? Infinity);
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return (this.#adaptiveStage?.waiting ?? 0) + (this.#local?.waiting ?? 0) + (this.#redis?.scheduler.waiting ?? 0);
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const fixed = (): Promise<T> => this.#scheduleFixed(task, signal);
    return this.#adaptiveStage ? this.#adaptiveStage.schedule(fixed, signal) : fixed();
  }

  /** What the adaptive stage knows when a request joins the queue (`undefined` when adaptive mode is off). */
  ticket(): AdaptiveTicket | undefined {
    return this.adaptive?.ticket();
  }

  /** Records a success (adaptive mode) of the request of `ticket` and re-applies the recovering rate. */
  recordSuccess(ticket?: AdaptiveTicket): void {
    if (!this.adaptive) return;
    this.adaptive.recordSuccess(ticket);
    this.#applyRate();
  }

  /**
   * Records a throttle of the request of `ticket`; returns the rate now in force and what the throttle did
   * (`undefined` when adaptive mode is off).
   */
  recordThrottle(ticket: AdaptiveTicket | undefined): { readonly rate: number; readonly verdict: ThrottleVerdict | undefined } {
    const verdict = ticket ? this.adaptive?.recordThrottle(ticket) : undefined;
    if (verdict === 'decreased' || verdict === 'restored') {
      this.#adaptiveStage?.wake();
      this.#applyRate();
    }
    return { rate: this.rate, verdict };
  }

  /** Stops the limiters and disconnects from Redis. */
  async close(): Promise<void> {
    this.#adaptiveStage?.failWaiting(new Error('The request policy was closed.'));
    await Promise.all([
      this.#local?.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined),
      this.#redis?.close(),
    ]);
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
    this.#fixedStage ??= this.#createFixedStage();
    let stage: Scheduler;
    try {
      stage = await this.#fixedStage;
    } catch (error) {
      stage = this.#fallBack(error);
    }
    const release = stage === this.#redis?.scheduler ? this.#redis.hold() : undefined;
    try {
      return await stage.schedule(task, signal);
    } catch (error) {
      if (!(error instanceof RedisLimiterError) || stage === this.#local) throw error;
      return this.#fallBack(error).schedule(task, signal);
    } finally {
      release?.();
    }
  }

  async #createFixedStage(): Promise<Scheduler> {
    const { settings, redis, limiterId } = this.#config;
    if (!redis) return this.#localStage();
    this.#redis = await createRedisScheduler(settings, redis, limiterId, (error, scheduler) => {
      // Requests waiting on a lost Redis would wait for ever: fail them (they fall back if configured).
      scheduler.failWaiting(error);
    });
    return this.#redis.scheduler;
  }

  #localStage(): BottleneckScheduler {
    const options = bottleneckSettings(this.#config.settings);
    this.#local ??= new BottleneckScheduler(
      new Bottleneck({
        ...options,
        ...(options.reservoirIncreaseInterval ? { heartbeatInterval: LOCAL_HEARTBEAT_MS } : {}),
      } as Bottleneck.ConstructorOptions),
    );
    return this.#local;
  }

  /** Switches to the local limiter when `redis.onError` is `'local'`; rethrows otherwise. */
  #fallBack(error: unknown): Scheduler {
    if (this.#config.redis?.onError !== 'local' || !(error instanceof RedisLimiterError)) throw error;
    const first = this.#local === undefined;
    const local = this.#localStage();
    this.#fixedStage = Promise.resolve(local);
    if (first) {
      this.#config.emit({ type: 'limiter-fallback', operation: this.operation, error });
      const redis = this.#redis;
      this.#redis = undefined;
      void redis?.close();
    }
    return local;
  }
}

import pRetry from 'p-retry';
import { abortReason, type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { ServiceError } from '../errors/ServiceError.js';
import { expectFunction, expectInteger, expectNumber, expectObject, expectString } from '../internal/validate.js';
import type { ThrottleVerdict } from './AdaptiveRate.js';
import { type AdaptiveRateParameters, DEFAULT_ADAPTIVE_PARAMETERS } from './adaptiveRateMath.js';
import { type BackoffParameters, combineWithRetryAfter, fullJitterDelay } from './backoffMath.js';
import { classifyError } from './classifyError.js';
import { OperationLimiter } from './OperationLimiter.js';
import type { LimiterState, PolicyEvent, PolicyStats, RateEvent, RetryEvent, ThrottleEvent } from './PolicyEvents.js';
import type { RedisLimiterOptions } from './redis/RedisLimiterOptions.js';
import type { PolicyRequest, RequestPolicy } from './RequestPolicy.js';
import { retryAfterFromError } from './retryAfter.js';

/** Options of {@link createRequestPolicy}. Every member is optional; the defaults make throttling invisible. */
export interface RequestPolicyOptions {
  /** Retries per request after the first attempt (0 = no retry). @default 10 */
  readonly retries?: number;
  /**
   * Total time budget of one request including backoffs, ms: no retry starts past it, and an attempt in flight
   * is cut off (like `attemptTimeout`) when the budget runs out. @default Infinity
   */
  readonly maxRetryTime?: number;
  /**
   * Longest time one attempt may take, from the moment it starts (after the rate limiter) until its response is
   * complete and parsed, ms. A slower attempt is aborted through its `AbortSignal` and fails with a retryable
   * `ServiceError` (`serviceCode` `AttemptTimeout`), retried like a 5xx. Measured on `clock`. `Infinity` turns
   * it off. @default 60000
   */
  readonly attemptTimeout?: number;
  /** Backoff of throttling errors (full jitter). @default { baseMs: 1000, capMs: 20000 } */
  readonly throttlingBackoff?: BackoffParameters;
  /** Backoff of other transient errors (5xx, network). @default { baseMs: 100, capMs: 20000 } */
  readonly transientBackoff?: BackoffParameters;
  /** Longest `Retry-After` / `x-amz-retry-after` honoured, ms. @default 60000 */
  readonly maxRetryAfter?: number;
  /** Fixed rate limit, requests/s per operation (opt-in; the adaptive rate never exceeds it). @default Infinity */
  readonly tps?: number;
  /** Token-bucket capacity: requests that may start at once after an idle period (needs `tps`). @default 1 */
  readonly burst?: number;
  /** Requests in flight at most, per operation. @default Infinity */
  readonly maxConcurrent?: number;
  /**
   * Adaptive rate: unlimited until the first throttle, then CUBIC-shaped recovery around the accepted rate.
   * `true` uses {@link DEFAULT_ADAPTIVE_PARAMETERS}; an object overrides some of them. @default true
   */
  readonly adaptive?: boolean | Partial<AdaptiveRateParameters>;
  /** Cluster mode: share the fixed limit (`tps`, `burst`, `maxConcurrent`) through Redis. @default undefined */
  readonly redis?: RedisLimiterOptions;
  /** Namespace of this policy's limiters (account + region); part of the Redis key. @default 'default' */
  readonly key?: string;
  /** Time source for backoffs and the adaptive rate. @default systemClock */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
  /** Called before each backoff. @default undefined */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Called for each throttled response. @default undefined */
  readonly onThrottle?: (event: ThrottleEvent) => void;
  /** Called when the adaptive rate changes by more than 5 %. @default undefined */
  readonly onRateChange?: (event: RateEvent) => void;
  /** Where the one-time "the SDK retried underneath" warning goes. @default process.emitWarning */
  readonly warn?: (message: string) => void;
}

/** The default `attemptTimeout`, ms. */
export const DEFAULT_ATTEMPT_TIMEOUT = 60_000;

/** A {@link RequestPolicy} with retries, a shared rate limiter, events and counters. */
export interface ResilientPolicy extends RequestPolicy {
  /** Counters since creation (a fresh snapshot on each read). */
  readonly stats: PolicyStats;
  /** Adds an event listener; returns a function that removes it. */
  subscribe(listener: (event: PolicyEvent) => void): () => void;
  /** Stops the limiters and disconnects from Redis. Requests still waiting are rejected. */
  close(): Promise<void>;
}

interface Config {
  readonly retries: number;
  readonly maxRetryTime: number;
  readonly attemptTimeout: number;
  readonly throttlingBackoff: BackoffParameters;
  readonly transientBackoff: BackoffParameters;
  readonly maxRetryAfter: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly warn: (message: string) => void;
}

/**
 * Creates the request policy that makes throttling invisible: each request is retried with p-retry
 * (full-jitter exponential backoff, Retry-After honoured, `signal` cancels a backoff at once), and every
 * attempt — pages and job-status polls alike — first takes a slot from a bottleneck limiter for its
 * operation, so a retry re-enters the queue and no slot is held while backing off.
 *
 * Retried: throttling (ProvisionedThroughputExceeded, Throttling 400/500, HTTP 429), InternalServerError and
 * other 5xx, network errors, attempts that exceed `attemptTimeout`, and responses whose body does not parse
 * (`MalformedResponse`). Everything else fails fast with its classified {@link ServiceError}. A retryable
 * error that exhausts `retries`/`maxRetryTime` is rethrown with `attempts` set.
 *
 * Share one policy between all streams of one account and region (see {@link sharedPolicy}); give SDK
 * clients `maxAttempts: 1` so the policy is the only retry layer (it warns once if the SDK retried).
 *
 * @example
 * ```ts
 * import { createRequestPolicy } from 'rekognition-face-stream';
 *
 * const policy = createRequestPolicy({ tps: 5, burst: 5, onRetry: (e) => console.error(`retry in ${e.delayMs} ms`) });
 * const value = await policy.execute({ operation: 'GetFaceDetection', attempt: async () => 'page' });
 * await policy.close();
 * ```
 */
export function createRequestPolicy(options: RequestPolicyOptions = {}): ResilientPolicy {
  expectObject('options', options);
  const config = validate(options);
  const settings = {
    tps: options.tps,
    burst: options.burst,
    maxConcurrent: options.maxConcurrent,
  };
  const adaptive = adaptiveParameters(options.adaptive);
  const key = options.key ?? 'default';
  const listeners = new Set<(event: PolicyEvent) => void>();
  const emit = (event: PolicyEvent) => {
    if (event.type === 'retry') options.onRetry?.(event);
    else if (event.type === 'throttle') options.onThrottle?.(event);
    else if (event.type === 'rate') options.onRateChange?.(event);
    for (const listener of listeners) listener(event);
  };
  const limiters = new Map<string, OperationLimiter>();
  const limiterFor = (operation: string) => {
    let limiter = limiters.get(operation);
    if (!limiter) {
      limiter = new OperationLimiter(operation, {
        settings,
        adaptive,
        redis: options.redis,
        limiterId: `${options.redis?.id ?? 'face-stream'}:${key}:${operation}`,
        clock: config.clock,
        emit,
      });
      limiters.set(operation, limiter);
    }
    return limiter;
  };
  const counters = { requests: 0, attempts: 0, succeeded: 0, failed: 0, retries: 0, throttled: 0 };
  /** Throttles the adaptive stage did not judge caused by our rate (retried with the transient backoff). */
  const shortThrottles = new WeakSet<ServiceError>();
  let warnedSdkRetries = false;
  const noteSdkAttempts = (operation: string, value: unknown) => {
    const attempts = (value as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
    if (warnedSdkRetries || typeof attempts !== 'number' || attempts <= 1) return;
    warnedSdkRetries = true;
    config.warn(
      `rekognition-face-stream: the AWS SDK client retried ${operation} (${attempts} attempts) underneath the ` +
        'request policy; create the client with `maxAttempts: 1` so that retries are not multiplied.',
    );
    emit({ type: 'sdk-retries', operation, attempts });
  };

  async function execute<T>(request: PolicyRequest<T>): Promise<T> {
    const { operation, signal, context } = request;
    signal?.throwIfAborted();
    const limiter = limiterFor(operation);
    const started = config.clock.now();
    counters.requests++;
    let attempts = 0;
    try {
      const value = await pRetry(
        async () => {
          // The epoch is taken when the attempt joins the queue: attempts queued before a decrease were paced
          // by the old rate, so their throttles say nothing about the new one.
          const ticket = limiter.ticket();
          try {
            const result = await limiter.schedule(() => {
              limiter.sent(ticket);
              attempts++;
              counters.attempts++;
              const budget = started + config.maxRetryTime - config.clock.now();
              const timeout = Math.max(0, Math.min(config.attemptTimeout, budget));
              const why = timeout < config.attemptTimeout ? 'the rest of maxRetryTime' : 'attemptTimeout';
              return timedAttempt(request, timeout, config.clock, () =>
                attemptTimeoutError(operation, `no complete response within ${Math.round(timeout)} ms (${why})`, context),
              );
            }, signal);
            limiter.recordSuccess(ticket);
            noteSdkAttempts(operation, result);
            return result;
          } catch (raw) {
            const error = classifyError(raw, operation, context);
            noteSdkAttempts(operation, (error as { cause?: unknown }).cause);
            if (error instanceof ServiceError && error.throttling) {
              counters.throttled++;
              const { rate, verdict, paced } = limiter.recordThrottle(ticket);
              // Only the throttle that ends the unlimited start waits the throttling backoff: nothing held the
              // requests back yet, so the retries must. Once the adaptive stage paces them, a throttle the rate
              // caused lowers that rate, and the pacer's slower pace is the slow-down; a throttle that says nothing
              // about the rate (stale, uninformative) or that the rate did not cause changes nothing. Either way the
              // retry is sent like that of a transient error, through the pacer.
              if (verdict !== undefined && (verdict !== 'decreased' || paced)) shortThrottles.add(error);
              emit({ type: 'throttle', operation, error, rate, ...(verdict ? { cause: causeOf(verdict) } : {}) });
            }
            throw error;
          }
        },
        {
          retries: config.retries,
          minTimeout: 0,
          maxTimeout: 0,
          factor: 1,
          ...(signal ? { signal } : {}),
          // The backoff is computed here and slept on the injected clock (p-retry's own timer is set to 0).
          shouldRetry: async ({ error, attemptNumber, retriesConsumed }) => {
            if (!(error instanceof ServiceError) || !error.retryable) return false;
            // A throttle not judged caused by our rate (random load shedding, or one that says nothing about the
            // rate) is retried like a transient error: the adaptive stage paces the retry at the rate the service
            // accepts, and a long wait would only idle the stream (and, growing per attempt, stall it).
            const backoff =
              error.throttling && !shortThrottles.has(error) ? config.throttlingBackoff : config.transientBackoff;
            const now = config.clock.now();
            const delayMs = combineWithRetryAfter(
              fullJitterDelay(retriesConsumed, backoff, config.random()),
              retryAfterFromError(error.cause, now),
              config.maxRetryAfter,
            );
            if (now + delayMs - started > config.maxRetryTime) return false;
            counters.retries++;
            emit({ type: 'retry', operation, attempt: attemptNumber, delayMs, error, context });
            if (delayMs > 0) await config.clock.sleep(delayMs, signal);
            else signal?.throwIfAborted();
            return true;
          },
        },
      );
      counters.succeeded++;
      return value;
    } catch (error) {
      counters.failed++;
      if (error instanceof ServiceError && error.retryable && attempts > 1) throw exhausted(error, attempts);
      throw error;
    }
  }

  return {
    execute,
    get stats(): PolicyStats {
      let queued = 0;
      const rates: Record<string, number> = {};
      const states: Record<string, LimiterState> = {};
      for (const [operation, limiter] of limiters) {
        queued += limiter.queued;
        rates[operation] = limiter.rate;
        states[operation] = limiter.state;
      }
      return { ...counters, queued, rates, limiters: states };
    },
    subscribe(listener) {
      expectFunction('listener', listener);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await Promise.all([...limiters.values()].map((limiter) => limiter.close()));
      limiters.clear();
    },
  };
}

/** The cause of a throttle, as reported in the `throttle` event. */
function causeOf(verdict: ThrottleVerdict): ThrottleEvent['cause'] {
  if (verdict === 'decreased') return 'rate';
  return verdict === 'background' || verdict === 'restored' ? 'background' : 'unknown';
}

/**
 * Runs one attempt with its own `AbortSignal`, aborted when the request's `signal` aborts or when `timeoutMs`
 * passes on `clock`. Either way the attempt is settled at once — with the abort reason, or with
 * `timeoutError()` — whether or not it honours its signal; whatever it settles with later is ignored.
 */
function timedAttempt<T>(request: PolicyRequest<T>, timeoutMs: number, clock: Clock, timeoutError: () => Error): Promise<T> {
  const outer = request.signal;
  const controller = new AbortController();
  const timer = new AbortController();
  let cutOff!: (reason: unknown) => void;
  const cut = new Promise<never>((_resolve, reject) => {
    cutOff = (reason) => {
      controller.abort(reason);
      reject(reason);
    };
  });
  const onAbort = () => cutOff(abortReason(outer!));
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  if (Number.isFinite(timeoutMs) && !controller.signal.aborted) {
    clock.sleep(timeoutMs, timer.signal).then(
      () => cutOff(timeoutError()),
      () => undefined, // the attempt settled first
    );
  }
  const attempt = new Promise<T>((resolve, reject) => {
    try {
      Promise.resolve(request.attempt(controller.signal)).then(resolve, reject);
    } catch (error) {
      reject(error);
    }
  });
  return Promise.race([attempt, cut]).finally(() => {
    // (a reason of our own: `abort()` without one builds a DOMException, with its stack, on every request)
    timer.abort(ATTEMPT_SETTLED);
    outer?.removeEventListener('abort', onAbort);
  });
}

/**
 * Why an attempt's timeout timer is cancelled (it settled first); never surfaces. One Error made once: a clock
 * turns a reason that is not an Error into a new one (`abortReason`), with its stack, on every request.
 */
const ATTEMPT_SETTLED = new Error('the attempt settled before its timeout');

/** The retryable error of an attempt that took longer than its timeout. */
function attemptTimeoutError(operation: string, what: string, context: Readonly<Record<string, unknown>> | undefined): ServiceError {
  return new ServiceError(`${operation} failed: AttemptTimeout: ${what}`, {
    serviceCode: 'AttemptTimeout',
    operation,
    retryable: true,
    throttling: false,
    ...(context ? { context } : {}),
  });
}

/** The retryable error that used up the retry budget, with the number of attempts made. */
function exhausted(error: ServiceError, attempts: number): ServiceError {
  return new ServiceError(
    `${error.message} (gave up after ${attempts} attempts)`,
    {
      serviceCode: error.serviceCode,
      operation: error.operation,
      httpStatusCode: error.httpStatusCode,
      requestId: error.requestId,
      retryable: error.retryable,
      throttling: error.throttling,
      attempts,
      context: error.context,
    },
    { cause: error.cause },
  );
}

function validate(options: RequestPolicyOptions): Config {
  const positiveMs = (name: string, value: number | undefined, fallback: number) =>
    value === undefined ? fallback : expectNumber(name, value, 0);
  const backoff = (name: string, value: BackoffParameters | undefined, fallback: BackoffParameters) => {
    if (value === undefined) return fallback;
    expectObject(name, value);
    return {
      baseMs: expectNumber(`${name}.baseMs`, value.baseMs, 0),
      capMs: expectNumber(`${name}.capMs`, value.capMs, 0),
    };
  };
  if (options.retries !== undefined && options.retries !== Infinity) expectInteger('retries', options.retries, 0);
  if (options.maxRetryTime !== undefined && options.maxRetryTime !== Infinity) {
    expectNumber('maxRetryTime', options.maxRetryTime, 0);
  }
  if (options.attemptTimeout !== undefined && options.attemptTimeout !== Infinity) {
    expectNumber('attemptTimeout', options.attemptTimeout, 1);
  }
  if (options.tps !== undefined && options.tps !== Infinity) {
    if (typeof options.tps !== 'number' || !(options.tps > 0) || !Number.isFinite(options.tps)) {
      throw new InvalidParameterError('tps', 'a finite number > 0 (requests per second)', options.tps);
    }
  }
  if (options.burst !== undefined) {
    expectInteger('burst', options.burst, 1);
    if (options.tps === undefined || options.tps === Infinity) {
      throw new InvalidParameterError('burst', 'used together with a finite `tps`', options.burst);
    }
  }
  if (options.maxConcurrent !== undefined && options.maxConcurrent !== Infinity) {
    expectInteger('maxConcurrent', options.maxConcurrent, 1);
  }
  if (options.redis !== undefined) validateRedis(options.redis);
  if (options.key !== undefined) expectString('key', options.key, { minLength: 1, maxLength: 200 });
  if (options.clock !== undefined) expectObject('clock', options.clock);
  for (const name of ['random', 'onRetry', 'onThrottle', 'onRateChange', 'warn'] as const) {
    if (options[name] !== undefined) expectFunction(name, options[name]);
  }
  return {
    retries: options.retries ?? 10,
    maxRetryTime: options.maxRetryTime ?? Infinity,
    attemptTimeout: options.attemptTimeout ?? DEFAULT_ATTEMPT_TIMEOUT,
    throttlingBackoff: backoff('throttlingBackoff', options.throttlingBackoff, { baseMs: 1000, capMs: 20_000 }),
    transientBackoff: backoff('transientBackoff', options.transientBackoff, { baseMs: 100, capMs: 20_000 }),
    maxRetryAfter: positiveMs('maxRetryAfter', options.maxRetryAfter, 60_000),
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    warn: options.warn ?? ((message) => process.emitWarning(message, 'RekognitionFaceStreamWarning')),
  };
}

function validateRedis(redis: RedisLimiterOptions): void {
  expectObject('redis', redis);
  if (redis.client !== undefined) expectObject('redis.client', redis.client);
  else if (redis.url !== undefined) {
    expectString('redis.url', redis.url, { minLength: 1, pattern: /^rediss?:\/\/./ });
  }
  if (redis.id !== undefined) expectString('redis.id', redis.id, { minLength: 1, maxLength: 200 });
  if (redis.keyTtl !== undefined) expectInteger('redis.keyTtl', redis.keyTtl, 1000);
  if (redis.timeout !== undefined) expectInteger('redis.timeout', redis.timeout, 1);
  if (redis.onError !== undefined && redis.onError !== 'error' && redis.onError !== 'local') {
    throw new InvalidParameterError('redis.onError', "'error' or 'local'", redis.onError);
  }
  if (redis.reconnectInterval !== undefined) expectNumber('redis.reconnectInterval', redis.reconnectInterval, 0);
}

function adaptiveParameters(
  adaptive: boolean | Partial<AdaptiveRateParameters> | undefined,
): AdaptiveRateParameters | undefined {
  if (adaptive === false) return undefined;
  const given = adaptive === undefined || adaptive === true ? {} : expectObject('adaptive', adaptive);
  const parameters = { ...DEFAULT_ADAPTIVE_PARAMETERS, ...given } as AdaptiveRateParameters;
  if (!(parameters.beta > 0 && parameters.beta < 1)) {
    throw new InvalidParameterError('adaptive.beta', 'a number between 0 and 1 (exclusive)', parameters.beta);
  }
  expectNumber('adaptive.recoveryTime', parameters.recoveryTime, 1);
  expectNumber('adaptive.probeDoublingTime', parameters.probeDoublingTime, 1);
  expectNumber('adaptive.minRate', parameters.minRate, Number.MIN_VALUE);
  if (parameters.maxRate !== Infinity) expectNumber('adaptive.maxRate', parameters.maxRate, parameters.minRate);
  // A fixed `tps` is enforced by the fixed stage (with its burst); the adaptive stage only ever lowers it.
  return parameters;
}

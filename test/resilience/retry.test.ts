import { expect } from 'chai';
import {
  createRequestPolicy,
  InvalidParameterError,
  type PolicyEvent,
  type RequestPolicyOptions,
  ServiceError,
} from '../../src/index.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { scripted, sdkError } from './helpers.js';

const throttle = () => sdkError('ProvisionedThroughputExceededException', 400);

describe('resilience/createRequestPolicy: retry', () => {
  // No limiter stages (adaptive off, no TPS): the retry loop runs entirely on the virtual clock. No attempt
  // timeout either, so that `clock.sleeps` holds only the backoffs (attemptTimeout has its own tests).
  function policy(options: RequestPolicyOptions = {}) {
    const clock = new VirtualClock();
    const events: PolicyEvent[] = [];
    const warnings: string[] = [];
    const p = createRequestPolicy({
      adaptive: false,
      attemptTimeout: Infinity,
      clock,
      random: () => 0.5,
      warn: (m) => warnings.push(m),
      ...options,
    });
    p.subscribe((e) => events.push(e));
    return { p, clock, events, warnings };
  }

  it('retries throttling with full-jitter backoff from a 1 s base, re-attempting each time', async () => {
    const { p, clock, events } = policy();
    const { attempt, calls } = scripted([throttle(), sdkError('ThrottlingException', 400), sdkError('ThrottlingException', 500)], 'page');
    const result = p.execute({ operation: 'GetFaceDetection', attempt });
    await clock.runAll();
    expect(await result).to.equal('page');
    expect(calls).to.have.length(4);
    expect(clock.sleeps).to.deep.equal([500, 1000, 2000]);
    expect(events.filter((e) => e.type === 'throttle')).to.have.length(3);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e.type === 'retry' ? e.attempt : 0))).to.deep.equal([1, 2, 3]);
    expect(p.stats).to.include({ requests: 1, attempts: 4, succeeded: 1, failed: 0, retries: 3, throttled: 3 });
  });

  it('retries 5xx, HTTP 429 and network errors; transient errors back off from a 100 ms base', async () => {
    const { p, clock } = policy();
    const { attempt, calls } = scripted(
      [
        sdkError('InternalServerError', 500),
        sdkError('Unknown', 503),
        sdkError('Unknown', 429),
        sdkError('Error', undefined, { code: 'ECONNRESET' }),
        sdkError('Error', undefined, { code: 'ETIMEDOUT' }),
      ],
      42,
    );
    const result = p.execute({ operation: 'GetFaceDetection', attempt });
    await clock.runAll();
    expect(await result).to.equal(42);
    expect(calls).to.have.length(6);
    // 429 is throttling (1 s base); the others transient (100 ms base); the exponent is the retry index.
    expect(clock.sleeps).to.deep.equal([50, 100, 2000, 400, 800]);
  });

  it('fails fast with the typed error for everything else', async () => {
    for (const name of ['InvalidPaginationTokenException', 'AccessDeniedException', 'ResourceNotFoundException', 'InvalidParameterException']) {
      const { p, clock } = policy();
      const { attempt, calls } = scripted([sdkError(name, 400)], 'never');
      const error = await p.execute({ operation: 'GetFaceDetection', attempt, context: { jobId: 'j1' } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ServiceError);
      expect((error as ServiceError).serviceCode).to.equal(name);
      expect((error as ServiceError).context).to.include({ jobId: 'j1' });
      expect(calls).to.have.length(1);
      expect(clock.sleeps).to.deep.equal([]);
    }
  });

  it('honours x-amz-retry-after and Retry-After', async () => {
    const { p, clock } = policy();
    const { attempt } = scripted(
      [
        sdkError('ThrottlingException', 400, { headers: { 'x-amz-retry-after': '1500' } }),
        sdkError('ServiceUnavailable', 503, { headers: { 'retry-after': '3' } }),
      ],
      'ok',
    );
    const result = p.execute({ operation: 'GetFaceDetection', attempt });
    await clock.runAll();
    expect(await result).to.equal('ok');
    expect(clock.sleeps).to.deep.equal([1500, 3000]);
  });

  it('gives up after `retries` with the last error, its attempts counted', async () => {
    const { p, clock } = policy({ retries: 2 });
    const { attempt, calls } = scripted([throttle(), throttle(), throttle(), throttle()], 'never');
    const result = p.execute({ operation: 'GetFaceDetection', attempt }).catch((e: unknown) => e);
    await clock.runAll();
    const error = (await result) as ServiceError;
    expect(error).to.be.instanceOf(ServiceError);
    expect(error.throttling).to.equal(true);
    expect(error.attempts).to.equal(3);
    expect(error.message).to.match(/gave up after 3 attempts/);
    expect(calls).to.have.length(3);
    expect(p.stats).to.include({ failed: 1, retries: 2, throttled: 3 });
  });

  it('stops retrying when the next backoff would pass maxRetryTime', async () => {
    const { p, clock, events } = policy({ maxRetryTime: 2000 });
    const { attempt, calls } = scripted([throttle(), throttle(), throttle(), throttle()], 'never');
    const result = p.execute({ operation: 'GetFaceDetection', attempt }).catch((e: unknown) => e);
    await clock.runAll();
    expect(await result).to.be.instanceOf(ServiceError);
    // (the other sleeps are the attempts' share of the budget: a finite maxRetryTime bounds attempts too)
    expect(events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []))).to.deep.equal([500, 1000]); // 500 + 1000 + 2000 > 2000
    expect(calls).to.have.length(3);
  });

  it('the signal cancels a pending backoff at once (no further attempt)', async () => {
    const { p, clock } = policy();
    const controller = new AbortController();
    const { attempt, calls } = scripted([throttle(), throttle()], 'never');
    const result = p.execute({ operation: 'GetFaceDetection', attempt, signal: controller.signal }).catch((e: unknown) => e);
    await clock.settle();
    expect(clock.pending).to.equal(1);
    controller.abort();
    const error = (await result) as Error;
    expect(error.name).to.equal('AbortError');
    expect(clock.pending).to.equal(0);
    expect(calls).to.have.length(1);
    expect(calls[0]).to.be.instanceOf(AbortSignal);
  });

  describe('attemptTimeout', () => {
    /** An attempt that never settles by itself; records its signal. */
    function neverSettles() {
      const signals: AbortSignal[] = [];
      const attempt = (signal: AbortSignal) => {
        signals.push(signal);
        return new Promise<never>(() => undefined);
      };
      return { attempt, signals };
    }

    it('aborts an attempt that takes longer through its signal and retries it like a 5xx, then fails typed', async () => {
      const { p, clock, events } = policy({ attemptTimeout: 5000, retries: 2 });
      const { attempt, signals } = neverSettles();
      const result = p.execute({ operation: 'GetFaceDetection', attempt, context: { jobId: 'j1' } }).catch((e: unknown) => e);
      await clock.advance(4999);
      expect(signals).to.have.length(1);
      expect(signals[0]!.aborted).to.equal(false);
      await clock.runAll();
      const error = (await result) as ServiceError;
      expect(error).to.be.instanceOf(ServiceError);
      expect(error).to.include({ serviceCode: 'AttemptTimeout', retryable: true, throttling: false, attempts: 3 });
      expect(error.code).to.equal('ERR_SERVICE_ATTEMPT_TIMEOUT');
      expect(error.message).to.match(/no complete response within 5000 ms \(attemptTimeout\)/);
      expect(error.context).to.include({ jobId: 'j1' });
      expect(signals).to.have.length(3);
      expect(signals.every((s) => s.aborted)).to.equal(true);
      expect(events.filter((e) => e.type === 'retry')).to.have.length(2);
      expect(clock.sleeps.filter((ms) => ms === 5000)).to.have.length(3);
    });

    it('a timed-out attempt is followed by a good one: the value of the good one', async () => {
      const { p, clock } = policy({ attemptTimeout: 1000 });
      let calls = 0;
      const attempt = (signal: AbortSignal) => (++calls === 1 ? new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) : Promise.resolve('page'));
      const result = p.execute({ operation: 'GetFaceDetection', attempt });
      await clock.runAll();
      expect(await result).to.equal('page');
      expect(calls).to.equal(2);
      expect(clock.pending).to.equal(0);
    });

    it('maxRetryTime cuts off an attempt in flight', async () => {
      const { p, clock } = policy({ maxRetryTime: 3000 });
      const { attempt, signals } = neverSettles();
      const result = p.execute({ operation: 'GetFaceDetection', attempt }).catch((e: unknown) => e);
      await clock.advance(3000);
      const error = (await result) as ServiceError;
      expect(error).to.include({ serviceCode: 'AttemptTimeout' });
      expect(error.message).to.include('the rest of maxRetryTime');
      expect(signals).to.have.length(1);
      expect(signals[0]!.aborted).to.equal(true);
    });

    it("the request's signal aborts the attempt in flight (an AbortError, not a timeout)", async () => {
      const { p, clock } = policy({ attemptTimeout: 5000 });
      const controller = new AbortController();
      const { attempt, signals } = neverSettles();
      const result = p.execute({ operation: 'GetFaceDetection', attempt, signal: controller.signal }).catch((e: unknown) => e);
      await clock.settle();
      controller.abort();
      expect(signals[0]!.aborted).to.equal(true);
      // The attempt ignores its signal: the policy still settles, on the abort, at once.
      expect(((await result) as Error).name).to.equal('AbortError');
      expect(clock.pending).to.equal(0);
    });

    it('is validated', () => {
      for (const bad of [0, -1, Number.NaN, '5s']) {
        expect(() => createRequestPolicy({ attemptTimeout: bad as number })).to.throw(InvalidParameterError, /attemptTimeout/);
      }
    });
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { p } = policy();
    const { attempt, calls } = scripted([], 'never');
    const error = await p
      .execute({ operation: 'GetFaceDetection', attempt, signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AbortError');
    expect(calls).to.have.length(0);
  });

  it('warns once when the SDK retried underneath ($metadata.attempts > 1)', async () => {
    const { p, warnings, events } = policy();
    const page = { Faces: [], $metadata: { attempts: 3 } };
    await p.execute({ operation: 'GetFaceDetection', attempt: async () => page });
    await p.execute({ operation: 'GetFaceDetection', attempt: async () => page });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/maxAttempts: 1/);
    expect(events.filter((e) => e.type === 'sdk-retries')).to.have.length(1);
  });

  it('calls onRetry and onThrottle', async () => {
    const retries: number[] = [];
    const throttles: string[] = [];
    const { p, clock } = policy({
      onRetry: (e) => retries.push(e.delayMs),
      onThrottle: (e) => throttles.push(e.error.serviceCode),
    });
    const result = p.execute({ operation: 'GetFaceDetection', attempt: scripted([throttle()], 1).attempt });
    await clock.runAll();
    await result;
    expect(retries).to.deep.equal([500]);
    expect(throttles).to.deep.equal(['ProvisionedThroughputExceededException']);
  });

  describe('bad configuration → InvalidParameterError naming the option', () => {
    for (const [options, parameter] of [
      [{ tps: -1 }, 'tps'],
      [{ tps: 0 }, 'tps'],
      [{ tps: Number.NaN }, 'tps'],
      [{ burst: 5 }, 'burst'],
      [{ tps: 5, burst: 0 }, 'burst'],
      [{ maxConcurrent: 0 }, 'maxConcurrent'],
      [{ retries: -1 }, 'retries'],
      [{ retries: 1.5 }, 'retries'],
      [{ maxRetryTime: -5 }, 'maxRetryTime'],
      [{ adaptive: { beta: 1.5 } }, 'adaptive.beta'],
      [{ redis: { url: 'http://x' } }, 'redis.url'],
      [{ redis: { onError: 'ignore' } }, 'redis.onError'],
      [{ redis: { onError: 'local', reconnectInterval: -1 } }, 'redis.reconnectInterval'],
      [{ throttlingBackoff: { baseMs: -1, capMs: 10 } }, 'throttlingBackoff.baseMs'],
    ] as const) {
      it(`${JSON.stringify(options)} → ${parameter}`, () => {
        expect(() => createRequestPolicy(options as RequestPolicyOptions))
          .to.throw(InvalidParameterError)
          .with.property('parameter', parameter);
      });
    }
  });
});

describe('resilience/createRequestPolicy: which throttles wait the throttling backoff (adaptive)', () => {
  it('only the throttle that ends the unlimited start; a later decrease is retried after the transient backoff, through the pacer', async () => {
    const clock = new VirtualClock();
    const events: PolicyEvent[] = [];
    const p = createRequestPolicy({ attemptTimeout: Infinity, clock, random: () => 0.5 });
    p.subscribe((e) => events.push(e));
    // One request at a time, as a stream pages: 3 successes, a throttle (the end of the unlimited start), 3
    // successes at the probe's pace, a throttle (the end of the probe: a measured quota, a rate in force).
    const outcomes = ['ok', 'ok', 'ok', 'throttle', 'ok', 'ok', 'ok', 'ok', 'throttle', 'ok'];
    let call = 0;
    const attempt = async () => {
      if (outcomes[call++] === 'throttle') throw throttle();
      return 'page';
    };
    for (let page = 0; page < 8; page++) {
      const result = p.execute({ operation: 'GetFaceDetection', attempt });
      await clock.runAll();
      expect(await result).to.equal('page');
    }
    expect(call).to.equal(outcomes.length);
    const throttles = events.filter((e) => e.type === 'throttle');
    expect(throttles.map((e) => e.cause)).to.deep.equal(['rate', 'rate']); // both lowered the rate
    const delays = events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));
    // Full jitter at 0.5: half the 1 s throttling base, then half the 100 ms transient base.
    expect(delays).to.deep.equal([500, 50]);
    await p.close();
  });
});

import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { closeSharedPolicies, createRequestPolicy, defaultPolicy, type PolicyEvent, sharedPolicy } from '../../src/index.js';
import { DEFAULT_ADAPTIVE_PARAMETERS as P } from '../../src/resilience/adaptiveRateMath.js';
import { bottleneckSettings } from '../../src/resilience/limiterSettings.js';
import { clientQuotaKey } from '../../src/resilience/clientQuotaKey.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { deferred, heldAttempt, sdkError } from './helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Resolves once `condition()` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((r) => setImmediate(r));
}

describe('resilience/limiter (bottleneck)', () => {
  after(() => closeSharedPolicies());

  it('maps TPS, burst and maxConcurrent to bottleneck settings', () => {
    expect(bottleneckSettings({ tps: 10 })).to.include({ minTime: 100, reservoir: null, maxConcurrent: null });
    expect(bottleneckSettings({ tps: 10, burst: 10, maxConcurrent: 4 })).to.include({
      minTime: 0,
      reservoir: 10,
      reservoirIncreaseInterval: 250,
      reservoirIncreaseAmount: 2.5,
      reservoirIncreaseMaximum: 10,
      maxConcurrent: 4,
    });
    expect(bottleneckSettings({})).to.include({ minTime: 0, maxConcurrent: null });
  });

  it('never runs more than maxConcurrent attempts at once, and runs every request in order', async () => {
    const policy = createRequestPolicy({ maxConcurrent: 2 });
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        policy.execute({
          operation: 'GetFaceDetection',
          attempt: async () => {
            started.push(i);
            peak = Math.max(peak, ++inFlight);
            // Hold the slot until a second attempt is running (or no other one can come).
            await until(() => inFlight === 2 || started.length === 12);
            await new Promise<void>((r) => setImmediate(r));
            inFlight--;
            return i;
          },
        }),
      ),
    );
    expect(results).to.deep.equal(Array.from({ length: 12 }, (_, i) => i));
    expect(peak).to.equal(2);
    expect(started).to.deep.equal(Array.from({ length: 12 }, (_, i) => i));
    await policy.close();
  });

  it('an abort while waiting for a slot rejects at once and the attempt never runs', async () => {
    const policy = createRequestPolicy({ maxConcurrent: 1 });
    const held = heldAttempt('first');
    const first = policy.execute({ operation: 'GetFaceDetection', attempt: held.attempt });
    await held.entered;
    const controller = new AbortController();
    let secondRan = false;
    const second = policy
      .execute({
        operation: 'GetFaceDetection',
        signal: controller.signal,
        attempt: async () => {
          secondRan = true;
          return 'second';
        },
      })
      .catch((e: unknown) => e);
    await until(() => policy.stats.queued === 1);
    controller.abort();
    expect(((await second) as Error).name).to.equal('AbortError');
    held.release();
    expect(await first).to.equal('first');
    const third = await policy.execute({ operation: 'GetFaceDetection', attempt: async () => 'third' });
    expect(third).to.equal('third');
    expect(secondRan).to.equal(false);
    await policy.close();
  });

  it('adaptive: unlimited until a throttle, then one decrease per epoch from the accepted rate', async () => {
    const clock = new VirtualClock(1000);
    const events: PolicyEvent[] = [];
    const policy = createRequestPolicy({ clock, random: () => 0 });
    policy.subscribe((e) => events.push(e));
    for (let i = 0; i < 20; i++) await policy.execute({ operation: 'GetFaceDetection', attempt: async () => i });
    expect(policy.stats.rates['GetFaceDetection']).to.equal(Infinity);
    // Two requests sent in the same epoch are throttled together; each is retried (delay 0 with random 0).
    let throttles = 2;
    const bothSent = deferred();
    let sent = 0;
    const attempt = async () => {
      if (throttles-- > 0) {
        if (++sent === 2) bothSent.resolve();
        await bothSent.promise;
        throw sdkError('ThrottlingException', 400);
      }
      return 'ok';
    };
    const both = Promise.all([
      policy.execute({ operation: 'GetFaceDetection', attempt }),
      policy.execute({ operation: 'GetFaceDetection', attempt }),
    ]);
    // After the decrease the retries are paced on the virtual clock: the first 1/16 s after the last start,
    // the second one gap later at the (startup-probe) rate then in force.
    await clock.settle();
    const before = clock.now();
    await clock.runAll();
    expect(await both).to.deep.equal(['ok', 'ok']);
    const cut = 20 * P.beta;
    const first = 1000 / cut;
    expect(clock.now() - before).to.be.closeTo(first + 1000 / (cut * 2 ** (first / P.probeDoublingTime)), 1e-9);
    // 20 successes within the 1 s window → accepted 20/s → beta × 20 (16.6), once: the second throttle of the
    // same epoch leaves it (else it would be beta² × 20).
    const throttleRates = events.flatMap((e) => (e.type === 'throttle' ? [e.rate] : []));
    expect(throttleRates).to.deep.equal([cut, cut]);
    const firstRate = events.find((e) => e.type === 'rate');
    expect(firstRate && firstRate.type === 'rate' && firstRate.rate).to.equal(cut);
    expect(policy.stats.throttled).to.equal(2);
    // Other operations have their own limiter.
    await policy.execute({ operation: 'StartFaceDetection', attempt: async () => 1 });
    expect(policy.stats.rates['StartFaceDetection']).to.equal(Infinity);
    await policy.close();
  });

  it('a fixed TPS caps the adaptive rate', () => {
    const policy = createRequestPolicy({ tps: 5 });
    void policy.execute({ operation: 'GetFaceDetection', attempt: async () => 1 });
    expect(policy.stats.rates['GetFaceDetection']).to.equal(5);
    return policy.close();
  });

  it('sharedPolicy returns one policy per key', () => {
    const a = sharedPolicy('acct-a:eu-west-1', { tps: 5 });
    expect(sharedPolicy('acct-a:eu-west-1')).to.equal(a);
    expect(sharedPolicy('acct-b:eu-west-1')).to.not.equal(a);
  });

  it('defaultPolicy shares one adaptive policy per account + region + endpoint, keyed without credentials', async () => {
    const make = (endpoint: string, accessKeyId = 'AKIDTEST') =>
      new RekognitionClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId, secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
    const one = make('http://127.0.0.1:1');
    const key = await clientQuotaKey(one);
    expect(key).to.equal(await clientQuotaKey(make('http://127.0.0.1:1')));
    expect(key).to.not.equal(await clientQuotaKey(make('http://127.0.0.1:2')));
    expect(key).to.not.equal(await clientQuotaKey(make('http://127.0.0.1:1', 'AKIDOTHER')));
    expect(key).to.not.contain('AKIDTEST');
    expect(key).to.contain('us-east-1');
    expect(defaultPolicy(one)).to.equal(defaultPolicy(one));
    expect(await defaultPolicy(one).execute({ operation: 'GetFaceDetection', attempt: async () => 7 })).to.equal(7);
    expect(sharedPolicy(key).stats.requests).to.equal(1);
  });
});

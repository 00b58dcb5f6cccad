/**
 * A simulated throttling service in virtual time, for tests of the adaptive rate: a token-bucket quota (the
 * emulator's own {@link TokenBucket}) and, after it, random throttles on a fraction `p` of the requests that
 * pass it (alternating the two throttling error names), each answered after `latencyMs`. Streams page through
 * it sequentially with the real request policy on a {@link VirtualClock}; several clients, each with its own
 * policy (processes adapting on their own), can share the one quota.
 */
import { createRequestPolicy, type PolicyEvent, type RequestPolicyOptions } from '../../src/index.js';
import { AdaptivePacer } from '../../src/resilience/AdaptivePacer.js';
import { TokenBucket } from '../../src/emulator/faults/TokenBucket.js';
import { Rng } from '../../src/emulator/synthetic/random.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { sdkError } from './helpers.js';

/** The service and the load. */
export interface SimulatedRun {
  /** Account quota (token bucket), or none. */
  readonly quota?: { readonly rate: number; readonly burst: number };
  /** Fraction of the requests (that pass the quota) throttled at random. */
  readonly p: number;
  /** Concurrent sequential streams (per client). */
  readonly streams: number;
  /**
   * Independent clients (processes), each with its own request policy adapting on its own, sharing the one
   * quota; each runs `streams` streams. @default 1
   */
  readonly clients?: number;
  /** Pages per stream. */
  readonly pages: number;
  /** Service time of one request, ms. @default 20 */
  readonly latencyMs?: number;
  /** Seed of the random throttles and of the jitter. @default 1 */
  readonly seed?: number;
  /** Policy options (clock and random are set here). @default {} */
  readonly policy?: RequestPolicyOptions;
  /**
   * The reference contender: adaptive mode off and every client's attempts paced at this fixed rate
   * (requests/s) on the virtual clock (bottleneck's fixed stage runs on real timers). @default undefined
   */
  readonly fixedRate?: number;
  /**
   * With {@link fixedRate}: a local token bucket of this size instead of even spacing (the benchmark's
   * `tps: 10, burst: 10, adaptive: false`: the first `fixedBurst` requests start at once). @default undefined
   */
  readonly fixedBurst?: number;
  /**
   * The SDK paginator with standard retry instead of our policy: no pacing, at most 3 attempts, a throttle
   * retried after `random × min(1000 · 2^retry, 20000)` ms (smithy's `StandardRetryStrategy`; its retry-token
   * bucket is not modelled). A page that fails 3 times fails the stream. @default false
   */
  readonly sdkStandard?: boolean;
  /** Called with the virtual time and each policy event (for diagnostics). @default undefined */
  readonly trace?: (now: number, event: PolicyEvent) => void;
}

/** What a run did. */
export interface SimulatedOutcome {
  /** Virtual time to the last page, ms. */
  readonly wallMs: number;
  readonly attempts: number;
  readonly throttled: number;
  /** Of those, throttled by the quota. */
  readonly quotaThrottled: number;
  /** The adaptive rate (summed over the clients) sampled every 100 ms of virtual time (`Infinity`: unlimited). */
  readonly rates: readonly number[];
  /** The rate at the end (summed over the clients). */
  readonly finalRate: number;
  /** Streams that gave up (retries exhausted). */
  readonly failed: number;
}

/** Runs the streams to the end in virtual time. */
export async function simulateThrottledService(run: SimulatedRun): Promise<SimulatedOutcome> {
  const clock = new VirtualClock(1_000_000);
  const rng = new Rng(run.seed ?? 1);
  const jitter = new Rng((run.seed ?? 1) + 1000);
  const bucket = run.quota ? new TokenBucket(run.quota, clock) : undefined;
  const fixed = run.fixedRate;
  const policies = Array.from({ length: run.clients ?? 1 }, () =>
    createRequestPolicy({ ...run.policy, ...(fixed ? { adaptive: false } : {}), clock, random: () => jitter.next() }),
  );
  const trace = run.trace;
  if (trace) for (const policy of policies) policy.subscribe((event) => trace(clock.now() - 1_000_000, event));
  const pacers = new Map(
    policies.map((policy) => [
      policy,
      fixed ? (run.fixedBurst ? new BucketPacer(new TokenBucket({ rate: fixed, burst: run.fixedBurst }, clock), clock, fixed) : new AdaptivePacer(clock, () => fixed)) : undefined,
    ]),
  );
  let attempts = 0;
  let throttled = 0;
  let quotaThrottled = 0;
  const serve = async () => {
    attempts++;
    await clock.sleep(run.latencyMs ?? 20);
    if (bucket && !bucket.take()) {
      throttled++;
      quotaThrottled++;
      throw sdkError('ProvisionedThroughputExceededException', 400);
    }
    if (rng.next() < run.p) {
      throttled++;
      throw sdkError(throttled % 2 ? 'ThrottlingException' : 'ProvisionedThroughputExceededException', 400);
    }
    return 'page';
  };
  const started = clock.now();
  let finished = 0;
  let failed = 0;
  let end = started;
  const total = policies.length * run.streams;
  const streams = policies.flatMap((policy) =>
    Array.from({ length: run.streams }, async () => {
      try {
        const pacer = pacers.get(policy);
        const attempt = pacer ? () => pacer.schedule(serve) : serve;
        for (let page = 0; page < run.pages; page++) {
          if (run.sdkStandard) await sdkStandardAttempts(serve, clock, jitter);
          else await policy.execute({ operation: 'GetFaceDetection', attempt });
        }
      } catch {
        failed++; // gave up (retries exhausted): counted, the stream stops
      }
      end = Math.max(end, clock.now());
      finished++;
    }),
  );
  const rates: number[] = [];
  const rateOf = () => policies.reduce((sum, policy) => sum + (policy.stats.rates['GetFaceDetection'] ?? Infinity), 0);
  while (finished < total) {
    await clock.advance(100);
    rates.push(rateOf());
    if (clock.now() - started > 3_600_000) throw new Error('simulation did not finish within an hour of virtual time');
  }
  await Promise.all(streams);
  const finalRate = rateOf();
  await Promise.all(policies.map((policy) => policy.close()));
  return { wallMs: end - started, attempts, throttled, quotaThrottled, rates, finalRate, failed };
}

/** One page with the SDK's standard retry: 3 attempts, throttles backed off by `random × 1000 · 2^retry` ms. */
async function sdkStandardAttempts(serve: () => Promise<string>, clock: VirtualClock, random: Rng): Promise<string> {
  for (let retry = 0; ; retry++) {
    try {
      return await serve();
    } catch (error) {
      if (retry >= 2) throw error;
      await clock.sleep(Math.floor(random.next() * Math.min(1000 * 2 ** retry, 20_000)));
    }
  }
}

/** Starts each task when a local token bucket has a token (the fixed contender with a burst), FIFO. */
class BucketPacer {
  #tail: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly bucket: TokenBucket,
    private readonly clock: VirtualClock,
    private readonly rate: number,
  ) {}

  schedule<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.#tail.then(async () => {
      while (!this.bucket.take()) await this.clock.sleep(1000 / this.rate / 4);
    });
    this.#tail = turn;
    return turn.then(task);
  }
}

/**
 * Fault injection: scripted faults (consumed in order, with a check that all were consumed), per-operation
 * TPS quotas (token buckets → `ProvisionedThroughputExceededException`) and seeded random faults.
 *
 * @module
 */
import type { Clock } from '../../core/Clock.js';
import { errors, ServiceException } from '../protocol/ServiceException.js';
import { Rng } from '../synthetic/random.js';
import { TokenBucket, type TpsQuota } from './TokenBucket.js';

/** Operations the emulator serves. */
export type OperationName = 'StartFaceDetection' | 'GetFaceDetection';

/** Operation names, for validation. */
export const OPERATIONS: readonly OperationName[] = ['StartFaceDetection', 'GetFaceDetection'];

/**
 * What a fault does:
 * - `throttle`: 400 `ThrottlingException`; `throttle-500`: 500 `ThrottlingException` ("Service Unavailable");
 * - `provisioned`: 400 `ProvisionedThroughputExceededException`; `internal`: 500 `InternalServerError`;
 * - `drop`: the connection is destroyed without an answer; `latency`: answered normally after `latencyMs`;
 * - `error`: the error given in `error`;
 * - hostile answers, for client tests (a proxy's page, a broken server): `body`: answered with `status` (default
 *   200) and exactly `body`; `hang`: never answered (the request is held until the client or the emulator
 *   closes the connection); `stall`: the status line and headers are sent (a `content-length` promising more),
 *   then the beginning of `body` (default: the start of a page), then nothing.
 */
export type FaultKind = 'throttle' | 'throttle-500' | 'provisioned' | 'internal' | 'drop' | 'latency' | 'error' | 'body' | 'hang' | 'stall';

/** Fault kinds, for validation. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'throttle-500',
  'provisioned',
  'internal',
  'drop',
  'latency',
  'error',
  'body',
  'hang',
  'stall',
];

/** The part of a page a `stall` fault sends before it stops, when no `body` is given. */
export const DEFAULT_STALL_BODY = '{"JobStatus":"SUCCEEDED","VideoMetadata":{"Codec":"h264","DurationMillis":60000},"Faces":[{"Timestamp":0,';

/** A scripted fault: applies to the next `times` matching requests. */
export interface ScriptedFault {
  /**
   * Operation it applies to.
   * @default every operation
   */
  readonly operation?: OperationName;
  readonly fault: FaultKind;
  /**
   * How many matching requests it applies to.
   * @default 1
   */
  readonly times?: number;
  /**
   * How many matching requests are let through (answered as usual) before it applies, e.g. `2` for the third
   * page of a walk. Faults after it in the script wait their turn.
   * @default 0
   */
  readonly after?: number;
  /**
   * Delay for `latency` (ms).
   * @default 1000
   */
  readonly latencyMs?: number;
  /** The error of an `error` fault: shape name, HTTP status (default 400) and message. */
  readonly error?: { readonly type: string; readonly status?: number; readonly message?: string };
  /**
   * A retry hint on the error answer: `x-amz-retry-after` (ms) and `Retry-After` (seconds, rounded up).
   * @default no hint
   */
  readonly retryAfterMs?: number;
  /**
   * The HTTP status of a `body` or `stall` answer.
   * @default 200
   */
  readonly status?: number;
  /**
   * What a `body` fault answers (required for `body`), or the part of it a `stall` fault sends. A list is
   * taken in turn, cycling, by the requests the fault applies to. `{n}` in the text becomes the number of
   * requests the fault answered before this one (0, 1, …), e.g. a new `NextToken` on each page.
   * @default for `stall`, the start of a page ({@link DEFAULT_STALL_BODY})
   */
  readonly body?: string | readonly string[];
}

/** Random faults: each is a probability per request (0–1) unless stated. */
export interface RandomFaults {
  /** 400 `ThrottlingException`. @default 0 */
  readonly throttle?: number;
  /** 500 `ThrottlingException`. @default 0 */
  readonly throttle500?: number;
  /**
   * 400 `ProvisionedThroughputExceededException` at random (load shedding under that name; the TPS quota
   * answers it too, when its bucket is empty). @default 0
   */
  readonly provisioned?: number;
  /** 500 `InternalServerError`. @default 0 */
  readonly internal?: number;
  /** Dropped connection. @default 0 */
  readonly drop?: number;
  /** Probability of added latency. @default 0 */
  readonly latency?: number;
  /** Added latency (ms) when it applies: a fixed value or a uniform range. @default 100 */
  readonly latencyMs?: number | { readonly min: number; readonly max: number };
  /** Operations the random faults apply to. @default every operation */
  readonly operations?: readonly OperationName[];
}

/** Fault-injection settings (all optional; no faults by default). */
export interface FaultOptions {
  /** Account-wide TPS quota per operation (token bucket with burst). @default no quota */
  readonly tps?: Partial<Readonly<Record<OperationName, TpsQuota>>>;
  /** Random faults. @default none */
  readonly random?: RandomFaults;
  /** Scripted faults, consumed in order. @default none */
  readonly script?: readonly ScriptedFault[];
  /** Seed of the random faults. @default the emulator seed */
  readonly seed?: number;
}

/** The decision for one request. */
export interface FaultDecision {
  /** Fault label for the request log (`throttle`, `tps`, `drop`, …). */
  readonly label: string;
  /** Answer with this error. */
  readonly error?: ServiceException;
  /** Destroy the connection without answering. */
  readonly drop?: boolean;
  /** Wait this long (clock time) first. */
  readonly latencyMs?: number;
  /** Answer with exactly this status and body (`body`), or send the status, headers and this much, then stall. */
  readonly raw?: { readonly status: number; readonly body: string; readonly stall: boolean };
  /** Never answer: hold the request until the connection or the emulator closes. */
  readonly hang?: boolean;
}

interface Pending {
  readonly fault: ScriptedFault;
  remaining: number;
  /** Matching requests still to let through first. */
  skip: number;
}

/**
 * Decides, per request, whether and how to misbehave: a scripted fault first, then the TPS quota, then random
 * faults. Runtime-adjustable through its methods; a running emulator exposes its injector as `emu.faults`.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'rekognition-face-stream/emulator';
 *
 * const emu = await startEmulator({ processingTimeMs: 0 });
 * emu.faults.script({ operation: 'GetFaceDetection', fault: 'throttle', times: 3 });
 * emu.faults.setTps('GetFaceDetection', { rate: 5, burst: 10 });
 * // … run the code under test …
 * emu.faults.assertAllConsumed();
 * await emu.close();
 * ```
 */
export class FaultInjector {
  readonly #clock: Clock;
  readonly #rng: Rng;
  #script: Pending[] = [];
  #buckets = new Map<OperationName, TokenBucket>();
  #random: RandomFaults = {};

  constructor(options: FaultOptions, seed: number, clock: Clock) {
    this.#clock = clock;
    this.#rng = new Rng(options.seed ?? seed);
    for (const op of OPERATIONS) {
      const quota = options.tps?.[op];
      if (quota) this.setTps(op, quota);
    }
    if (options.random) this.setRandom(options.random);
    if (options.script) this.script(...options.script);
  }

  /** Appends scripted faults: e.g. `script({ operation: 'GetFaceDetection', fault: 'throttle', times: 3 })`. */
  script(...faults: readonly ScriptedFault[]): void {
    for (const fault of faults) {
      if (!FAULT_KINDS.includes(fault.fault)) throw new TypeError(`Unknown fault ${String(fault.fault)}.`);
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new TypeError('A scripted fault needs times >= 1.');
      const after = fault.after ?? 0;
      if (!Number.isInteger(after) || after < 0) throw new TypeError('A scripted fault needs after >= 0.');
      if (fault.fault === 'error' && !fault.error) throw new TypeError("A scripted 'error' fault needs `error`.");
      if (fault.fault === 'body' && fault.body === undefined) throw new TypeError("A scripted 'body' fault needs `body`.");
      const bodies = fault.body === undefined ? [] : typeof fault.body === 'string' ? [fault.body] : fault.body;
      if ((fault.body !== undefined && bodies.length === 0) || bodies.some((b) => typeof b !== 'string')) {
        throw new TypeError('A scripted body is a string or a non-empty list of strings.');
      }
      if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
        throw new TypeError('A scripted status is an integer from 200 to 599.');
      }
      if (fault.retryAfterMs !== undefined && !(fault.retryAfterMs >= 0)) throw new TypeError('retryAfterMs must be >= 0.');
      this.#script.push({ fault, remaining: times, skip: after });
    }
  }

  /** Scripted faults not yet consumed (with their remaining counts). */
  pending(): ScriptedFault[] {
    return this.#script.map(({ fault, remaining, skip }) => ({ ...fault, times: remaining, ...(skip > 0 ? { after: skip } : {}) }));
  }

  /** Throws unless every scripted fault was consumed. */
  assertAllConsumed(): void {
    if (this.#script.length === 0) return;
    const list = this.pending().map((f) => `${f.fault}×${f.times}${f.operation ? ` on ${f.operation}` : ''}`);
    throw new Error(`Scripted faults not consumed: ${list.join(', ')}.`);
  }

  /** Sets (or removes, with `undefined`) the TPS quota of `operation`; the bucket starts full. */
  setTps(operation: OperationName, quota: TpsQuota | undefined): void {
    if (!quota) {
      this.#buckets.delete(operation);
      return;
    }
    if (!(quota.rate > 0) || (quota.burst !== undefined && !(quota.burst >= 1))) {
      throw new TypeError('A TPS quota needs rate > 0 and burst >= 1.');
    }
    this.#buckets.set(operation, new TokenBucket(quota, this.#clock));
  }

  /** Replaces the random faults. */
  setRandom(random: RandomFaults): void {
    for (const key of ['throttle', 'throttle500', 'provisioned', 'internal', 'drop', 'latency'] as const) {
      const p = random[key];
      if (p !== undefined && !(p >= 0 && p <= 1)) throw new TypeError(`Random fault ${key} must be a probability.`);
    }
    this.#random = { ...random };
  }

  /** Removes every scripted, random and TPS fault. */
  clear(): void {
    this.#script = [];
    this.#buckets.clear();
    this.#random = {};
  }

  /** The fault (if any) for a request to `operation` now. */
  decide(operation: OperationName): FaultDecision | undefined {
    const scripted = this.#takeScripted(operation);
    if (scripted) return scripted;
    const bucket = this.#buckets.get(operation);
    if (bucket && !bucket.take()) return { label: 'tps', error: errors.provisionedThroughputExceeded() };
    return this.#randomFault(operation);
  }

  #takeScripted(operation: OperationName): FaultDecision | undefined {
    const index = this.#script.findIndex((p) => p.fault.operation === undefined || p.fault.operation === operation);
    if (index < 0) return undefined;
    const pending = this.#script[index]!;
    if (pending.skip > 0) {
      pending.skip--;
      return undefined;
    }
    const answered = (pending.fault.times ?? 1) - pending.remaining;
    if (--pending.remaining === 0) this.#script.splice(index, 1);
    const { fault } = pending;
    switch (fault.fault) {
      case 'latency':
        return { label: 'latency', latencyMs: fault.latencyMs ?? 1000 };
      case 'drop':
        return { label: 'drop', drop: true };
      case 'hang':
        return { label: 'hang', hang: true };
      case 'body':
      case 'stall': {
        const bodies = fault.body === undefined ? [DEFAULT_STALL_BODY] : typeof fault.body === 'string' ? [fault.body] : fault.body;
        const body = bodies[answered % bodies.length]!.replaceAll('{n}', String(answered));
        return { label: fault.fault, raw: { status: fault.status ?? 200, body, stall: fault.fault === 'stall' } };
      }
      case 'error': {
        const e = fault.error!;
        const error = new ServiceException(e.type, e.message ?? `Injected ${e.type}.`, e.status ?? 400);
        return { label: 'error', error: error.withRetryAfter(fault.retryAfterMs) };
      }
      default:
        return { label: fault.fault, error: errorOf(fault.fault).withRetryAfter(fault.retryAfterMs) };
    }
  }

  #randomFault(operation: OperationName): FaultDecision | undefined {
    const r = this.#random;
    if (r.operations && !r.operations.includes(operation)) return undefined;
    const rng = this.#rng;
    if (r.drop && rng.chance(r.drop)) return { label: 'drop', drop: true };
    if (r.throttle && rng.chance(r.throttle)) return { label: 'throttle', error: errors.throttling(400) };
    if (r.throttle500 && rng.chance(r.throttle500)) return { label: 'throttle-500', error: errors.throttling(500) };
    if (r.provisioned && rng.chance(r.provisioned)) return { label: 'provisioned', error: errors.provisionedThroughputExceeded() };
    if (r.internal && rng.chance(r.internal)) return { label: 'internal', error: errors.internalServerError() };
    if (r.latency && rng.chance(r.latency)) {
      const spec = r.latencyMs ?? 100;
      const ms = typeof spec === 'number' ? spec : rng.range(spec.min, spec.max);
      return { label: 'latency', latencyMs: ms };
    }
    return undefined;
  }
}

function errorOf(kind: 'throttle' | 'throttle-500' | 'provisioned' | 'internal'): ServiceException {
  switch (kind) {
    case 'throttle':
      return errors.throttling(400);
    case 'throttle-500':
      return errors.throttling(500);
    case 'provisioned':
      return errors.provisionedThroughputExceeded();
    case 'internal':
      return errors.internalServerError();
  }
}

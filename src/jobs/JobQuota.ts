import { abortReason, type Clock } from '../core/Clock.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * The account's concurrent-job quota as this process sees it: a semaphore of `max` slots (our jobs in progress)
 * whose effective size shrinks when `StartFaceDetection` answers `LimitExceededException` — other applications
 * hold the rest of the account's slots — and grows back by probing.
 *
 * Protocol: `acquire()` a slot before a Start; `release()` it when the job is finished (a slot of the account
 * is then free: the next waiter starts at once); `refused()` instead when the Start was refused with
 * `LimitExceededException` (the slot is given back and the size lowered to the jobs we still run). While the
 * size is below `max`, a probe timer (on the injected clock, full-jitter backoff from `probeBaseMs` doubling to
 * `probeCapMs`) lets one more Start try; a Start that succeeds resets the backoff.
 *
 * Internal to the batch runner.
 */
export class JobQuota {
  readonly #max: number;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #probeBaseMs: number;
  readonly #probeCapMs: number;
  #limit: number;
  #running = 0;
  #refusals = 0;
  #peak = 0;
  readonly #waiters: Waiter[] = [];
  #probe: AbortController | undefined;
  #closed = false;

  constructor(settings: {
    readonly max: number;
    readonly clock: Clock;
    readonly random?: () => number;
    readonly probeBaseMs?: number;
    readonly probeCapMs?: number;
  }) {
    this.#max = settings.max;
    this.#limit = settings.max;
    this.#clock = settings.clock;
    this.#random = settings.random ?? Math.random;
    this.#probeBaseMs = settings.probeBaseMs ?? 2000;
    this.#probeCapMs = settings.probeCapMs ?? 60_000;
  }

  /** Slots held (Starts in flight and jobs in progress). */
  get running(): number {
    return this.#running;
  }

  /** The current effective size (≤ max). */
  get limit(): number {
    return this.#limit;
  }

  /** Most slots ever held at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Waits for a free slot. Rejects with an `AbortError` when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#waiters.length === 0 && this.#running < this.#limit) {
      this.#take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) this.#waiters.splice(at, 1);
          reject(abortReason(signal!));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /**
   * A Start on an acquired slot succeeded: the account had room. The probe backoff restarts and, below `max`,
   * the size grows by one so that the next waiter tries too (additive increase; a refusal lowers it again).
   */
  started(): void {
    this.#refusals = 0;
    if (this.#limit < this.#max && this.#running >= this.#limit) {
      this.#limit++;
      this.#pump();
    }
  }

  /** Our job holding a slot finished (or its Start failed for another reason): frees the slot. */
  release(): void {
    this.#running = Math.max(0, this.#running - 1);
    this.#pump();
  }

  /**
   * The Start on an acquired slot was refused with `LimitExceededException`: gives the slot back and lowers the
   * size to the slots still held, then schedules a probe.
   */
  refused(): void {
    this.#running = Math.max(0, this.#running - 1);
    this.#limit = this.#running;
    this.#refusals++;
    this.#scheduleProbe();
  }

  /** Stops the probe timer and rejects waiters. */
  close(reason: unknown): void {
    this.#closed = true;
    this.#probe?.abort();
    for (const waiter of this.#waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(reason);
    }
  }

  #take(): void {
    this.#running++;
    this.#peak = Math.max(this.#peak, this.#running);
  }

  #pump(): void {
    while (this.#waiters.length > 0 && this.#running < this.#limit) {
      const waiter = this.#waiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#take();
      waiter.resolve();
    }
  }

  #scheduleProbe(): void {
    if (this.#closed || this.#probe) return;
    const controller = new AbortController();
    this.#probe = controller;
    const ceiling = Math.min(this.#probeCapMs, this.#probeBaseMs * 2 ** Math.min(20, this.#refusals - 1));
    // Half fixed, half jittered: never a busy loop, and several processes do not probe in lockstep.
    const delay = ceiling / 2 + (this.#random() * ceiling) / 2;
    this.#clock.sleep(delay, controller.signal).then(
      () => {
        this.#probe = undefined;
        if (this.#closed) return;
        this.#limit = Math.min(this.#max, Math.max(this.#limit, this.#running + 1));
        this.#pump();
      },
      () => {
        this.#probe = undefined;
      },
    );
  }
}

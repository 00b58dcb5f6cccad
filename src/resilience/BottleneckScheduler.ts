import type Bottleneck from 'bottleneck';
import { abortReason } from '../core/Clock.js';

/** Runs one async task when a limiter grants it a slot. */
export interface Scheduler {
  /**
   * Runs `task` when a slot is free and resolves/rejects with its outcome. Rejects at once with the abort
   * reason when `signal` aborts while waiting (the task then never runs).
   */
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * A {@link Scheduler} over a Bottleneck limiter (local or Redis-backed).
 *
 * Tells the task's own errors apart from the limiter's (Redis failures), tracks waiting tasks so they can
 * all be failed at once when the limiter becomes unusable (no hang), and supports cancellation of waiting
 * tasks (Bottleneck itself cannot cancel a queued job: it is skipped when its turn comes).
 */
export class BottleneckScheduler implements Scheduler {
  readonly limiter: Bottleneck;
  readonly #onLimiterError: (error: unknown) => unknown;
  readonly #waiting = new Set<(error: unknown) => void>();
  readonly #expiration: number | undefined;

  /**
   * @param limiter The Bottleneck instance.
   * @param onLimiterError Maps an error raised by the limiter itself (not by a task) to what `schedule` rejects with.
   * @param expiration Per-job `expiration` (ms) so a crashed process frees its cluster slots.
   */
  constructor(limiter: Bottleneck, onLimiterError: (error: unknown) => unknown = (e) => e, expiration?: number) {
    this.limiter = limiter;
    this.#onLimiterError = onLimiterError;
    this.#expiration = expiration;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.size;
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(error);
      };
      const onAbort = () => fail(abortReason(signal!));
      const cleanup = () => {
        this.#waiting.delete(fail);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#waiting.add(fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      let started: Promise<Outcome<T>> | undefined;
      const job = (): Promise<Outcome<T>> => {
        if (settled) return Promise.resolve({ ok: false, error: undefined });
        this.#waiting.delete(fail);
        started = task().then(
          (value): Outcome<T> => ({ ok: true, value }),
          (error: unknown): Outcome<T> => ({ ok: false, error }),
        );
        return started;
      };
      const finish = (outcome: Outcome<T>) => {
        if (settled) return;
        settled = true;
        cleanup();
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      };
      const jobOptions = this.#expiration === undefined ? {} : { expiration: this.#expiration };
      this.limiter.schedule(jobOptions, job).then(finish, (error: unknown) => {
        // The limiter failed (e.g. Redis lost). A task that already started is never run twice: its own
        // outcome decides.
        if (started) void started.then(finish);
        else fail(this.#onLimiterError(error));
      });
    });
  }

  /** Rejects every waiting task with `error` (used when the limiter's backing store is lost). */
  failWaiting(error: unknown): void {
    for (const fail of [...this.#waiting]) fail(error);
  }
}

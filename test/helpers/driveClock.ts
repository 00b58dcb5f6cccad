import type { VirtualClock } from './VirtualClock.js';

/** A `{ send }` client that counts its requests in flight (a pass-through wrapper of a real SDK client, not a mock). */
export interface TrackedClient {
  send(command: any, options?: { abortSignal?: AbortSignal | undefined }): Promise<any>;
  /** Requests sent and not yet answered. */
  readonly inFlight: number;
  /** Resolves when no request is in flight. */
  idle(): Promise<void>;
}

/** Wraps a real client so a virtual-time driver knows when the system is waiting on I/O rather than on timers. */
export function trackInFlight(
  client: { send(command: any, options?: any): Promise<any> },
  /** Requests that wait on the virtual clock themselves (e.g. SQS long polls): not counted as I/O in flight. */
  waitsOnClock: (command: any) => boolean = () => false,
): TrackedClient {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  return {
    get inFlight() {
      return inFlight;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    send(command, options) {
      if (waitsOnClock(command)) return client.send(command, options);
      inFlight++;
      return client.send(command, options).finally(() => {
        inFlight--;
        if (inFlight === 0) {
          const ready = waiters;
          waiters = [];
          for (const resolve of ready) resolve();
        }
      });
    },
  };
}

/**
 * Runs `work` to completion in virtual time: whenever no tracked request is in flight and the system has
 * settled, the clock jumps to the next timer. Throws when nothing can make progress (no request, no timer:
 * a hang), instead of hanging the test.
 */
export async function driveClock<T>(clock: VirtualClock, work: Promise<T>, trackers: readonly TrackedClient[], maxSteps = 200_000): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  let idleRounds = 0;
  for (let step = 0; step < maxSteps; step++) {
    await clock.settle();
    if (settled) return work;
    const busy = trackers.filter((t) => t.inFlight > 0);
    if (busy.length > 0) {
      idleRounds = 0;
      await Promise.all(busy.map((t) => t.idle()));
      continue;
    }
    if (clock.pending === 0) {
      if (++idleRounds > 50) throw new Error('driveClock: no request in flight and no timer pending: the work hangs');
      continue;
    }
    idleRounds = 0;
    await clock.runAll(1);
  }
  throw new Error(`driveClock: not finished after ${maxSteps} steps`);
}

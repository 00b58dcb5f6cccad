/**
 * The subscription shared by the tracker operators: feeds each source value to `onValue` (with its input
 * index), runs `onComplete` at the end, and turns anything they throw into a stream error.
 *
 * @module
 */
import type { Observable, Subscriber, Subscription } from 'rxjs';

/** Subscribes to `source` on behalf of `subscriber` (return value: the teardown). */
export function subscribeTracker<In, Out>(
  source: Observable<In>,
  subscriber: Subscriber<Out>,
  onValue: (value: In, index: number) => void,
  onComplete: () => void,
): Subscription {
  let index = 0;
  return source.subscribe({
    next: (value) => {
      if (subscriber.closed) return;
      try {
        onValue(value, index++);
      } catch (error) {
        subscriber.error(error);
      }
    },
    error: (error: unknown) => subscriber.error(error),
    complete: () => {
      try {
        onComplete();
      } catch (error) {
        subscriber.error(error);
        return;
      }
      subscriber.complete();
    },
  });
}

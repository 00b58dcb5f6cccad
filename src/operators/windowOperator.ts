/**
 * The RxJS shell shared by {@link tumblingWindow}, {@link hoppingWindow} and {@link sessionWindow}: feeds each
 * item to a window engine (`core/windows/`) and forwards its panes, with teardown.
 *
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { EmitWindow, WindowEngine } from '../core/windows/WindowEngine.js';
import type { WindowResult } from '../core/windows/windowTypes.js';

/**
 * The operator around a window engine. `createEngine` is called once per subscription, so each subscription
 * has its own windows.
 */
export function windowOperator<T, K, R>(
  createEngine: (emit: EmitWindow<R, K>) => WindowEngine<T, K, unknown, R>,
): OperatorFunction<T, WindowResult<R, K>> {
  return (source) =>
    new Observable<WindowResult<R, K>>((subscriber) => {
      const engine: WindowEngine<T, K, unknown, R> = createEngine((result) => {
        subscriber.next(result);
        // An early unsubscribe during a synchronous source's subscribe call closes `subscriber` before our
        // teardown is registered: stop here, the engine checks `disposed` after every emission.
        if (subscriber.closed) engine.dispose();
      });
      const fail = (error: unknown) => {
        engine.dispose();
        subscriber.error(error);
      };
      // A synchronous source keeps calling `next` after an early unsubscribe until its own loop ends (the
      // public API gives no way to close it sooner); the disposed engine ignores those calls.
      const subscription = source.subscribe({
        next: (item) => {
          try {
            engine.push(item);
          } catch (error) {
            fail(error);
          }
        },
        error: fail,
        complete: () => {
          try {
            engine.flush();
          } catch (error) {
            fail(error);
            return;
          }
          engine.dispose();
          subscriber.complete();
        },
      });
      return () => {
        engine.dispose();
        subscription.unsubscribe();
      };
    });
}

import Bottleneck from 'bottleneck';

const PATCHED = Symbol.for('rekognition-face-stream.bottleneckRedis7Patch');
const PREFIXED = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

type ScriptFn = (...args: unknown[]) => unknown;
interface ConnectionPrototype {
  __scriptFn__(this: unknown, name: string): ScriptFn;
  [PATCHED]?: true;
}

/**
 * Makes Bottleneck 2.19.5's cluster mode self-heal on Redis ≥ 7 (idempotent; applied automatically by the
 * Redis-backed limiter).
 *
 * Bottleneck's Lua scripts fail with `SETTINGS_KEY_NOT_FOUND` / `UNKNOWN_CLIENT` when a limiter's keys have
 * expired (idle longer than its `timeout`) or were deleted, and `RedisDatastore` then re-initialises the
 * keys and re-runs the script — but it compares the message exactly, and Redis 7 prefixes script errors with
 * `ERR `, so the recovery never runs and every later job fails (bottleneck issues #205, #219). This wraps the
 * private `__scriptFn__` of both connection classes to strip that prefix from exactly those two errors.
 * Safe because bottleneck is pinned to 2.19.5 (its last release).
 *
 * @returns The patched Bottleneck constructor.
 * @example
 * ```ts
 * import Bottleneck from 'bottleneck';
 * import { patchBottleneckForRedis7 } from './patchBottleneckForRedis7.js';
 *
 * patchBottleneckForRedis7(Bottleneck);
 * ```
 */
export function patchBottleneckForRedis7(bottleneck: typeof Bottleneck = Bottleneck): typeof Bottleneck {
  const classes = [bottleneck.IORedisConnection, bottleneck.RedisConnection] as unknown as {
    prototype: ConnectionPrototype;
  }[];
  for (const connectionClass of classes) {
    const proto = connectionClass.prototype;
    if (proto[PATCHED]) continue;
    const original = proto.__scriptFn__;
    proto.__scriptFn__ = function (this: unknown, name: string): ScriptFn {
      const fn = original.call(this, name);
      return (...args: unknown[]) => {
        const callback = args.pop() as (err: Error | null, result: unknown) => void;
        return fn(...args, (err: Error | null, result: unknown) => {
          if (err && PREFIXED.test(err.message)) err.message = err.message.slice(4);
          callback(err, result);
        });
      };
    };
    proto[PATCHED] = true;
  }
  return bottleneck;
}

import { FaceStreamError } from './FaceStreamError.js';

/**
 * The Redis-backed (cluster) rate limiter failed: Redis is unreachable at start, a Redis command timed out,
 * or the connection was lost while requests were waiting for a slot. `reason` says which; the message names
 * the Redis address (never a password).
 *
 * It is not retried by the request policy: choose `redis.onError: 'local'` to fall back to an in-process
 * limiter instead.
 *
 * @example
 * ```ts
 * import { RedisLimiterError } from 'rekognition-face-stream';
 *
 * const err = new RedisLimiterError('unreachable', 'redis://127.0.0.1:6379', 'connect ECONNREFUSED');
 * console.log(err.code); // ERR_REDIS_LIMITER
 * ```
 */
export class RedisLimiterError extends FaceStreamError {
  override name = 'RedisLimiterError';
  /** What went wrong: `unreachable` (at start), `timeout` (a command or the setup took too long), `lost`. */
  readonly reason: 'unreachable' | 'timeout' | 'lost';

  constructor(
    reason: 'unreachable' | 'timeout' | 'lost',
    address: string,
    detail: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super('ERR_REDIS_LIMITER', `Redis rate limiter at ${address}: ${describe(reason)}: ${detail}`, {
      cause: options.cause,
      context: { reason, address },
    });
    this.reason = reason;
  }
}

function describe(reason: 'unreachable' | 'timeout' | 'lost'): string {
  if (reason === 'unreachable') return 'cannot connect';
  if (reason === 'timeout') return 'timed out';
  return 'connection lost';
}

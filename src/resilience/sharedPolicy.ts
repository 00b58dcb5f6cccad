import { expectString } from '../internal/validate.js';
import { createRequestPolicy, type RequestPolicyOptions, type ResilientPolicy } from './createRequestPolicy.js';

const registry = new Map<string, ResilientPolicy>();

/**
 * The process-wide policy for `key` (one account + region): created with `options` on first use, returned as
 * is afterwards (later `options` are ignored), so every stream of one account shares one limiter per
 * operation and one quota.
 *
 * @param key Identifies the quota, e.g. `'123456789012:eu-west-1'`. Never put credentials in it.
 * @example
 * ```ts
 * import { sharedPolicy } from 'rekognition-face-stream';
 *
 * const a = sharedPolicy('prod:eu-west-1', { tps: 5 });
 * const b = sharedPolicy('prod:eu-west-1');
 * console.log(a === b); // true
 * ```
 */
export function sharedPolicy(key: string, options: RequestPolicyOptions = {}): ResilientPolicy {
  expectString('key', key, { minLength: 1, maxLength: 200 });
  let policy = registry.get(key);
  if (!policy) {
    policy = createRequestPolicy({ ...options, key });
    registry.set(key, policy);
  }
  return policy;
}

/**
 * Closes and forgets every shared policy (their limiters and Redis connections). For tests and shutdown.
 *
 * @example
 * ```ts
 * import { closeSharedPolicies } from 'rekognition-face-stream';
 *
 * await closeSharedPolicies();
 * ```
 */
export async function closeSharedPolicies(): Promise<void> {
  const policies = [...registry.values()];
  registry.clear();
  await Promise.all(policies.map((policy) => policy.close()));
}

import type { RekognitionLike } from '../types.js';
import { directPolicy } from './directPolicy.js';
import type { RequestPolicy } from './RequestPolicy.js';

/**
 * The policy used when a caller gives none: shared by every stream of the same client.
 *
 * (Placeholder until the resilience layer lands: one attempt, no limiter.)
 */
export function defaultPolicy(_client: RekognitionLike): RequestPolicy {
  return directPolicy;
}

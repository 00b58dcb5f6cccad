import type { RekognitionLike } from '../types.js';
import { clientQuotaKey } from './clientQuotaKey.js';
import type { PolicyRequest, RequestPolicy } from './RequestPolicy.js';
import { sharedPolicy } from './sharedPolicy.js';

const byClient = new WeakMap<object, RequestPolicy>();

/**
 * The policy used when a caller gives none: the shared ADAPTIVE policy of the client's account + region
 * (see {@link sharedPolicy} and {@link clientQuotaKey}) — retries with backoff, no rate cap until the
 * service throttles, then a rate that converges near the quota. Every stream of the same account, region
 * and endpoint shares it, even across client instances. The key is resolved lazily on the first request.
 *
 * @example
 * ```ts
 * import { RekognitionClient } from '@aws-sdk/client-rekognition';
 * import { defaultPolicy } from 'rekognition-face-stream';
 *
 * const policy = defaultPolicy(new RekognitionClient({ region: 'eu-west-1', maxAttempts: 1 }));
 * ```
 */
export function defaultPolicy(client: RekognitionLike): RequestPolicy {
  let policy = byClient.get(client);
  if (!policy) {
    let shared: Promise<RequestPolicy> | undefined;
    policy = {
      async execute<T>(request: PolicyRequest<T>): Promise<T> {
        shared ??= clientQuotaKey(client).then((key) => sharedPolicy(key));
        return (await shared).execute(request);
      },
    };
    byClient.set(client, policy);
  }
  return policy;
}

import { classifyError } from './classifyError.js';
import type { PolicyRequest, RequestPolicy } from './RequestPolicy.js';

/**
 * A {@link RequestPolicy} with no rate limit and no retry: one attempt, errors classified.
 *
 * Useful in tests and when an outer system already paces and retries requests.
 *
 * @example
 * ```ts
 * import { directPolicy } from 'rekognition-face-stream';
 *
 * const value = await directPolicy.execute({ operation: 'Example', attempt: async () => 42 });
 * ```
 */
export const directPolicy: RequestPolicy = {
  async execute<T>(request: PolicyRequest<T>): Promise<T> {
    const signal = request.signal ?? new AbortController().signal;
    signal.throwIfAborted();
    try {
      return await request.attempt(signal);
    } catch (error) {
      throw classifyError(error, request.operation, request.context);
    }
  },
};

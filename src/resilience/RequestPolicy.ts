/**
 * One request to run under a {@link RequestPolicy}.
 */
export interface PolicyRequest<T> {
  /** The AWS operation, e.g. `GetFaceDetection`; limiters and metrics are kept per operation. */
  readonly operation: string;
  /**
   * Performs one attempt. Must pass `signal` on to `client.send(command, { abortSignal: signal })` so that
   * cancellation aborts the HTTP request. May be called several times (once per attempt).
   */
  readonly attempt: (signal: AbortSignal) => Promise<T>;
  /** Cancels the request: a pending attempt is aborted and a pending backoff ends at once. */
  readonly signal?: AbortSignal | undefined;
  /** Context added to errors (job id, …). Never credentials. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * The seam between the stream and the resilience layer: how one logical request is executed (rate-limited,
 * retried, classified). Every request the library sends — pages and job-status polls — goes through one.
 *
 * Implementations must reject with classified errors (see `classifyError`) and must reject with an
 * `AbortError` promptly when `signal` aborts.
 *
 * @example
 * ```ts
 * import type { RequestPolicy } from 'rekognition-face-stream';
 *
 * const once: RequestPolicy = { execute: (request) => request.attempt(request.signal ?? new AbortController().signal) };
 * ```
 */
export interface RequestPolicy {
  /** Runs `request` to completion under this policy. */
  execute<T>(request: PolicyRequest<T>): Promise<T>;
}

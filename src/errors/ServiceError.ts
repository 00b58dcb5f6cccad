import { FaceStreamError } from './FaceStreamError.js';

/** Facts about a failed AWS call, taken from the SDK error. */
export interface ServiceErrorDetails {
  /** The service's error code, i.e. the SDK error's `name` (e.g. `ThrottlingException`). */
  readonly serviceCode: string;
  /** The operation that failed, e.g. `GetFaceDetection`. */
  readonly operation: string;
  /** HTTP status code, when a response was received. */
  readonly httpStatusCode?: number | undefined;
  /** `x-amzn-RequestId` of the failed response, when known. */
  readonly requestId?: string | undefined;
  /** Whether the error is transient (throttling, 5xx, network) and safe to retry. */
  readonly retryable: boolean;
  /** Whether the error is a throttling error (a signal to slow down, not just to retry). */
  readonly throttling: boolean;
  /** Number of attempts made before giving up (1 when not retried). */
  readonly attempts?: number | undefined;
  /** Extra context (job id, token, …). Never credentials. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * An AWS call failed. Wraps the SDK error (kept as `cause`) with its classification.
 *
 * `serviceCode` is the SDK error's `name` (`ResourceNotFoundException`, `AccessDeniedException`, …);
 * classification is by name and HTTP status, never `instanceof`. `retryable` and `throttling` say what the
 * resilience layer made of it; when you see a retryable `ServiceError` the retry budget was exhausted.
 *
 * @example
 * ```ts
 * import { ServiceError } from 'rekognition-face-stream';
 *
 * function explain(err: unknown): string {
 *   if (err instanceof ServiceError && err.serviceCode === 'ResourceNotFoundException') return 'no such job';
 *   return 'other';
 * }
 * ```
 */
export class ServiceError extends FaceStreamError {
  override name = 'ServiceError';
  readonly serviceCode: string;
  readonly operation: string;
  readonly httpStatusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly throttling: boolean;
  readonly attempts: number | undefined;

  constructor(message: string, details: ServiceErrorDetails, options: { readonly cause?: unknown } = {}) {
    super(`ERR_SERVICE_${toConstantCase(details.serviceCode)}`, message, {
      cause: options.cause,
      context: {
        ...details.context,
        operation: details.operation,
        serviceCode: details.serviceCode,
        httpStatusCode: details.httpStatusCode,
        requestId: details.requestId,
        attempts: details.attempts,
      },
    });
    this.serviceCode = details.serviceCode;
    this.operation = details.operation;
    this.httpStatusCode = details.httpStatusCode;
    this.requestId = details.requestId;
    this.retryable = details.retryable;
    this.throttling = details.throttling;
    this.attempts = details.attempts;
  }
}

function toConstantCase(code: string): string {
  return code
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

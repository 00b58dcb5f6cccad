import { ServiceError } from '../errors/ServiceError.js';
import { isFaceStreamError } from '../errors/isFaceStreamError.js';

/** Service error names that mean "slow down": retried with a throttling backoff. */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Service error names that are transient server faults: retried. */
export const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Network error codes (Node `err.code`) that are retried. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/**
 * Network error codes that are permanent, so not retried: `ENOTFOUND`, the host name does not exist (a wrong
 * endpoint or region). `EAI_AGAIN`, a resolver that did not answer, stays retried.
 */
export const PERMANENT_NETWORK_ERROR_CODES: ReadonlySet<string> = new Set(['ENOTFOUND']);

/**
 * The `serviceCode` of a response that is not a valid answer: a body that does not parse, or (from the
 * stream) a page without a `JobStatus`. Retried like a 5xx.
 */
export const MALFORMED_RESPONSE = 'MalformedResponse';

/** HTTP status codes that are transient. */
export const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Turns anything a request threw into a classified {@link ServiceError} (or returns it unchanged if it
 * already is a library error, or an abort).
 *
 * Classification is by `err.name`, `err.code` and `$metadata.httpStatusCode` — never `instanceof` — so it
 * works across duplicate SDK copies. `AbortError`s are returned as they are: cancellation is not a failure.
 *
 * @example
 * ```ts
 * import { classifyError } from './classifyError.js';
 *
 * const err = classifyError(Object.assign(new Error('Slow down'), { name: 'ThrottlingException' }), 'GetFaceDetection');
 * console.log(err instanceof Error && 'retryable' in err && err.retryable); // true
 * ```
 */
export function classifyError(error: unknown, operation: string, context?: Readonly<Record<string, unknown>>): Error {
  if (isFaceStreamError(error)) return error;
  const err = (error instanceof Error ? error : new Error(`Non-error was thrown: ${String(error)}`)) as Error & {
    code?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
    $retryable?: unknown;
    $response?: { headers?: Record<string, string> };
  };
  if (err.name === 'AbortError') return err;
  const name = err.name;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const status = err.$metadata?.httpStatusCode;
  const throttling = THROTTLING_ERROR_NAMES.has(name) || status === 429;
  const network = code !== undefined && NETWORK_ERROR_CODES.has(code);
  // A body that does not parse (a proxy's HTML page, a truncated answer): the SDK throws the parser's
  // SyntaxError, with `$response` attached. Transient on a 2xx or a transient status, like a 5xx.
  const malformed = name === 'SyntaxError' && (err.$response !== undefined || err.$metadata !== undefined);
  const transient =
    TRANSIENT_ERROR_NAMES.has(name) ||
    (status !== undefined && TRANSIENT_STATUS_CODES.has(status)) ||
    network ||
    (malformed && (status === undefined || status < 300));
  const permanentNetwork = code !== undefined && PERMANENT_NETWORK_ERROR_CODES.has(code);
  const serviceCode = malformed
    ? MALFORMED_RESPONSE
    : network || permanentNetwork
      ? (code as string)
      : name === 'Error' && code
        ? code
        : name;
  const hint = permanentNetwork ? ' (the host name does not resolve: check the endpoint and the region)' : '';
  const message = oneLine(err.message);
  const what = malformed
    ? `${status === undefined ? 'a' : `an HTTP ${status}`} response whose body does not parse${message ? ` (${message})` : ''}`
    : message;
  return new ServiceError(
    `${operation} failed: ${serviceCode}${what ? `: ${what}` : ''}${hint}`,
    {
      serviceCode,
      operation,
      httpStatusCode: status,
      requestId: err.$metadata?.requestId,
      attempts: err.$metadata?.attempts,
      retryable: throttling || transient,
      throttling,
      ...(context ? { context } : {}),
    },
    { cause: err },
  );
}

/**
 * An error message on one line: the SDK's second line ("Deserialization error: to see the raw response, inspect
 * the hidden field {error}.$response …") is dropped, other line breaks become spaces.
 */
function oneLine(message: string): string {
  return message
    .replace(/\s*Deserialization error: to see the raw response[^\n]*/g, '')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
}

/**
 * An error the emulator answers with, as the real service would: its shape name (`__type`), HTTP status and
 * message. Handlers throw it; the server serialises it (see {@link errorBody}).
 *
 * @module
 */
export class ServiceException extends Error {
  override name = 'ServiceException';

  constructor(
    /** Bare shape name, e.g. `InvalidParameterException`. */
    readonly type: string,
    message: string,
    /** HTTP status code. */
    readonly status = 400,
    /** A retry hint: sent as `x-amz-retry-after` (ms) and `Retry-After` (whole seconds). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** The same error with a retry hint. */
  withRetryAfter(ms: number | undefined): ServiceException {
    return ms === undefined ? this : new ServiceException(this.type, this.message, this.status, ms);
  }
}

/** Factories for every error the emulator produces, with the service's statuses and messages. */
export const errors = {
  accessDenied: (message = 'You are not authorized to perform this action.') =>
    new ServiceException('AccessDeniedException', message),
  idempotentParameterMismatch: () =>
    new ServiceException(
      'IdempotentParameterMismatchException',
      'A ClientRequestToken input parameter was reused with an operation, but at least one of the other input parameters is different from the previous call to the operation.',
    ),
  invalidPaginationToken: (detail: string) =>
    new ServiceException('InvalidPaginationTokenException', `Invalid Token: ${detail}`),
  invalidParameter: (detail: string) =>
    new ServiceException('InvalidParameterException', `Request has invalid parameters. ${detail}`),
  invalidS3Object: (detail: string) =>
    new ServiceException('InvalidS3ObjectException', `Unable to get object metadata from S3. ${detail}`),
  limitExceeded: (open: number, limit: number) =>
    new ServiceException(
      'LimitExceededException',
      `${open} open Jobs for User arn:aws:iam::123456789012:user/emulator Maximum limit: ${limit}`,
    ),
  provisionedThroughputExceeded: () =>
    new ServiceException('ProvisionedThroughputExceededException', 'Provisioned Rate exceeded.'),
  resourceNotFound: (jobId: string) =>
    new ServiceException('ResourceNotFoundException', `The job ${jobId} was not found.`),
  throttling: (status: 400 | 500 = 400) =>
    new ServiceException(
      'ThrottlingException',
      status === 500 ? 'Service Unavailable' : 'Slow down; sudden increase in rate of requests.',
      status,
    ),
  internalServerError: () =>
    new ServiceException('InternalServerError', 'Amazon Rekognition experienced a service issue. Try your call again.', 500),
  videoTooLarge: (detail: string) =>
    new ServiceException('VideoTooLargeException', `The video is too large. ${detail}`),
  serialization: (detail: string) => new ServiceException('SerializationException', detail),
  unknownOperation: (target: string) =>
    new ServiceException('UnknownOperationException', `Unknown operation ${JSON.stringify(target.slice(0, 100))}.`),
  methodNotAllowed: (method: string) =>
    new ServiceException('MethodNotAllowedException', `Method ${method.slice(0, 20)} is not allowed; use POST.`, 405),
  requestTimeout: () =>
    new ServiceException('RequestTimeoutException', 'The request was not received in time; the connection is closed.', 408),
  requestTooLarge: (limit: number) =>
    new ServiceException('RequestEntityTooLargeException', `Request body exceeds ${limit} bytes.`, 413),
} as const;

/**
 * The JSON body of an error response: `__type`, `Code`, `Message` and `Logref`, so every SDK generation
 * (header-first or body-first error parsing) reads the same code.
 */
export function errorBody(exception: ServiceException, requestId: string): string {
  return JSON.stringify({
    __type: exception.type,
    Code: exception.type,
    Message: exception.message,
    Logref: requestId,
  });
}

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

/**
 * An SQS error (awsJson1_0 with AWS query compatibility): the body's `__type` is the shape id
 * (`com.amazonaws.sqs#QueueDoesNotExist`) and the `x-amzn-query-error` header carries the query-protocol
 * code and fault (`AWS.SimpleQueueService.NonExistentQueue;Sender`), from which the SDK names the error.
 */
export class SqsException extends ServiceException {
  override name = 'SqsException';

  constructor(
    type: string,
    /** The query-protocol error code. */
    readonly queryCode: string,
    message: string,
    status = 400,
  ) {
    super(type, message, status);
  }
}

/** Factories for the SQS errors the emulator produces (codes and statuses of the service model). */
export const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsException('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.'),
  queueNameExists: (name: string) =>
    new SqsException('QueueNameExists', 'QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute(s) of ${name}.`),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsException('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle.slice(0, 100)}" is not a valid receipt handle.`, 404),
  messageNotInflight: () =>
    new SqsException('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'The message referred to is not in flight.'),
  invalidParameterValue: (detail: string) => new SqsException('InvalidParameterValue', 'InvalidParameterValue', detail),
  missingParameter: (name: string) =>
    new SqsException('MissingParameter', 'MissingParameter', `The request must contain the parameter ${name}.`),
  invalidAttributeName: (name: string) =>
    new SqsException('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${name.slice(0, 100)}.`),
  emptyBatchRequest: () =>
    new SqsException('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one DeleteMessageBatchRequestEntry in the request.'),
  tooManyEntriesInBatchRequest: (n: number) =>
    new SqsException('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${n}.`),
  batchEntryIdsNotDistinct: (id: string) =>
    new SqsException('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id.slice(0, 80)} repeated.`),
  unsupportedOperation: (detail: string) =>
    new SqsException('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', detail),
} as const;

/** The body and `x-amzn-query-error` header of an error answered on the SQS protocol. */
export function sqsErrorAnswer(exception: ServiceException): { readonly body: string; readonly queryError: string } {
  const code = exception instanceof SqsException ? exception.queryCode : exception.type;
  const type = exception instanceof SqsException ? `com.amazonaws.sqs#${exception.type}` : exception.type;
  return {
    body: JSON.stringify({ __type: type, message: exception.message }),
    queryError: `${code};${exception.status >= 500 ? 'Receiver' : 'Sender'}`,
  };
}

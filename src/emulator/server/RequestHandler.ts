/**
 * The emulator's HTTP pipeline for one request: body (size cap) → method → target → SigV4 → faults → JSON
 * → operation handler → answer, then one request-log entry. Every failure becomes a JSON error answer; a
 * request never crashes the server.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/Clock.js';
import { authenticate, type EmulatorCredentials } from '../auth/sigv4.js';
import type { FaultDecision, FaultInjector, OperationName } from '../faults/FaultInjector.js';
import { getFaceDetection, type GetContext } from '../handlers/getFaceDetection.js';
import type { Body } from '../handlers/params.js';
import { headObject, type S3Context } from '../handlers/s3HeadObject.js';
import { handleSqs, SQS_OPERATIONS, type SqsOperation } from '../handlers/sqs.js';
import { startFaceDetection } from '../handlers/startFaceDetection.js';
import type { RequestLog, RequestLogEntry } from '../log/RequestLog.js';
import { errorBody, errors, ServiceException, sqsErrorAnswer } from '../protocol/ServiceException.js';
import type { Messaging } from '../sqs/Messaging.js';
import { readBody } from './readBody.js';

/** What the pipeline needs. */
export interface RequestHandlerDeps extends GetContext {
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly maxBodyBytes: number;
  readonly credentials: readonly EmulatorCredentials[] | undefined;
  /** Aborted when the emulator closes (cuts injected latencies short). */
  readonly closing: AbortSignal;
  readonly onRequest: ((entry: RequestLogEntry) => void) | undefined;
  /** Queues and topics (the SQS operations). */
  readonly messaging: Messaging;
  /** The S3 objects' metadata (`HeadObject`). */
  readonly s3: S3Context;
}

const TARGET_PREFIX = 'RekognitionService.';
const SQS_PREFIX = 'AmazonSQS.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const SQS_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Mutable facts gathered while handling one request, for the log. */
interface Trace {
  operation: string;
  fault?: string;
  jobId?: string;
  detections: number;
  accessKeyId?: string;
}

/** Handles one HTTP request end to end. Never rejects. */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: RequestHandlerDeps): Promise<void> {
  const requestId = randomUUID();
  const time = deps.clock.now();
  if (req.method === 'HEAD' && req.headers['x-amz-target'] === undefined) {
    await handleHead(req, res, deps, requestId, time);
    return;
  }
  const trace: Trace = { operation: String(req.headers['x-amz-target'] ?? req.method ?? '?').slice(0, 100), detections: 0 };
  // The SQS protocol (awsJson1_0, query-compatible errors) for AmazonSQS.* targets; Rekognition's otherwise.
  const sqs = trace.operation.startsWith(SQS_PREFIX);
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once('close', onClose);
  let status: number;
  let errorType: string | undefined;
  try {
    const body = await serve(req, deps, trace, sqs ? AbortSignal.any([gone.signal, deps.closing]) : deps.closing);
    if (body instanceof HostileAnswer) {
      status = await answerHostile(res, requestId, body.fault, deps.closing);
    } else if (body === undefined) {
      req.socket.destroy();
      status = 0;
    } else {
      status = 200;
      send(res, 200, requestId, body, sqs);
    }
  } catch (error) {
    const exception = error instanceof ServiceException ? error : errors.internalServerError();
    status = exception.status;
    errorType = exception.type;
    if (exception.status === 413) res.setHeader('connection', 'close');
    if (exception.retryAfterMs !== undefined) {
      res.setHeader('x-amz-retry-after', String(Math.round(exception.retryAfterMs)));
      res.setHeader('retry-after', String(Math.ceil(exception.retryAfterMs / 1000)));
    }
    if (sqs) {
      const answer = sqsErrorAnswer(exception);
      res.setHeader('x-amzn-query-error', answer.queryError);
      send(res, exception.status, requestId, answer.body, true);
    } else {
      send(res, exception.status, requestId, errorBody(exception, requestId), false, exception.type);
    }
  } finally {
    res.off('close', onClose);
  }
  const entry: RequestLogEntry = {
    seq: deps.log.nextSeq(),
    time,
    requestId,
    operation: trace.operation,
    status,
    errorType,
    fault: trace.fault,
    jobId: trace.jobId,
    detections: trace.detections,
    accessKeyId: trace.accessKeyId,
  };
  deps.log.record(entry);
  try {
    deps.onRequest?.(entry);
  } catch {
    // A throwing observer must not take the server down.
  }
}

/** S3 `HeadObject` (path style): headers only, S3's way (`x-amz-request-id`, no error body on a HEAD). */
async function handleHead(req: IncomingMessage, res: ServerResponse, deps: RequestHandlerDeps, requestId: string, time: number): Promise<void> {
  let accessKeyId: string | undefined;
  let signed: boolean;
  try {
    await readBody(req, deps.maxBodyBytes);
    accessKeyId = authenticate({ method: 'HEAD', url: req.url ?? '/', headers: req.headers, body: Buffer.alloc(0) }, deps.credentials).accessKeyId;
    signed = true;
  } catch {
    signed = false;
  }
  const answer = headObject(req.url ?? '/', signed, deps.s3);
  if (!res.headersSent && !res.destroyed) {
    res.statusCode = answer.status;
    res.setHeader('x-amz-request-id', requestId.replace(/-/g, '').slice(0, 16).toUpperCase());
    res.setHeader('x-amz-id-2', Buffer.from(requestId).toString('base64'));
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (answer.status !== 200) res.setHeader('content-length', '0');
    res.end();
  }
  const entry: RequestLogEntry = {
    seq: deps.log.nextSeq(),
    time,
    requestId,
    operation: 'HeadObject',
    status: answer.status,
    errorType: answer.errorType,
    detections: 0,
    accessKeyId,
  };
  deps.log.record(entry);
  try {
    deps.onRequest?.(entry);
  } catch {
    // A throwing observer must not take the server down.
  }
}

/** A scripted `body`, `hang` or `stall` fault: answered by {@link answerHostile}, not by an operation. */
class HostileAnswer {
  constructor(readonly fault: FaultDecision) {}
}

/**
 * The response body, a hostile answer, or `undefined` to drop the connection; throws
 * {@link ServiceException}s.
 */
async function serve(
  req: IncomingMessage,
  deps: RequestHandlerDeps,
  trace: Trace,
  signal: AbortSignal,
): Promise<string | Iterable<Buffer> | HostileAnswer | undefined> {
  // Read (drain) the body first, so a rejected request never leaves bytes on a kept-alive connection.
  const raw = await readBody(req, deps.maxBodyBytes);
  if (req.method !== 'POST') throw errors.methodNotAllowed(req.method ?? '?');
  const sqsOperation = sqsOperationOf(req.headers['x-amz-target']);
  if (sqsOperation) {
    trace.operation = sqsOperation;
    const auth = authenticate({ method: req.method, url: req.url ?? '/', headers: req.headers, body: raw }, deps.credentials);
    trace.accessKeyId = auth.accessKeyId;
    try {
      return await handleSqs(sqsOperation, parseJson(raw), { messaging: deps.messaging, signal, accessKeyId: auth.accessKeyId });
    } catch (error) {
      if (signal.aborted && !(error instanceof ServiceException)) return undefined; // the client left a long poll
      throw error;
    }
  }
  const operation = operationOf(req.headers['x-amz-target']);
  trace.operation = operation;
  const auth = authenticate({ method: req.method, url: req.url ?? '/', headers: req.headers, body: raw }, deps.credentials);
  trace.accessKeyId = auth.accessKeyId;
  const fault = deps.faults.decide(operation);
  if (fault) {
    trace.fault = fault.label;
    if (fault.raw || fault.hang) return new HostileAnswer(fault);
    const proceed = await applyFault(fault, deps);
    if (!proceed) return undefined;
  }
  const body = parseJson(raw);
  const result = operation === 'StartFaceDetection' ? startFaceDetection(body, deps.jobs) : getFaceDetection(body, deps);
  trace.jobId = result.jobId;
  if ('detections' in result) trace.detections = result.detections;
  return result.body;
}

/** Applies a fault: throws its error, returns `false` to drop, or waits its latency and returns `true`. */
async function applyFault(fault: FaultDecision, deps: RequestHandlerDeps): Promise<boolean> {
  if (fault.latencyMs !== undefined) {
    try {
      await deps.clock.sleep(fault.latencyMs, deps.closing);
    } catch {
      return false;
    }
  }
  if (fault.error) throw fault.error;
  return !fault.drop;
}

/**
 * Answers a hostile fault: the scripted status and body; or the headers and the start of the body, then
 * nothing; or nothing at all. Resolves with the status for the log (0 when nothing was answered) once the
 * answer is complete — for `hang` and `stall`, when the client or the emulator closes the connection.
 */
async function answerHostile(res: ServerResponse, requestId: string, fault: FaultDecision, closing: AbortSignal): Promise<number> {
  const raw = fault.raw;
  if (raw && !raw.stall) {
    res.statusCode = raw.status;
    res.setHeader('content-type', CONTENT_TYPE);
    res.setHeader('x-amzn-RequestId', requestId);
    res.setHeader('content-length', Buffer.byteLength(raw.body));
    res.end(raw.body);
    return raw.status;
  }
  if (raw) {
    res.writeHead(raw.status, {
      'content-type': CONTENT_TYPE,
      'x-amzn-RequestId': requestId,
      'content-length': String(Buffer.byteLength(raw.body) + 1_000_000),
    });
    res.write(raw.body);
  }
  if (!res.destroyed && !closing.aborted) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('close', done);
        closing.removeEventListener('abort', done);
        resolve();
      };
      res.once('close', done);
      closing.addEventListener('abort', done, { once: true });
    });
  }
  res.destroy();
  return raw ? raw.status : 0;
}

function sqsOperationOf(target: string | string[] | undefined): SqsOperation | undefined {
  const value = Array.isArray(target) ? target[0] : target;
  if (!value?.startsWith(SQS_PREFIX)) return undefined;
  const name = value.slice(SQS_PREFIX.length);
  if (!(SQS_OPERATIONS as readonly string[]).includes(name)) throw errors.unknownOperation(value);
  return name as SqsOperation;
}

function operationOf(target: string | string[] | undefined): OperationName {
  const value = Array.isArray(target) ? target[0] : target;
  if (value === `${TARGET_PREFIX}GetFaceDetection`) return 'GetFaceDetection';
  if (value === `${TARGET_PREFIX}StartFaceDetection`) return 'StartFaceDetection';
  throw errors.unknownOperation(value ?? '');
}

function parseJson(raw: Buffer): Body {
  let value: unknown;
  try {
    value = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw errors.serialization('Start of structure or map found where not expected: the body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errors.serialization('The request body must be a JSON object.');
  }
  return value as Body;
}

function send(
  res: ServerResponse,
  status: number,
  requestId: string,
  body: string | Iterable<Buffer>,
  sqs: boolean,
  errorType?: string,
): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', sqs ? SQS_CONTENT_TYPE : CONTENT_TYPE);
  res.setHeader('x-amzn-RequestId', requestId);
  if (errorType !== undefined) res.setHeader('x-amzn-ErrorType', errorType);
  if (typeof body === 'string') {
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  // Pieces go out as they are serialised (chunked encoding): the client receives while the rest is built.
  for (const piece of body) {
    if (res.destroyed) return;
    res.write(piece);
  }
  res.end();
}

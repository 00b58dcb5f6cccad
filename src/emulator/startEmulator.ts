/**
 * Starts the Rekognition Video emulator: a loopback HTTP server speaking the service's awsJson1_1 protocol
 * for `StartFaceDetection` and `GetFaceDetection`, which the real AWS SDK and CLI talk to (plus SQS, and S3
 * `HeadObject` for the videos' sizes).
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorOptions } from './EmulatorOptions.js';
import { resolveEmulatorOptions } from './EmulatorOptions.js';
import { expectInteger, expectNumber, expectString } from '../internal/validate.js';
import { FaultInjector } from './faults/FaultInjector.js';
import { PagePrefetcher } from './handlers/PagePrefetcher.js';
import { JobStore, type Job, type JobStats, type JobStatus } from './jobs/JobStore.js';
import { RequestLog, type EmulatorCounters, type RequestLogEntry } from './log/RequestLog.js';
import { errorBody, errors, type ServiceException } from './protocol/ServiceException.js';
import { handleRequest } from './server/RequestHandler.js';
import { motExport, type MotExportOptions } from './synthetic/mot.js';
import type { SyntheticVideo } from './synthetic/syntheticVideo.js';
import { PaginationTokens } from './tokens/PaginationTokens.js';
import { Messaging, type CreateQueueOptions, type NotificationFaults, type NotificationLogEntry, type SubscribeOptions } from './sqs/Messaging.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';

/** A job as the emulator's programmatic API shows it. */
export interface EmulatorJob {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly bucket: string;
  readonly name: string;
  readonly preset: string;
  readonly durationMs: number;
  readonly people: number;
  readonly faceAttributes: 'DEFAULT' | 'ALL';
  readonly jobTag: string | undefined;
  readonly clientRequestToken: string | undefined;
  /** `NotificationChannel.SNSTopicArn` of the Start, when it had one. */
  readonly snsTopicArn: string | undefined;
  /** Clock times (ms). */
  readonly createdAt: number;
  readonly readyAt: number;
  readonly expiresAt: number;
}

/** Ground-truth identity of one detection of a job. */
export interface DetectionIdentity {
  /** Position of the detection in the job's results (0-based, across pages). */
  readonly index: number;
  readonly timestamp: number;
  /** The true person; `null` for a false positive. */
  readonly personId: number | null;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL for the SDK's `endpoint` option, e.g. `http://127.0.0.1:49152`. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  /** Runtime fault control: `script(...)`, `assertAllConsumed()`, `setTps(...)`, `setRandom(...)`, `clear()`. */
  readonly faults: FaultInjector;
  /** The latest requests (bounded by `requestLogSize`), oldest first. */
  requests(): readonly RequestLogEntry[];
  /** Counters: requests, throttled, errors, detections served, … */
  counters(): EmulatorCounters;
  /** Clears the request log and counters. */
  resetLog(): void;
  /** Every retained job. */
  jobs(): EmulatorJob[];
  /**
   * Job counters since start: Starts and distinct jobs per S3 object, idempotent repeats, LimitExceeded
   * refusals, jobs in progress now and at peak (ours, other applications', total).
   */
  jobStats(): JobStats;
  /**
   * Makes other applications of the account hold `slots` job slots of the shared quota from now, for
   * `forMs` (clock time) or until `release()`.
   */
  holdJobSlots(slots: number, options?: { readonly forMs?: number }): { release(): void };
  /**
   * Creates an SQS queue (or returns the existing one's URL): `<endpoint>/123456789012/<name>`. Names match
   * `^[A-Za-z0-9_-]{1,80}$` (standard queues only).
   */
  createQueue(name: string, options?: CreateQueueOptions): string;
  /** The URL of an existing queue (throws `InvalidParameterError` for an unknown one). */
  queueUrl(name: string): string;
  /**
   * Subscribes a queue (created when missing) to an SNS topic, e.g.
   * `arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic`; `raw: true` delivers the bare payload
   * instead of the SNS envelope. Returns the subscription ARN. A job started with
   * `NotificationChannel.SNSTopicArn` = the topic publishes its completion to every subscribed queue.
   *
   * @example
   * ```ts
   * import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
   * import { startEmulator } from 'rekognition-face-stream/emulator';
   *
   * const emu = await startEmulator({ processingTimeMs: { perVideoSecondMs: 10 } });
   * emu.subscribe('arn:aws:sns:us-east-1:123456789012:AmazonRekognitionTopic', 'jobs');
   * const sqs = new SQSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } });
   * // … StartFaceDetection with NotificationChannel { SNSTopicArn, RoleArn } …
   * const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: emu.queueUrl('jobs'), WaitTimeSeconds: 20 }));
   * for (const m of Messages) console.log(JSON.parse(JSON.parse(m.Body!).Message).Status);
   * await emu.close();
   * ```
   */
  subscribe(topicArn: string, queueName: string, options?: SubscribeOptions): string;
  /** Removes a subscription (no-op when unknown). */
  unsubscribe(subscriptionArn: string): void;
  /** Puts a message in a queue directly (e.g. another application's), visible at once; returns its MessageId. */
  sendMessage(queueName: string, body: string): string;
  /** The messages of a queue (visible, in flight or delayed), oldest first. */
  queueMessages(queueName: string): { readonly messageId: string; readonly body: string; readonly receiveCount: number; readonly visible: boolean }[];
  /** Every completion notification published (the latest 10,000), with its fault and the queues it reached. */
  notifications(): readonly NotificationLogEntry[];
  /** Replaces the notification faults (lost, duplicated, delayed). */
  setNotificationFaults(faults: NotificationFaults): void;
  /** The synthetic video behind a job (throws for an unknown job). */
  video(jobId: string): SyntheticVideo;
  /** The ground-truth identity of each detection of a job, in result order (lazy). */
  groundTruth(jobId: string): Iterable<DetectionIdentity>;
  /** A MOT-format ground-truth export of a job (see {@link MotExportOptions}). */
  groundTruthMot(jobId: string, options?: MotExportOptions): string;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts an emulator and resolves once it listens.
 *
 * @example
 * ```ts
 * import { RekognitionClient, GetFaceDetectionCommand, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
 * import { startEmulator } from 'rekognition-face-stream/emulator';
 *
 * const emu = await startEmulator({ seed: 7, processingTimeMs: 0 });
 * const client = new RekognitionClient({
 *   region: 'us-east-1',
 *   endpoint: emu.endpoint,
 *   credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
 * });
 * const { JobId } = await client.send(
 *   new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'demo', Name: 'preset=interview,duration=10s.mp4' } } }),
 * );
 * const page = await client.send(new GetFaceDetectionCommand({ JobId, MaxResults: 10 }));
 * console.log(page.Faces?.length);
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const o = resolveEmulatorOptions(options);
  const closing = new AbortController();
  const messaging = new Messaging(o.clock, o.seed, closing.signal, o.notificationFaults, { subject: o.notificationSubject });
  const jobs = new JobStore({
    seed: o.seed,
    clock: o.clock,
    processingTimeMs: o.processingTimeMs,
    retentionMs: o.retentionMs,
    maxConcurrentJobs: o.maxConcurrentJobs,
    maxVideoDurationMs: o.maxVideoDurationMs,
    maxRetainedJobs: o.maxRetainedJobs,
    numbers: o.numbers,
    missingBuckets: new Set(o.missingBuckets),
    deniedBuckets: new Set(o.deniedBuckets),
    onJobCreated: (job) => messaging.jobCreated(job),
  });
  const startedAt = o.clock.now();
  for (const hold of o.otherApplications) {
    const from = startedAt + (hold.fromMs ?? 0);
    jobs.holdSlots(hold.slots, from, hold.forMs === undefined ? Infinity : from + hold.forMs);
  }
  const faults = new FaultInjector(o.faults, o.seed, o.clock);
  const log = new RequestLog(o.requestLogSize);
  const prefetcher = new PagePrefetcher(4, o.pageCacheBytes);
  const deps = {
    prefetcher,
    jobs,
    tokens: new PaginationTokens(o.tokenTtlMs),
    clock: o.clock,
    faults,
    log,
    maxBodyBytes: o.maxBodyBytes,
    credentials: o.credentials,
    closing: closing.signal,
    onRequest: o.onRequest,
    messaging,
    s3: {
      seed: o.seed,
      bitrate: { median: o.medianBitrate, sigma: o.bitrateSigma },
      missingBuckets: new Set(o.missingBuckets),
      deniedBuckets: new Set(o.deniedBuckets),
    },
  };
  const server = createServer(
    {
      keepAliveTimeout: 5000,
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      // Node checks both timeouts on this interval (its default, 30 s, would let a small timeout run long).
      connectionsCheckingInterval: Math.min(30_000, Math.max(10, Math.floor(o.headersTimeoutMs / 4))),
    },
    (req, res) => void handleRequest(req, res, deps),
  );
  server.on('connection', (socket) => {
    // Node's headersTimeout starts with the first byte of a request: a connection that never sends one would
    // stay open for ever. Close it after headersTimeoutMs (real time, like Node's own HTTP timers).
    const idle = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, o.headersTimeoutMs);
    idle.unref();
    socket.once('close', () => clearTimeout(idle));
  });
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    // Too slow (headers or body), not HTTP, or not valid HTTP/1.1: answer once in the service's error format,
    // then close our side and destroy the socket once the answer is flushed — a client that never closes its
    // side (slow-loris) must not keep the connection open.
    if (socket.writable) {
      socket.end(error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? REQUEST_TIMEOUT_RESPONSE : MALFORMED_HTTP_RESPONSE, () =>
        socket.destroy(),
      );
    } else {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  let closed: Promise<void> | undefined;
  const endpoint = `http://${urlHost}:${port}`;
  messaging.setEndpoint(endpoint);
  try {
    for (const { name, ...queueOptions } of o.queues) messaging.createQueue(name, queueOptions);
    for (const { topicArn, queue, ...subscribeOptions } of o.subscriptions) messaging.subscribe(topicArn, queue, subscribeOptions);
  } catch (error) {
    closing.abort();
    server.close();
    throw error;
  }
  const queueNamed = (name: string) => {
    const queue = messaging.queue(name);
    if (!queue) throw new InvalidParameterError('queueName', 'the name of an existing queue', name);
    return queue;
  };

  const jobOf = (jobId: string): Job => {
    const job = jobs.get(jobId);
    if (!job) throw new Error(`Unknown or expired job ${jobId}.`);
    return job;
  };

  return {
    endpoint,
    host: o.host,
    port,
    faults,
    requests: () => log.entries(),
    counters: () => log.counters(),
    resetLog: () => log.reset(),
    jobs: () =>
      jobs.list().map((job) => ({
        jobId: job.jobId,
        status: jobs.status(job),
        bucket: job.input.s3Object.Bucket,
        name: job.input.s3Object.Name,
        preset: job.request.preset,
        durationMs: job.request.durationMs,
        people: job.request.people,
        faceAttributes: job.input.faceAttributes,
        jobTag: job.input.jobTag,
        clientRequestToken: job.input.clientRequestToken,
        snsTopicArn: job.input.notificationChannel?.SNSTopicArn,
        createdAt: job.createdAt,
        readyAt: job.readyAt,
        expiresAt: job.expiresAt,
      })),
    jobStats: () => jobs.stats(),
    holdJobSlots(slots, holdOptions = {}) {
      expectInteger('slots', slots, 1);
      const forMs = holdOptions.forMs === undefined ? Infinity : expectNumber('forMs', holdOptions.forMs, 0);
      const now = o.clock.now();
      const hold = jobs.holdSlots(slots, now, now + forMs);
      return { release: () => jobs.releaseHold(hold) };
    },
    createQueue: (name, queueOptions) => messaging.createQueue(name, queueOptions).url,
    queueUrl: (name) => queueNamed(name).url,
    subscribe: (topicArn, queueName, subscribeOptions) => messaging.subscribe(topicArn, queueName, subscribeOptions),
    unsubscribe: (subscriptionArn) => messaging.unsubscribe(subscriptionArn),
    sendMessage: (queueName, body) => queueNamed(queueName).send(expectString('body', body, { minLength: 1 }), 'AIDAEMULATORTEST').messageId,
    queueMessages: (queueName) => {
      const now = o.clock.now();
      return queueNamed(queueName)
        .messages()
        .map((m) => ({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, visible: m.visibleAt <= now }));
    },
    notifications: () => messaging.notifications(),
    setNotificationFaults: (faults) => messaging.setFaults(faults),
    video: (jobId) => jobs.video(jobOf(jobId)),
    groundTruth: (jobId) => identities(jobs.video(jobOf(jobId))),
    groundTruthMot: (jobId, exportOptions) => motExport(jobs.video(jobOf(jobId)), exportOptions),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        prefetcher.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

const MALFORMED_HTTP_RESPONSE = rawErrorResponse('400 Bad Request', errors.serialization('Malformed HTTP request.'), 'malformed-request');
const REQUEST_TIMEOUT_RESPONSE = rawErrorResponse('408 Request Timeout', errors.requestTimeout(), 'request-timeout');

/** A complete HTTP/1.1 error response in the service's format, for a socket that has no request object. */
function rawErrorResponse(statusLine: string, exception: ServiceException, requestId: string): string {
  const body = errorBody(exception, requestId);
  return (
    `HTTP/1.1 ${statusLine}\r\nconnection: close\r\ncontent-type: application/x-amz-json-1.1\r\n` +
    `x-amzn-ErrorType: ${exception.type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

function* identities(video: SyntheticVideo): Iterable<DetectionIdentity> {
  let index = 0;
  for (const face of video.rawDetections()) {
    yield { index: index++, timestamp: face.timestamp, personId: face.personId };
  }
}

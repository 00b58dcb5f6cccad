/**
 * Starts the Rekognition Video emulator: a loopback HTTP server speaking the service's awsJson1_1 protocol
 * for `StartFaceDetection` and `GetFaceDetection`, which the real AWS SDK and CLI talk to.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorOptions } from './EmulatorOptions.js';
import { resolveEmulatorOptions } from './EmulatorOptions.js';
import { FaultInjector } from './faults/FaultInjector.js';
import { PagePrefetcher } from './handlers/PagePrefetcher.js';
import { JobStore, type Job, type JobStatus } from './jobs/JobStore.js';
import { RequestLog, type EmulatorCounters, type RequestLogEntry } from './log/RequestLog.js';
import { errorBody, errors } from './protocol/ServiceException.js';
import { handleRequest } from './server/RequestHandler.js';
import { motExport, type MotExportOptions } from './synthetic/mot.js';
import type { SyntheticVideo } from './synthetic/syntheticVideo.js';
import { PaginationTokens } from './tokens/PaginationTokens.js';

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
  const jobs = new JobStore({
    seed: o.seed,
    clock: o.clock,
    processingTimeMs: o.processingTimeMs,
    retentionMs: o.retentionMs,
    maxConcurrentJobs: o.maxConcurrentJobs,
    maxVideoDurationMs: o.maxVideoDurationMs,
    maxRetainedJobs: o.maxRetainedJobs,
    numbers: o.numbers,
  });
  const faults = new FaultInjector(o.faults, o.seed, o.clock);
  const log = new RequestLog(o.requestLogSize);
  const closing = new AbortController();
  const prefetcher = new PagePrefetcher();
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
  };
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => void handleRequest(req, res, deps));
  server.on('clientError', (_error, socket) => {
    // Not HTTP, or not valid HTTP/1.1: answer once in the service's error format and close.
    if (socket.writable) socket.end(MALFORMED_HTTP_RESPONSE);
    else socket.destroy();
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

  const jobOf = (jobId: string): Job => {
    const job = jobs.get(jobId);
    if (!job) throw new Error(`Unknown or expired job ${jobId}.`);
    return job;
  };

  return {
    endpoint: `http://${urlHost}:${port}`,
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
        createdAt: job.createdAt,
        readyAt: job.readyAt,
        expiresAt: job.expiresAt,
      })),
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

const MALFORMED_HTTP_BODY = errorBody(errors.serialization('Malformed HTTP request.'), 'malformed-request');
const MALFORMED_HTTP_RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/x-amz-json-1.1\r\n' +
  `x-amzn-ErrorType: SerializationException\r\ncontent-length: ${Buffer.byteLength(MALFORMED_HTTP_BODY)}\r\n\r\n${MALFORMED_HTTP_BODY}`;

function* identities(video: SyntheticVideo): Iterable<DetectionIdentity> {
  let index = 0;
  for (const face of video.rawDetections()) {
    yield { index: index++, timestamp: face.timestamp, personId: face.personId };
  }
}

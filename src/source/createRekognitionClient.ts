import { RekognitionClient, type RekognitionClientConfig } from '@aws-sdk/client-rekognition';
import { expectNumber } from '../internal/validate.js';
import { withFastGetFaceDetection } from './fastGetFaceDetection/withFastGetFaceDetection.js';

/** Options of {@link createRekognitionClient}: the SDK's client config plus the fast path switch. */
export interface CreateRekognitionClientOptions extends RekognitionClientConfig {
  /**
   * Parse `GetFaceDetection` success bodies with the library's schema-specific parser instead of the SDK's
   * generic deserializer (same output objects; credentials, signing, endpoints, retries and error parsing stay
   * the SDK's). Faster than the plain SDK at a lower CPU cost; by how much depends on the payload (benchmarks/RESULTS.md).
   * @default false
   */
  readonly fastPath?: boolean;
  /**
   * Longest wait for a TCP/TLS connection to the endpoint, ms (the SDK's `connectionTimeout`); `Infinity` turns
   * it off. Not applied when you pass your own `requestHandler`.
   * @default 10000
   */
  readonly connectionTimeout?: number;
  /**
   * Longest silence on a connection while a request is in flight — before the response, or between two parts
   * of its body — ms (the SDK's `socketTimeout`); the request then fails with a retryable `TimeoutError`.
   * `Infinity` turns it off. Not applied when you pass your own `requestHandler`. (The request policy's
   * `attemptTimeout` bounds each attempt as a whole.)
   * @default 30000
   */
  readonly idleTimeout?: number;
}

/** The defaults of {@link CreateRekognitionClientOptions}' timeouts, ms. */
export const CLIENT_TIMEOUT_DEFAULTS = Object.freeze({ connectionTimeout: 10_000, idleTimeout: 30_000 });

/**
 * Creates a `RekognitionClient` from the standard AWS chain (env vars, shared config/profile, SSO, IMDS;
 * `AWS_ENDPOINT_URL_REKOGNITION` for a local endpoint) with the SDK's own retries off (`maxAttempts: 1`), since
 * the library's request policy retries, and with connection and idle timeouts, so that a server that does not
 * answer cannot hold a request forever. Any SDK option can be passed; `fastPath` enables the fast parser.
 *
 * @example
 * ```ts
 * import { createRekognitionClient, faceDetections } from 'rekognition-face-stream';
 *
 * const client = createRekognitionClient({ region: 'eu-west-1', fastPath: true });
 * const detections = faceDetections({ client, jobId: 'my-job-id' });
 * ```
 */
export function createRekognitionClient(options: CreateRekognitionClientOptions = {}): RekognitionClient {
  const { fastPath = false, connectionTimeout, idleTimeout, ...config } = options;
  const timeout = (name: string, value: number | undefined, fallback: number): number =>
    value === undefined ? fallback : value === Infinity ? 0 : expectNumber(name, value, 1);
  const requestHandler = config.requestHandler ?? {
    connectionTimeout: timeout('connectionTimeout', connectionTimeout, CLIENT_TIMEOUT_DEFAULTS.connectionTimeout),
    socketTimeout: timeout('idleTimeout', idleTimeout, CLIENT_TIMEOUT_DEFAULTS.idleTimeout),
  };
  const client = new RekognitionClient({ maxAttempts: 1, ...config, requestHandler });
  return fastPath ? withFastGetFaceDetection(client) : client;
}

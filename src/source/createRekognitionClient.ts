import { RekognitionClient, type RekognitionClientConfig } from '@aws-sdk/client-rekognition';
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
}

/**
 * Creates a `RekognitionClient` from the standard AWS chain (env vars, shared config/profile, SSO, IMDS;
 * `AWS_ENDPOINT_URL_REKOGNITION` for a local endpoint) with the SDK's own retries off (`maxAttempts: 1`), since
 * the library's request policy retries. Any SDK option can be passed; `fastPath` enables the fast parser.
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
  const { fastPath = false, ...config } = options;
  const client = new RekognitionClient({ maxAttempts: 1, ...config });
  return fastPath ? withFastGetFaceDetection(client) : client;
}

/**
 * Wire-level types this library relies on.
 *
 * They are the AWS SDK's own shapes (every member optional, enums open), re-exported so that callers and
 * operators can name them without importing the SDK. Operators accept anything structurally compatible, so
 * detections saved by other tools (for example NDJSON written by `face-stream detections`) work as well.
 *
 * @module
 */
export type {
  BoundingBox,
  FaceDetail,
  FaceDetection,
  GetFaceDetectionCommandInput,
  GetFaceDetectionCommandOutput,
  GetFaceDetectionRequest,
  GetFaceDetectionResponse,
  StartFaceDetectionCommandInput,
  StartFaceDetectionCommandOutput,
  StartFaceDetectionRequest,
  StartFaceDetectionResponse,
  Video,
  VideoJobStatus,
  VideoMetadata,
  S3Object,
  Emotion,
  Landmark,
  Pose,
  ImageQuality,
  AgeRange,
} from '@aws-sdk/client-rekognition';

/**
 * The structural client interface the library accepts: anything with the SDK's `send(command, options)`.
 *
 * A `RekognitionClient` satisfies it; so does any wrapper with the same shape. The library never checks
 * `instanceof`, so duplicate SDK copies in one process are fine.
 *
 * @example
 * ```ts
 * import { RekognitionClient } from '@aws-sdk/client-rekognition';
 * import type { RekognitionLike } from 'rekognition-face-stream';
 *
 * const client: RekognitionLike = new RekognitionClient({ region: 'us-east-1' });
 * ```
 */
export interface RekognitionLike {
  // The SDK's `send` is heavily overloaded; this is the one form the library uses. `abortSignal` is not
  // `| undefined`: under `exactOptionalPropertyTypes` the SDK's `HttpHandlerOptions` would reject it.
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

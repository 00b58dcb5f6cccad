/**
 * rekognition-face-stream: Amazon Rekognition Video face detections as a fast, backpressured, fault-tolerant
 * RxJS stream, with event-time windows, face tracks and MOT metrics.
 *
 * This file is an explicit barrel: every public symbol is listed here, nothing else.
 *
 * @module
 */

// Types
export type { RekognitionLike } from './types.js';
export type * from './types.js';

// Errors
export { FaceStreamError } from './errors/FaceStreamError.js';
export type { FaceStreamErrorOptions } from './errors/FaceStreamError.js';
export { isFaceStreamError } from './errors/isFaceStreamError.js';
export { InvalidParameterError } from './errors/InvalidParameterError.js';
export { ServiceError } from './errors/ServiceError.js';
export type { ServiceErrorDetails } from './errors/ServiceError.js';
export { JobFailedError } from './errors/JobFailedError.js';

// Time
export type { Clock } from './core/Clock.js';
export { systemClock } from './core/Clock.js';

// Source: pages and detections
export { faceDetections } from './source/faceDetections.js';
export { faceDetectionPages } from './source/faceDetectionPages.js';
export type { FaceSourceOptions } from './source/sourceRuntime.js';
export type { SourceStream } from './source/SourceStream.js';
export type { SourceStats } from './source/SourceStats.js';
export type { FaceDetectionPage, JobInfo, Checkpoint } from './source/FaceDetectionPage.js';
export type { WaitForJobOptions } from './source/waitForJob.js';
export { createRekognitionClient } from './source/createRekognitionClient.js';
export type { CreateRekognitionClientOptions } from './source/createRekognitionClient.js';
export { withFastGetFaceDetection } from './source/fastGetFaceDetection/withFastGetFaceDetection.js';
export { parseGetFaceDetectionBody } from './source/fastGetFaceDetection/parseGetFaceDetectionBody.js';
export { PaginationError } from './errors/PaginationError.js';
export type { PaginationErrorReason } from './errors/PaginationError.js';
export { JobNotReadyError } from './errors/JobNotReadyError.js';

// Resilience: retry and rate limit
export type { RequestPolicy, PolicyRequest } from './resilience/RequestPolicy.js';
export { directPolicy } from './resilience/directPolicy.js';
export {
  classifyError,
  THROTTLING_ERROR_NAMES,
  TRANSIENT_ERROR_NAMES,
  NETWORK_ERROR_CODES,
  TRANSIENT_STATUS_CODES,
} from './resilience/classifyError.js';

// Operators: event-time windows

// Tracks

// Metrics
export { linearSumAssignment } from './core/linearSumAssignment.js';
export type { LinearSumAssignment, LinearSumAssignmentOptions } from './core/linearSumAssignment.js';

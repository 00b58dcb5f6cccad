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
  PERMANENT_NETWORK_ERROR_CODES,
  TRANSIENT_STATUS_CODES,
} from './resilience/classifyError.js';
export { createRequestPolicy } from './resilience/createRequestPolicy.js';
export type { RequestPolicyOptions, ResilientPolicy } from './resilience/createRequestPolicy.js';
export { sharedPolicy, closeSharedPolicies } from './resilience/sharedPolicy.js';
export { defaultPolicy } from './resilience/defaultPolicy.js';
export { clientQuotaKey } from './resilience/clientQuotaKey.js';
export type {
  PolicyEvent,
  PolicyStats,
  RetryEvent,
  ThrottleEvent,
  RateEvent,
  SdkRetriesEvent,
  LimiterFallbackEvent,
  LimiterRestoredEvent,
  LimiterState,
} from './resilience/PolicyEvents.js';
export { fullJitterDelay, combineWithRetryAfter } from './resilience/backoffMath.js';
export type { BackoffParameters } from './resilience/backoffMath.js';
export { parseRetryAfter, retryAfterFromError } from './resilience/retryAfter.js';
export {
  DEFAULT_ADAPTIVE_PARAMETERS,
  initialAdaptiveState,
  decreaseOnThrottle,
  rateAt,
  minTimeForRate,
} from './resilience/adaptiveRateMath.js';
export type { AdaptiveRateParameters, AdaptiveRateState } from './resilience/adaptiveRateMath.js';
export { AdaptiveRate } from './resilience/AdaptiveRate.js';
export { AdaptivePacer } from './resilience/AdaptivePacer.js';
export type { AdaptiveRateOptions } from './resilience/AdaptiveRate.js';
export { SlidingWindowCounter } from './resilience/SlidingWindowCounter.js';
export { bottleneckSettings } from './resilience/limiterSettings.js';
export type { LimiterSettings } from './resilience/limiterSettings.js';
export type { RedisLimiterOptions, IoRedisClient } from './resilience/redis/RedisLimiterOptions.js';
export { patchBottleneckForRedis7 } from './resilience/redis/patchBottleneckForRedis7.js';
export { RedisLimiterError } from './errors/RedisLimiterError.js';

// Operators: event-time windows
export { tumblingWindow } from './operators/tumblingWindow.js';
export { hoppingWindow } from './operators/hoppingWindow.js';
export { sessionWindow } from './operators/sessionWindow.js';
export type {
  FixedWindowOptions,
  LateItem,
  LateItemHandler,
  PaneTiming,
  SessionWindowOptions,
  WindowAggregate,
  WindowOptions,
  WindowPane,
  WindowResult,
} from './operators/windowTypes.js';
export { countAggregate } from './operators/aggregations/countAggregate.js';
export { meanConfidence } from './operators/aggregations/meanConfidence.js';
export { meanAgeRange } from './operators/aggregations/meanAgeRange.js';
export type { MeanAgeRange } from './operators/aggregations/meanAgeRange.js';
export { dominantEmotion } from './operators/aggregations/dominantEmotion.js';
export type { DominantEmotion } from './operators/aggregations/dominantEmotion.js';
export { attributeShares, FACE_ATTRIBUTE_NAMES } from './operators/aggregations/attributeShares.js';
export type {
  AttributeShares,
  AttributeSharesOptions,
  BooleanFaceAttribute,
  FaceAttributeName,
} from './operators/aggregations/attributeShares.js';
export { distinctTracks } from './operators/aggregations/distinctTracks.js';
export type { DistinctTracks, DistinctTracksOptions } from './operators/aggregations/distinctTracks.js';
export { combineAggregates } from './operators/aggregations/combineAggregates.js';
export type { CombinedResult } from './operators/aggregations/combineAggregates.js';
export type { DetectionLike, FaceLike, MeanAccumulator } from './operators/aggregations/faceShapes.js';
export { InvalidTimestampError } from './errors/InvalidTimestampError.js';
export { LateItemError } from './errors/LateItemError.js';
export { NdjsonParseError } from './errors/NdjsonParseError.js';

// Tracks
export type { Box } from './core/geometry.js';
export {
  iou,
  normalizedCentreDistance,
  scaleChange,
  lerpBox,
  boxFromBoundingBox,
  boundingBoxFromBox,
} from './core/geometry.js';
export { FaceTracker } from './core/tracking/FaceTracker.js';
export type { TrackerSink } from './core/tracking/FaceTracker.js';
export type { TrackState } from './core/tracking/TrackState.js';
export type { TrackerObservation, FaceCues } from './core/tracking/TrackerObservation.js';
export { DEFAULT_TRACKER_OPTIONS, resolveTrackerOptions } from './core/tracking/TrackerOptions.js';
export type { TrackerOptions, ResolvedTrackerOptions } from './core/tracking/TrackerOptions.js';
export { faceCuesFromDetail } from './core/tracking/faceCues.js';
export { smoothPath } from './core/tracking/smoothPath.js';
export { faceTracks } from './tracks/faceTracks.js';
export type { FaceTracksOptions } from './tracks/faceTracks.js';
export { labelFaceTracks } from './tracks/labelFaceTracks.js';
export type { LabelledFaceDetection } from './tracks/labelFaceTracks.js';
export { TrackSummaryBuilder } from './tracks/TrackSummaryBuilder.js';
export type {
  Track,
  TrackPoint,
  TrackAttributes,
  TrackEmotions,
  EmotionSegment,
  BooleanVote,
  TrackCloseReason,
} from './tracks/Track.js';

// Metrics
export { linearSumAssignment } from './core/linearSumAssignment.js';
export type { LinearSumAssignment, LinearSumAssignmentOptions } from './core/linearSumAssignment.js';
export type { MotRow } from './metrics/MotRow.js';
export { parseMot } from './metrics/parseMot.js';
export type { ParseMotOptions } from './metrics/parseMot.js';
export type {
  MotMetrics,
  HotaMetrics,
  HotaPerAlpha,
  ClearMetrics,
  IdentityMetrics,
} from './metrics/MotMetrics.js';
export { HOTA_ALPHAS } from './metrics/hota.js';
export { evaluateMot } from './metrics/evaluateMot.js';
export type { EvaluateMotOptions } from './metrics/evaluateMot.js';
export type { MotSequenceOptions } from './metrics/prepareMot.js';
export { evaluateSequence } from './metrics/evaluateSequence.js';
export type { TrackingSequence } from './metrics/TrackingSequence.js';
export { combineMetrics } from './metrics/combineMetrics.js';
export { formatMetricsTable } from './metrics/formatMetricsTable.js';
export type { FormatMetricsTableOptions } from './metrics/formatMetricsTable.js';

// Jobs: start, wait, batch
export { startFaceDetectionJob } from './jobs/startFaceDetectionJob.js';
export type {
  StartFaceDetectionJobOptions,
  StartedJob,
  NotificationChannel,
  FaceDetectionJobParameters,
} from './jobs/startFaceDetectionJob.js';
export { waitForFaceDetectionJob } from './jobs/waitForFaceDetectionJob.js';
export type { WaitForFaceDetectionJobOptions, JobCompletion, JobPollOptions } from './jobs/waitForFaceDetectionJob.js';
export { faceDetectionBatch } from './jobs/faceDetectionBatch.js';
export type {
  FaceDetectionBatchOptions,
  BatchVideo,
  BatchStream,
  BatchEvent,
  BatchCounts,
  BatchVideoEventBase,
  BatchQueuedEvent,
  BatchLimitExceededEvent,
  BatchStartedEvent,
  BatchSucceededEvent,
  BatchFailedEvent,
  BatchDoneEvent,
  BatchReadOptions,
} from './jobs/faceDetectionBatch.js';
export { sqsJobNotifications } from './jobs/sqsJobNotifications.js';
export type {
  SqsLike,
  SqsJobNotificationsOptions,
  JobNotifications,
  JobNotificationStats,
  NotificationWatch,
} from './jobs/sqsJobNotifications.js';
export { parseJobNotification } from './jobs/parseJobNotification.js';
export type { JobNotification } from './jobs/parseJobNotification.js';
export { jobIdentity, JOB_TAG_PREFIX } from './jobs/jobIdentity.js';
export type { JobParameters } from './jobs/jobIdentity.js';
export { parseVideo, videoUri } from './jobs/VideoRef.js';
export type { VideoRef } from './jobs/VideoRef.js';

// Fleet: one batch over many workers and machines (BullMQ on Redis; optional peers bullmq + ioredis)
export { enqueueBatch } from './fleet/enqueueBatch.js';
export type { EnqueueBatchOptions, EnqueueBatchResult } from './fleet/enqueueBatch.js';
export { runBatchWorker } from './fleet/runBatchWorker.js';
export type { BatchWorker, BatchWorkerOptions, FleetCheckpoint, FleetWriter } from './fleet/runBatchWorker.js';
export { fleetStatus, retryFailedVideos } from './fleet/fleetStatus.js';
export type { FleetFailure, FleetStatus, FleetStatusOptions } from './fleet/fleetStatus.js';
export { DEFAULT_QUEUE_NAME } from './fleet/FleetOptions.js';
export type { FleetConnectionOptions, FleetJobData } from './fleet/FleetOptions.js';
export { StartJobError } from './errors/StartJobError.js';
export { JobWaitTimeoutError } from './errors/JobWaitTimeoutError.js';
export type { JobWaitAttempts } from './errors/JobWaitTimeoutError.js';

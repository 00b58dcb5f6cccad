/**
 * rekognition-face-stream: Amazon Rekognition Video face detections as a fast, backpressured, fault-tolerant
 * RxJS stream, with event-time windows, face tracks and MOT metrics.
 *
 * This file is an explicit barrel: every public symbol is listed here, nothing else. Internals (the adaptive
 * rate maths, the limiters, the tracker core, the window engines, geometry) are not exported: tests import
 * them from their modules. The surface is recorded in api/rekognition-face-stream.api.md; `npm test` fails
 * when it changes without `npm run api:update`.
 *
 * @module
 */

// Types: the wire shapes (the AWS SDK's own, so callers need not import the SDK) and the client interface
export type { RekognitionLike } from './types.js';
export type * from './types.js';

// Streams: pages and detections of a face-detection job
export { faceDetections } from './source/faceDetections.js';
export { faceDetectionPages } from './source/faceDetectionPages.js';
export type { FaceSourceOptions } from './source/sourceRuntime.js';
export { MAX_RESULTS_LIMIT } from './source/sourceRuntime.js';
export type { SourceStream } from './source/SourceStream.js';
export type { SourceStats } from './source/SourceStats.js';
export type { FaceDetectionPage, JobInfo, Checkpoint } from './source/FaceDetectionPage.js';
export type { WaitForJobOptions, JobWaitEvent } from './source/waitForJob.js';
export { WAIT_FOR_JOB_DEFAULTS } from './source/waitForJob.js';
export { createRekognitionClient, CLIENT_TIMEOUT_DEFAULTS } from './source/createRekognitionClient.js';
export type { CreateRekognitionClientOptions } from './source/createRekognitionClient.js';
export { withFastGetFaceDetection, withRawFaceBytes } from './source/fastGetFaceDetection/withFastGetFaceDetection.js';
export { rawFaceBytes } from './source/fastGetFaceDetection/rawFaces.js';
export type { RawFaceBytes } from './source/fastGetFaceDetection/rawFaces.js';

// Time: the injectable clock every wait goes through
export type { Clock } from './core/Clock.js';
export { systemClock } from './core/Clock.js';
export { parseDurationMs, formatDurationMs, DURATION_SYNTAX } from './core/duration.js';

// Policies: retry and rate limit around every request
export type { RequestPolicy, PolicyRequest } from './resilience/RequestPolicy.js';
export { directPolicy } from './resilience/directPolicy.js';
export { createRequestPolicy } from './resilience/createRequestPolicy.js';
export type { RequestPolicyOptions, ResilientPolicy } from './resilience/createRequestPolicy.js';
export type { AdaptiveRateParameters } from './resilience/adaptiveRateMath.js';
export type { RedisLimiterOptions, IoRedisClient } from './resilience/redis/RedisLimiterOptions.js';
export type { LimiterSettings } from './resilience/limiterSettings.js';
export { DEFAULT_ATTEMPT_TIMEOUT } from './resilience/createRequestPolicy.js';
export { sharedPolicy, closeSharedPolicies } from './resilience/sharedPolicy.js';
export { defaultPolicy } from './resilience/defaultPolicy.js';
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
} from './core/windows/windowTypes.js';

// Operators: window aggregations
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
export type { DetectionLike, FaceLike } from './operators/aggregations/faceShapes.js';

// Tracks: face tracks from detections
export { faceTracks } from './tracks/faceTracks.js';
export type { FaceTracksOptions } from './tracks/faceTracks.js';
export { labelFaceTracks } from './tracks/labelFaceTracks.js';
export type { LabelledFaceDetection } from './tracks/labelFaceTracks.js';
export { DEFAULT_TRACKER_OPTIONS } from './core/tracking/TrackerOptions.js';
export type { TrackerOptions } from './core/tracking/TrackerOptions.js';
export type {
  Track,
  TrackPoint,
  TrackAttributes,
  TrackEmotions,
  EmotionSegment,
  BooleanVote,
  TrackCloseReason,
} from './tracks/Track.js';

// Metrics: MOT evaluation (HOTA, CLEAR, Identity)
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

// Assignment: the rectangular linear sum assignment solver behind tracks and metrics (scipy's contract)
export { linearSumAssignment } from './core/linearSumAssignment.js';
export type { LinearSumAssignment, LinearSumAssignmentOptions } from './core/linearSumAssignment.js';

// Errors: every error the library throws or emits
export { FaceStreamError } from './errors/FaceStreamError.js';
export type { FaceStreamErrorOptions } from './errors/FaceStreamError.js';
export { isFaceStreamError } from './errors/isFaceStreamError.js';
export { InvalidParameterError } from './errors/InvalidParameterError.js';
export { ServiceError } from './errors/ServiceError.js';
export type { ServiceErrorDetails } from './errors/ServiceError.js';
export { JobFailedError } from './errors/JobFailedError.js';
export { JobNotReadyError } from './errors/JobNotReadyError.js';
export { PaginationError } from './errors/PaginationError.js';
export type { PaginationErrorReason } from './errors/PaginationError.js';
export { RedisLimiterError } from './errors/RedisLimiterError.js';
export { InvalidTimestampError } from './errors/InvalidTimestampError.js';
export { LateItemError } from './errors/LateItemError.js';
export { NdjsonParseError } from './errors/NdjsonParseError.js';

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
  BatchSizeOrder,
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
export { s3ObjectSizes } from './jobs/videoSizes.js';
export type { VideoSizeLookup, S3Like, S3ObjectSizes, S3ObjectSizesOptions, S3ObjectSizesStats } from './jobs/videoSizes.js';
export { parseJobNotification } from './jobs/parseJobNotification.js';
export type { JobNotification } from './jobs/parseJobNotification.js';
export { jobIdentity, JOB_TAG_PREFIX } from './jobs/jobIdentity.js';
export type { JobParameters } from './jobs/jobIdentity.js';
export { parseVideo, videoUri } from './jobs/VideoRef.js';
export type { VideoRef } from './jobs/VideoRef.js';

// Fleet: one batch over many workers and machines (BullMQ on Redis; optional peers bullmq + ioredis)
export { enqueueBatch, fleetPriorityOfSize } from './fleet/enqueueBatch.js';
export type { EnqueueBatchOptions, EnqueueBatchResult } from './fleet/enqueueBatch.js';
export { runBatchWorker } from './fleet/runBatchWorker.js';
export type { BatchWorker, BatchWorkerOptions, FleetCheckpoint, FleetWriter } from './fleet/runBatchWorker.js';
export { fleetStatus, retryFailedVideos } from './fleet/fleetStatus.js';
export type { FleetFailure, FleetStageCounts, FleetStatus, FleetStatusOptions } from './fleet/fleetStatus.js';
export { DEFAULT_QUEUE_NAME, FLEET_FORMAT, readsQueueName } from './fleet/FleetOptions.js';
export type { FleetConnectionOptions, FleetJobData, FleetReadData } from './fleet/FleetOptions.js';
export { StartJobError } from './errors/StartJobError.js';
export { JobWaitTimeoutError } from './errors/JobWaitTimeoutError.js';
export type { JobWaitAttempts } from './errors/JobWaitTimeoutError.js';

// Report: a self-contained HTML report of a job (pure model + SVG)
export { faceReport } from './report/faceReport.js';
export type { FaceReportOptions } from './report/faceReport.js';
export { ReportBuilder, EMOTION_TYPES } from './report/ReportBuilder.js';
export type { ReportBuilderOptions, ReportJobInfo } from './report/ReportBuilder.js';
export { renderReportHtml } from './report/renderReportHtml.js';
export type { RenderReportOptions, TrackColumns } from './report/renderReportHtml.js';
export type { ReportModel, ReportTrack, Histogram, EmotionTimeline } from './report/ReportModel.js';
export { BatchReportBuilder } from './report/BatchReport.js';
export type { BatchReportBuilderOptions, BatchReportModel, BatchReportVideo, BatchVideoInput, BatchVideoState } from './report/BatchReport.js';
export { renderBatchReportHtml } from './report/renderBatchReportHtml.js';
export type { RenderBatchReportOptions } from './report/renderBatchReportHtml.js';

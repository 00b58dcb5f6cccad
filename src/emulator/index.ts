/**
 * `rekognition-face-stream/emulator`: a local emulator of the Amazon Rekognition Video face-detection API
 * (the real AWS SDK and CLI talk to it), and the deterministic synthetic video generator behind it.
 *
 * What it does not model is listed in docs/emulator.md, section LIMITATIONS.
 *
 * @module
 */
export { startEmulator } from './startEmulator.js';
export type { Emulator, EmulatorJob, DetectionIdentity } from './startEmulator.js';
export type { EmulatorOptions, OtherApplicationsHold, ProcessingTimePerSecond, QueueOptions, SubscriptionOptions } from './EmulatorOptions.js';
export {
  ACCOUNT_ID as EMULATOR_ACCOUNT_ID,
  REGION as EMULATOR_REGION,
  QUEUE_NAME_PATTERN,
  TOPIC_ARN_PATTERN,
} from './sqs/Messaging.js';
export type { CreateQueueOptions, NotificationFaults, NotificationLogEntry, SubscribeOptions } from './sqs/Messaging.js';
export type { JobStats, ObjectJobStats, SlotCounts } from './jobs/JobStore.js';
export type { EmulatorCredentials } from './auth/sigv4.js';
export { FaultInjector, FAULT_KINDS, OPERATIONS } from './faults/FaultInjector.js';
export type { FaultKind, FaultOptions, OperationName, RandomFaults, ScriptedFault } from './faults/FaultInjector.js';
export type { TpsQuota } from './faults/TokenBucket.js';
export type { EmulatorCounters, RequestLogEntry } from './log/RequestLog.js';
export { parseObjectName, DEFAULT_PRESET, DEFAULT_DURATION_MS } from './jobs/objectName.js';
export type { VideoRequest } from './jobs/objectName.js';
export { syntheticVideo } from './synthetic/syntheticVideo.js';
export type { SyntheticDetection, SyntheticVideo, SyntheticVideoOptions } from './synthetic/syntheticVideo.js';
export type { TruthFace } from './synthetic/sampler.js';
export type { FaceAttributesMode } from './synthetic/faceDetail.js';
export type { NumberFormat } from './synthetic/decimal.js';
export { PRESET_NAMES, presetSpec } from './synthetic/presets.js';
export type { PresetName, PresetSpec } from './synthetic/presets.js';
export { motExport, motLines } from './synthetic/mot.js';
export type { MotExportOptions } from './synthetic/mot.js';

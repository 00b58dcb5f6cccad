/**
 * `RekognitionService.StartFaceDetection`: validates the input like the service's model, then starts (or,
 * for a repeated `ClientRequestToken`, finds) a job.
 *
 * @module
 */
import type { JobStore, StartInput } from '../jobs/JobStore.js';
import { errors } from '../protocol/ServiceException.js';
import { optionalEnum, optionalObject, optionalString, requiredString, type Body } from './params.js';

const TOKEN_PATTERN = /^[a-zA-Z0-9-_]+$/;
const JOB_TAG_PATTERN = /^[a-zA-Z0-9_.\-:+=/]+$/;
const SNS_TOPIC_PATTERN = /^arn:aws:sns:.*:\w{12}:.+$/;
const AT_S3 = 'Video.S3Object.';
const AT_CHANNEL = 'NotificationChannel.';
const ROLE_ARN_PATTERN = /^arn:aws:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

/** Parses and validates a `StartFaceDetection` request body. */
export function parseStartInput(body: Body): StartInput {
  const video = optionalObject(body, 'Video');
  if (!video) throw errors.invalidParameter('Video is required.');
  const s3 = optionalObject(video, 'S3Object', 'Video.');
  if (!s3) throw errors.invalidParameter('Video.S3Object is required.');
  const Bucket = requiredString(s3, 'Bucket', { min: 3, max: 255, pattern: /^[0-9A-Za-z.\-_]*$/ }, AT_S3);
  const Name = requiredString(s3, 'Name', { min: 1, max: 1024 }, AT_S3);
  const Version = optionalString(s3, 'Version', { min: 1, max: 1024 }, AT_S3);
  const channel = optionalObject(body, 'NotificationChannel');
  let notificationChannel: StartInput['notificationChannel'];
  if (channel) {
    notificationChannel = {
      SNSTopicArn: requiredString(channel, 'SNSTopicArn', { min: 1, max: 1024, pattern: SNS_TOPIC_PATTERN }, AT_CHANNEL),
      RoleArn: requiredString(channel, 'RoleArn', { min: 20, max: 2048, pattern: ROLE_ARN_PATTERN }, AT_CHANNEL),
    };
  }
  return {
    s3Object: Version === undefined ? { Bucket, Name } : { Bucket, Name, Version },
    faceAttributes: optionalEnum(body, 'FaceAttributes', ['DEFAULT', 'ALL'] as const) ?? 'DEFAULT',
    jobTag: optionalString(body, 'JobTag', { min: 1, max: 1024, pattern: JOB_TAG_PATTERN }),
    clientRequestToken: optionalString(body, 'ClientRequestToken', { min: 1, max: 64, pattern: TOKEN_PATTERN }),
    notificationChannel,
  };
}

/** Handles `StartFaceDetection`; returns the response body and the job id. */
export function startFaceDetection(body: Body, jobs: JobStore): { readonly body: string; readonly jobId: string } {
  const job = jobs.start(parseStartInput(body));
  return { body: `{"JobId":"${job.jobId}"}`, jobId: job.jobId };
}

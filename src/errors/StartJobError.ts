import { FaceStreamError } from './FaceStreamError.js';

/**
 * `StartFaceDetection` refused a video for good: `IdempotentParameterMismatchException` (the token was used
 * with other parameters), `VideoTooLargeException`, `InvalidS3ObjectException`, `AccessDeniedException`,
 * `InvalidParameterException`, or a retryable error whose retries ran out. Names the video; the classified
 * `ServiceError` is the `cause`. (`LimitExceededException` is never this error: it means "wait for a job slot".)
 *
 * @example
 * ```ts
 * import { StartJobError } from 'rekognition-face-stream';
 *
 * const err = new StartJobError('s3://b/huge.mp4', 'VideoTooLargeException', 'The maximum duration is 6 h.');
 * console.log(err.code); // ERR_START_VIDEO_TOO_LARGE
 * ```
 */
export class StartJobError extends FaceStreamError {
  override name = 'StartJobError';
  /** The video, as `s3://bucket/key`. */
  readonly video: string;
  /** The service's error code (the SDK error's `name`), e.g. `InvalidS3ObjectException`. */
  readonly serviceCode: string;

  constructor(video: string, serviceCode: string, detail: string, options: { readonly cause?: unknown } = {}) {
    super(
      `ERR_START_${serviceCode.replace(/Exception$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`,
      `Could not start face detection on ${video}: ${serviceCode}${detail ? `: ${detail}` : ''}${hint(serviceCode)}`,
      { cause: options.cause, context: { video, serviceCode } },
    );
    this.video = video;
    this.serviceCode = serviceCode;
  }
}

function hint(serviceCode: string): string {
  switch (serviceCode) {
    case 'IdempotentParameterMismatchException':
      return ' (the ClientRequestToken was used before with other parameters; pass another token)';
    case 'InvalidS3ObjectException':
      return ' (check the bucket, the key, the region and that Rekognition may read the object)';
    case 'AccessDeniedException':
      return ' (check the IAM permissions: rekognition:StartFaceDetection, iam:PassRole for the notification role)';
    default:
      return '';
  }
}

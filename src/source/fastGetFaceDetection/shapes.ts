/**
 * The output shapes of `GetFaceDetection`, transcribed from the service model (the SDK's schemas, same member
 * order). `S` = string or boolean (passed through), `N` = number (the strings `"NaN"`, `"Infinity"` and
 * `"-Infinity"` become numbers, like the SDK does).
 */
export type Shape = typeof S | typeof N | StructShape | ListShape;

/** A structure: members in model order. */
export interface StructShape {
  readonly kind: 'struct';
  readonly members: readonly (readonly [name: string, shape: Shape])[];
}

/** A list of `member`. */
export interface ListShape {
  readonly kind: 'list';
  readonly member: Shape;
}

/** String, boolean or enum: passed through as parsed. */
export const S = 0;
/** Number (integer, long, float). */
export const N = 1;

const struct = (members: StructShape['members']): StructShape => ({ kind: 'struct', members });
const list = (member: Shape): ListShape => ({ kind: 'list', member });
const valueConfidence = (value: Shape): StructShape => struct([['Value', value], ['Confidence', N]]);

const BoundingBox = struct([['Width', N], ['Height', N], ['Left', N], ['Top', N]]);
const FaceDetail = struct([
  ['BoundingBox', BoundingBox],
  ['AgeRange', struct([['Low', N], ['High', N]])],
  ['Smile', valueConfidence(S)],
  ['Eyeglasses', valueConfidence(S)],
  ['Sunglasses', valueConfidence(S)],
  ['Gender', valueConfidence(S)],
  ['Beard', valueConfidence(S)],
  ['Mustache', valueConfidence(S)],
  ['EyesOpen', valueConfidence(S)],
  ['MouthOpen', valueConfidence(S)],
  ['Emotions', list(struct([['Type', S], ['Confidence', N]]))],
  ['Landmarks', list(struct([['Type', S], ['X', N], ['Y', N]]))],
  ['Pose', struct([['Roll', N], ['Yaw', N], ['Pitch', N]])],
  ['Quality', struct([['Brightness', N], ['Sharpness', N]])],
  ['Confidence', N],
  ['FaceOccluded', valueConfidence(S)],
  ['EyeDirection', struct([['Yaw', N], ['Pitch', N], ['Confidence', N]])],
]);

/** `GetFaceDetectionResponse`. */
export const GET_FACE_DETECTION_RESPONSE: StructShape = struct([
  ['JobStatus', S],
  ['StatusMessage', S],
  [
    'VideoMetadata',
    struct([
      ['Codec', S],
      ['DurationMillis', N],
      ['Format', S],
      ['FrameRate', N],
      ['FrameHeight', N],
      ['FrameWidth', N],
      ['ColorRange', S],
    ]),
  ],
  ['NextToken', S],
  ['Faces', list(struct([['Timestamp', N], ['Face', FaceDetail]]))],
  ['JobId', S],
  ['Video', struct([['S3Object', struct([['Bucket', S], ['Name', S], ['Version', S]])]])],
  ['JobTag', S],
]);

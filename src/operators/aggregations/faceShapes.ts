/**
 * The minimal structural shapes the ready-made aggregations read: a `FaceDetection` (or anything carrying a
 * `Face` with the same fields, such as a track-labelled detection).
 *
 * @module
 */

/** A boolean face attribute as Rekognition reports it (`Smile`, `Eyeglasses`, …). */
export interface BooleanAttributeLike {
  readonly Value?: boolean | undefined;
  readonly Confidence?: number | undefined;
}

/** The face fields the aggregations read; every one optional, like the SDK's `FaceDetail`. */
export interface FaceLike {
  readonly Confidence?: number | undefined;
  readonly Emotions?: readonly { readonly Type?: string | undefined; readonly Confidence?: number | undefined }[] | undefined;
  readonly AgeRange?: { readonly Low?: number | undefined; readonly High?: number | undefined } | undefined;
  readonly Gender?: { readonly Value?: string | undefined; readonly Confidence?: number | undefined } | undefined;
  readonly Smile?: BooleanAttributeLike | undefined;
  readonly Eyeglasses?: BooleanAttributeLike | undefined;
  readonly Sunglasses?: BooleanAttributeLike | undefined;
  readonly Beard?: BooleanAttributeLike | undefined;
  readonly Mustache?: BooleanAttributeLike | undefined;
  readonly EyesOpen?: BooleanAttributeLike | undefined;
  readonly MouthOpen?: BooleanAttributeLike | undefined;
}

/** Anything with an optional `Face`, e.g. `FaceDetection`. */
export interface DetectionLike {
  readonly Face?: FaceLike | undefined;
}

/** A running mean's state. */
export interface MeanAccumulator {
  sum: number;
  count: number;
}

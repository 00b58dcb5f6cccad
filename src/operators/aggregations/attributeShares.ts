import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectNumber } from '../../internal/validate.js';
import type { WindowAggregate } from '../../core/windows/windowTypes.js';
import type { DetectionLike } from './faceShapes.js';

/** The boolean face attributes Rekognition reports with `FaceAttributes: 'ALL'`. */
export type BooleanFaceAttribute = 'Smile' | 'Eyeglasses' | 'Sunglasses' | 'Beard' | 'Mustache' | 'EyesOpen' | 'MouthOpen';

/** Attributes {@link attributeShares} can summarise. */
export type FaceAttributeName = BooleanFaceAttribute | 'Gender';

/** Every attribute {@link attributeShares} knows, in output order. */
export const FACE_ATTRIBUTE_NAMES: readonly FaceAttributeName[] = Object.freeze([
  'Smile',
  'Eyeglasses',
  'Sunglasses',
  'Beard',
  'Mustache',
  'EyesOpen',
  'MouthOpen',
  'Gender',
] as const);

/** Shares (0–1) per attribute; `null` when no face in the window reported the attribute. */
export type AttributeShares = { readonly [A in BooleanFaceAttribute]?: number | null } & {
  /** Shares of `Female` and `Male` among faces with a gender. */
  readonly Gender?: { readonly Female: number; readonly Male: number } | null;
};

/** Options of {@link attributeShares}. */
export interface AttributeSharesOptions {
  /**
   * Which attributes to summarise.
   * @default every attribute in FACE_ATTRIBUTE_NAMES
   */
  readonly attributes?: readonly FaceAttributeName[];
  /**
   * Ignore an attribute value whose `Confidence` (0–100) is below this.
   * @default 0
   */
  readonly minConfidence?: number;
}

/**
 * Share of faces with each attribute in a window: e.g. `Smile: 0.4` means 40 % of the faces that reported
 * `Smile` were smiling; `Gender` gives the `Female`/`Male` shares. Needs `FaceAttributes: 'ALL'` detections.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { attributeShares, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0, Face: { Smile: { Value: true, Confidence: 99 } } }, { Timestamp: 5, Face: { Smile: { Value: false, Confidence: 98 } } }])
 *   .pipe(tumblingWindow(1000, { aggregate: attributeShares({ attributes: ['Smile'] }) }))
 *   .subscribe((w) => console.log(w.value)); // { Smile: 0.5 }
 * ```
 * @throws InvalidParameterError For an unknown attribute name or a bad `minConfidence`.
 */
export function attributeShares(
  options: AttributeSharesOptions = {},
): WindowAggregate<DetectionLike, Float64Array, AttributeShares> {
  const names = options.attributes ?? FACE_ATTRIBUTE_NAMES;
  if (!Array.isArray(names) || names.length === 0) {
    throw new InvalidParameterError('attributes', 'a non-empty array of face attribute names', names);
  }
  for (const name of names) {
    if (!FACE_ATTRIBUTE_NAMES.includes(name)) {
      throw new InvalidParameterError('attributes', `names from ${FACE_ATTRIBUTE_NAMES.join(', ')}`, name);
    }
  }
  const attributes: FaceAttributeName[] = [...names];
  const minConfidence = expectNumber('minConfidence', options.minConfidence ?? 0, 0, 100);
  const n = attributes.length;
  // Two slots per attribute: hits (true, or Female), then reports (true/false, or Female/Male).
  return {
    create: () => new Float64Array(2 * n),
    add: (acc, d) => {
      const face = d.Face;
      if (face === undefined) return acc;
      for (let i = 0; i < n; i++) {
        const name = attributes[i]!;
        const attribute = face[name];
        if (attribute === undefined || (attribute.Confidence ?? 100) < minConfidence) continue;
        const value = attribute.Value;
        if (name === 'Gender') {
          if (value !== 'Female' && value !== 'Male') continue;
          if (value === 'Female') acc[2 * i]!++;
        } else {
          if (typeof value !== 'boolean') continue;
          if (value) acc[2 * i]!++;
        }
        acc[2 * i + 1]!++;
      }
      return acc;
    },
    merge: (a, b) => {
      for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
      return a;
    },
    result: (acc) => {
      const shares: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const hits = acc[2 * i]!;
        const reports = acc[2 * i + 1]!;
        const name = attributes[i]!;
        if (reports === 0) shares[name] = null;
        else if (name === 'Gender') shares[name] = { Female: hits / reports, Male: 1 - hits / reports };
        else shares[name] = hits / reports;
      }
      return shares as AttributeShares;
    },
  };
}

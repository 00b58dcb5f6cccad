/**
 * `Faces` arrays backed by the response bytes: the detections of a canonical page (see `canonicalFaces`) stay
 * bytes until an element is read, when it is parsed (and kept). A writer of NDJSON/JSON reads the bytes instead
 * ({@link rawFaceBytes}) and never builds the objects.
 *
 * @module
 */
import type { FaceDetection } from '../../types.js';
import type { CanonicalFaces } from './canonicalFaces.js';
import { FACE_DETECTION_SHAPE } from './canonicalFaces.js';
import { readShape } from './readShape.js';

const RAW = Symbol.for('rekognition-face-stream.rawFaces');

/** The bytes of a page's detections: detection i is `bytes[starts[i]..ends[i])`, exactly its `JSON.stringify`. */
export interface RawFaceBytes {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** The bytes behind `faces` when it is a byte-backed array from {@link lazyFaces}, else `undefined`. */
export function rawFaceBytes(faces: readonly FaceDetection[]): RawFaceBytes | undefined {
  return (faces as unknown as { [RAW]?: RawFaceBytes })[RAW];
}

/**
 * An array of the detections at `found` in `bytes` that behaves as a plain array of `FaceDetection` objects
 * (index, length, iteration, `slice`, `JSON.stringify`, …): each element is parsed on first access.
 */
export function lazyFaces(bytes: Uint8Array, found: CanonicalFaces): FaceDetection[] {
  const raw: RawFaceBytes = { bytes, starts: found.starts, ends: found.ends };
  const count = found.starts.length;
  const target = new Array<FaceDetection>(count);
  const indexOf = (key: string | symbol): number => {
    if (typeof key !== 'string') return -1;
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < count && String(i) === key ? i : -1;
  };
  const materialise = (i: number): void => {
    if (Object.prototype.hasOwnProperty.call(target, i)) return;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + raw.starts[i]!, raw.ends[i]! - raw.starts[i]!).toString('latin1');
    target[i] = readShape(FACE_DETECTION_SHAPE, JSON.parse(text)) as FaceDetection;
  };
  return new Proxy(target, {
    get(t, key, receiver) {
      if (key === RAW) return raw;
      const i = indexOf(key);
      if (i >= 0) materialise(i);
      return Reflect.get(t, key, receiver) as unknown;
    },
    has(t, key) {
      return key === RAW || indexOf(key) >= 0 || Reflect.has(t, key);
    },
    getOwnPropertyDescriptor(t, key) {
      const i = indexOf(key);
      if (i >= 0) materialise(i);
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    ownKeys(t) {
      for (let i = 0; i < count; i++) materialise(i);
      return Reflect.ownKeys(t);
    },
  });
}

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

const TIMESTAMP_PREFIX = Buffer.from('{"Timestamp":', 'latin1');

/**
 * The largest numeric `Timestamp` of `faces` (`-Infinity` when none): read from the bytes, without parsing the
 * detections, when `faces` is byte-backed and a detection starts with a plain integer timestamp (the usual case);
 * else from the objects.
 */
export function maxTimestamp(faces: readonly FaceDetection[]): number {
  const raw = rawFaceBytes(faces);
  let max = -Infinity;
  for (let i = 0; i < faces.length; i++) {
    const at = raw === undefined ? faces[i]!.Timestamp : rawTimestamp(raw, i);
    if (typeof at === 'number' && at > max) max = at;
  }
  return max;

  function rawTimestamp({ bytes, starts }: RawFaceBytes, i: number): number | undefined {
    if (prefixMatches(bytes, starts[i]!)) {
      const from = starts[i]! + TIMESTAMP_PREFIX.length;
      let j = from;
      let value = 0;
      // (at most 15 digits: exact as a double, and the canonical text of that integer)
      for (let c = bytes[j]!; c >= 0x30 && c <= 0x39 && j - from < 15; c = bytes[++j]!) value = value * 10 + (c - 0x30);
      const after = bytes[j];
      if (j > from && (after === 0x2c || after === 0x7d)) return value; // `,` or `}`
    }
    return faces[i]!.Timestamp;
  }
}

function prefixMatches(bytes: Uint8Array, start: number): boolean {
  for (let k = 0; k < TIMESTAMP_PREFIX.length; k++) if (bytes[start + k] !== TIMESTAMP_PREFIX[k]) return false;
  return true;
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

/**
 * Finds, in a `GetFaceDetection` body, the byte range of each `FaceDetection` of `Faces`, provided every one of
 * them is in canonical form: exactly the bytes `JSON.stringify` gives for the object the SDK (and the fast
 * parser) would build from it. Then a writer of NDJSON/JSON may copy those bytes instead of parsing and
 * re-serialising them; otherwise (`undefined`) the page must go the object way.
 *
 * Canonical means: no whitespace; known members only, in model order, none repeated, none `null`; each value of
 * its member's JSON type (object, array, number, string or boolean); strings of printable ASCII without escapes;
 * numbers whose text is the text `JSON.stringify` prints for the number they denote. The number test is exact:
 * - up to 15 significant digits, fixed notation with no leading or trailing zeros, at least 1e-6: canonical
 *   (two such decimals never round to the same double, so it is its own shortest representation);
 * - 16–17 digits (a float32 widened to double, as the service sends them): canonical when it is byte for byte
 *   the text of the float32 nearest to it (`writeFloat32Digits`, itself exact);
 * - anything else (exponents, integers beyond 15 digits, …): `JSON.stringify(Number(text)) === text`.
 *
 * @module
 */
import { writeFloat32Digits } from '../../emulator/protocol/float32Digits.js';
import { GET_FACE_DETECTION_RESPONSE, N, S, type Shape } from './shapes.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './jsonBytes.js';

/** Where the detections of a canonical page are. */
export interface CanonicalFaces {
  /** Byte offset of the `[` of `Faces` and of the byte after its `]`. */
  readonly arrayStart: number;
  readonly arrayEnd: number;
  /** `starts[i]`, `ends[i]`: the bytes of detection i (`ends` exclusive). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** A shape compiled for byte scanning. */
type Compiled = typeof N | typeof S | CompiledStruct | CompiledList;
interface CompiledStruct {
  readonly kind: 'struct';
  readonly names: readonly Uint8Array[];
  readonly shapes: readonly Compiled[];
}
interface CompiledList {
  readonly kind: 'list';
  readonly member: Compiled;
}

function compile(shape: Shape): Compiled {
  if (shape === N || shape === S) return shape;
  if (shape.kind === 'list') return { kind: 'list', member: compile(shape.member) };
  return {
    kind: 'struct',
    names: shape.members.map(([name]) => new Uint8Array(Buffer.from(name, 'latin1'))),
    shapes: shape.members.map(([, member]) => compile(member)),
  };
}

const FACES_SHAPE = GET_FACE_DETECTION_RESPONSE.members.find(([name]) => name === 'Faces')![1];
/** `FaceDetection`. */
export const FACE_DETECTION_SHAPE: Shape = FACES_SHAPE !== N && FACES_SHAPE !== S && FACES_SHAPE.kind === 'list' ? FACES_SHAPE.member : S;
const FACE_DETECTION = compile(FACE_DETECTION_SHAPE);
const FACES_KEY = Buffer.from('"Faces"', 'latin1');

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
const scratch = new Uint8Array(40);

let starts: Int32Array = new Int32Array(1024);
let ends: Int32Array = new Int32Array(1024);

/**
 * The detections of `body` when every one is canonical (see the module doc), or `undefined` (parse the page
 * instead) — also when the body is not a JSON object with exactly one `Faces` array. The rest of the body is
 * not checked here: the caller parses it.
 */
export function canonicalFaces(body: Uint8Array): CanonicalFaces | undefined {
  const n = body.length;
  let i = skipSpace(body, 0);
  if (body[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(body, i + 1);
  if (body[i] === CLOSE_BRACE) return undefined;
  let found: CanonicalFaces | undefined;
  for (;;) {
    if (body[i] !== QUOTE) return undefined;
    const keyStart = i;
    i = skipString(body, i);
    if (i < 0) return undefined;
    const isFaces = i - keyStart === FACES_KEY.length && equalBytes(body, keyStart, FACES_KEY);
    i = skipSpace(body, i);
    if (body[i] !== COLON) return undefined;
    i = skipSpace(body, i + 1);
    if (isFaces) {
      if (found !== undefined || body[i] !== OPEN_BRACKET) return undefined;
      const scanned = scanFaces(body, i);
      if (scanned === undefined) return undefined;
      found = scanned;
      i = scanned.arrayEnd;
    } else {
      i = skipValue(body, i);
      if (i < 0) return undefined;
    }
    i = skipSpace(body, i);
    if (body[i] === COMMA) {
      i = skipSpace(body, i + 1);
      continue;
    }
    if (body[i] !== CLOSE_BRACE) return undefined;
    return skipSpace(body, i + 1) === n ? found : undefined;
  }
}

function scanFaces(body: Uint8Array, at: number): CanonicalFaces | undefined {
  let i = skipSpace(body, at + 1);
  let count = 0;
  if (body[i] !== CLOSE_BRACKET) {
    for (;;) {
      if (count === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[count] = i;
      i = scanValue(body, i, FACE_DETECTION);
      if (i < 0) return undefined;
      ends[count++] = i;
      i = skipSpace(body, i);
      if (body[i] === COMMA) {
        i = skipSpace(body, i + 1);
        continue;
      }
      if (body[i] !== CLOSE_BRACKET) return undefined;
      break;
    }
  }
  return { arrayStart: at, arrayEnd: i + 1, starts: starts.slice(0, count), ends: ends.slice(0, count) };
}

function grow(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/** Scans a canonical value of `shape` at `i`; returns the position after it, or -1. */
function scanValue(body: Uint8Array, i: number, shape: Compiled): number {
  if (shape === N) return scanNumber(body, i);
  if (shape === S) {
    const c = body[i];
    if (c === QUOTE) return scanPlainString(body, i);
    if (c === 0x74) return literal(body, i, TRUE); // true
    if (c === 0x66) return literal(body, i, FALSE); // false
    return -1;
  }
  if (shape.kind === 'list') {
    if (body[i] !== OPEN_BRACKET) return -1;
    i++;
    if (body[i] === CLOSE_BRACKET) return i + 1;
    for (;;) {
      i = scanValue(body, i, shape.member);
      if (i < 0) return -1;
      const c = body[i];
      if (c === COMMA) i++;
      else return c === CLOSE_BRACKET ? i + 1 : -1;
    }
  }
  if (body[i] !== OPEN_BRACE) return -1;
  i++;
  if (body[i] === CLOSE_BRACE) return i + 1;
  const names = shape.names;
  const count = names.length;
  let member = 0;
  for (;;) {
    if (body[i] !== QUOTE) return -1;
    // The key: the next member in model order that matches (members may be absent, never reordered).
    let matched = -1;
    for (; member < count; member++) {
      const name = names[member]!;
      const end = i + 1 + name.length;
      if (body[end] === QUOTE && equalBytes(body, i + 1, name)) {
        matched = member;
        i = end + 1;
        break;
      }
    }
    if (matched < 0 || body[i] !== COLON) return -1;
    i = scanValue(body, i + 1, shape.shapes[matched]!);
    if (i < 0) return -1;
    member = matched + 1;
    const c = body[i];
    if (c === COMMA) i++;
    else return c === CLOSE_BRACE ? i + 1 : -1;
  }
}

const TRUE = new Uint8Array(Buffer.from('true'));
const FALSE = new Uint8Array(Buffer.from('false'));

function literal(body: Uint8Array, i: number, word: Uint8Array): number {
  return equalBytes(body, i, word) ? i + word.length : -1;
}

function equalBytes(body: Uint8Array, at: number, bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (at + n > body.length) return false;
  for (let j = 0; j < n; j++) if (body[at + j] !== bytes[j]) return false;
  return true;
}

/** A string of printable ASCII without escapes (what `JSON.stringify` prints as it is). */
function scanPlainString(body: Uint8Array, i: number): number {
  const n = body.length;
  for (i++; i < n; i++) {
    const c = body[i]!;
    if (c === QUOTE) return i + 1;
    if (c < 0x20 || c > 0x7e || c === BACKSLASH) return -1;
  }
  return -1;
}

/** A number whose text is `JSON.stringify` of its value; returns the position after it, or -1. */
function scanNumber(body: Uint8Array, i: number): number {
  const start = i;
  const negative = body[i] === MINUS;
  if (negative) i++;
  let c = body[i]!;
  if (c < ZERO || c > NINE) return -1;
  let digits = 0; // significant digits
  // The significant digits: the first 8 in `head`, the next ones (up to 9 exactly) in `tail`.
  let head = 0;
  let tail = 0;
  let leadingZeros = 0; // zeros after "0." before the first significant digit
  const intStart = i;
  if (c === ZERO) {
    i++;
  } else {
    for (; c >= ZERO && c <= NINE; c = body[++i]!) {
      if (digits < 8) head = head * 10 + (c - ZERO);
      else tail = tail * 10 + (c - ZERO);
      digits++;
    }
  }
  const intDigits = i - intStart;
  let fraction = 0;
  c = body[i]!;
  if (c === DOT) {
    c = body[++i]!;
    if (c < ZERO || c > NINE) return -1;
    for (; c >= ZERO && c <= NINE; c = body[++i]!) {
      fraction++;
      if (digits === 0 && c === ZERO) leadingZeros++;
      else {
        if (digits < 8) head = head * 10 + (c - ZERO);
        else tail = tail * 10 + (c - ZERO);
        digits++;
      }
    }
    if (body[i - 1] === ZERO) return -1; // a trailing zero: never printed
  }
  if (c === 0x65 || c === 0x45) return generic(body, start, skipExponent(body, i)); // e, E
  if (digits === 0) return negative || fraction > 0 ? -1 : i; // "0" only (not "-0", "0.0")
  if (digits <= 15) {
    // Fixed notation from 1e-6 (five zeros after the point) up; integers of ≤ 15 digits.
    return intDigits === 1 && body[intStart] === ZERO && leadingZeros > 5 ? -1 : i;
  }
  if (fraction > 0 && fraction < POW10.length && digits <= 17) {
    const a = Math.fround((head * POW10[digits - 8]! + tail) / POW10[fraction]!);
    if (digits >= 16 && leadingZeros <= 5 && isFloat32Text(a, fraction, digits, head, tail, body[i - 1]! - ZERO)) return i;
    const f = negative ? -a : a;
    const end = writeFloat32Digits(scratch, 0, f);
    if (end === i - start) {
      let same = true;
      for (let j = 0; j < end; j++) {
        if (scratch[j] !== body[start + j]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
  }
  return generic(body, start, i);
}

/** 10^f (f ≤ 22, exact) split as `HI + LO`: HI of at most 29 significant bits, so that a float32 times either is exact. */
const POW10_HI = Float64Array.from(POW10, (t) => {
  const unit = 2 ** Math.max(0, Math.floor(Math.log2(t)) + 1 - 29);
  return Math.floor(t / unit) * unit;
});
const POW10_LO = Float64Array.from(POW10, (t, f) => t - POW10_HI[f]!);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Absolute error bound of the distances below (in units of the text's last digit; the arithmetic errs < 1e-6). */
const SLACK = 1e-4;

/** Half the spacing of doubles in [2^(e − 127), 2^(e − 126)), by the float32 exponent field e. */
const HALF_SPACING = Float64Array.from({ length: 256 }, (_, e) => 2 ** (e - 127 - 53));

/**
 * Whether a fixed-notation text of 16–17 significant digits (`head`: the first 8, `tail`: the rest), `fraction`
 * ≥ 1 of them after the point, no trailing zero, last digit `last`, ≥ 1e-6, is certainly `JSON.stringify` of the
 * float32 value `a` (> 0; the text's value rounded to float32): the fast test for the numbers the service sends,
 * in a few double operations instead of printing `a` (`writeFloat32Digits`). `false` means "not shown here" (the
 * caller then tests exactly), not "not canonical".
 *
 * In units u of the text's last digit, with D the text's digits as an integer and δ = D − a·10^fraction (exact
 * to < 1e-6: D in two exact halves, a·10^fraction as two exact products): the text is the shortest, closest
 * decimal of the double `a` when (1) it rounds to `a` (|δ| below half the double's spacing h), (2) no decimal of
 * fewer digits (a multiple of 10 u) is within h of `a`, and (3) no other decimal of as many digits is closer
 * (|δ| < 1/2). Cases within 1e-4 u of a bound, and powers of two (asymmetric interval), are left to the caller.
 */
function isFloat32Text(a: number, fraction: number, digits: number, head: number, tail: number, last: number): boolean {
  f32[0] = a;
  const bits = u32[0]!;
  if (f32[0] !== a || !(a >= 1e-6 && a < 16777216) || (bits & 0x7fffff) === 0) return false;
  // D = high·10^9 + low, both exact (high < 10^8).
  let high = head;
  let low = tail;
  if (digits === 16) {
    high = Math.floor(head / 10);
    low = (head - high * 10) * 1e8 + tail;
  }
  // δ = D − a·10^f: high·10^9 and a·HI are within a factor 2 of each other, so their difference is exact.
  const delta = high * 1e9 - a * POW10_HI[fraction]! + (low - a * POW10_LO[fraction]!);
  const h = HALF_SPACING[(bits >>> 23) & 0xff]! * POW10[fraction]!;
  const distance = delta < 0 ? -delta : delta;
  if (!(distance < h - SLACK && distance < 0.5 - SLACK)) return false;
  // Distance from a·10^f to the nearest multiple of 10 (a decimal with one digit less): from last − δ ∈ (−½, 9½).
  let r = last - delta;
  if (r < 0) r += 10;
  return (r < 10 - r ? r : 10 - r) > h + SLACK;
}

function skipExponent(body: Uint8Array, i: number): number {
  i++;
  if (body[i] === 0x2b || body[i] === MINUS) i++;
  const digitsFrom = i;
  while (body[i]! >= ZERO && body[i]! <= NINE) i++;
  return i > digitsFrom ? i : -1;
}

/** The exact test: the number's text equals `JSON.stringify` of its value. */
function generic(body: Uint8Array, start: number, end: number): number {
  if (end < 0) return -1;
  const text = Buffer.from(body.buffer, body.byteOffset + start, end - start).toString('latin1');
  return JSON.stringify(Number(text)) === text ? end : -1;
}

function skipSpace(body: Uint8Array, i: number): number {
  for (;;) {
    const c = body[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Skips a JSON string at `i` (escape-aware); returns the position after its closing quote, or -1. */
function skipString(body: Uint8Array, i: number): number {
  const n = body.length;
  for (i++; i < n; i++) {
    const c = body[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/**
 * Skips any JSON value at `i` (strings escape-aware, nesting counted); returns the position after it, or -1.
 * Not a validator: the caller parses these parts.
 */
function skipValue(body: Uint8Array, i: number): number {
  const n = body.length;
  let depth = 0;
  while (i < n) {
    const c = body[i]!;
    if (c === QUOTE) {
      i = skipString(body, i);
      if (i < 0) return -1;
      if (depth === 0) return i;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && c === COMMA) {
      return i;
    }
    i++;
  }
  return depth === 0 ? i : -1;
}

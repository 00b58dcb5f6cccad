/**
 * `JSON.parse` of a large `GetFaceDetection` body in pieces of at most ≈ `pieceBytes`, each decoded to a string
 * of its own, with exactly the result of `JSON.parse` of the whole body.
 *
 * Why: a page of 1000 detections is ≈ 700 kB, and V8 puts a string that large in its large-object space: each
 * page's text gets freshly mapped memory (page faults, then an unmap after GC) and counts against the old
 * generation, so it also drives full (mark-compact) collections. Decoding it was ≈ 40 % of parsing a page on our
 * 2-core machine — more than `JSON.parse` itself costs per byte; 64 kB strings are ordinary young objects (≈ 40×
 * cheaper to decode, measured). The floor (`Buffer.concat` + `toString` + `JSON.parse`) pays the full price.
 *
 * How, and why it is exact: the body is cut at `},{"Timestamp":` (between two detections, in the form the
 * service and the emulator write) about every `pieceBytes`; each piece is parsed as `[piece]`, and the rest of
 * the body as itself with `Faces` emptied. That is JSON.parse of the whole body, provided
 * 1. the `[` we start from opens the value of the top-level key `Faces` — checked by a structural scan of the
 *    bytes before it (strings and nesting tracked; a key with an escape in it gives up, as it might spell
 *    `Faces`), and no other top-level `Faces` key follows (scan of the bytes after the array's end: the last one
 *    would win in `JSON.parse`);
 * 2. every cut is a comma between two elements of that array, and the `]` taken as its end is its end: each
 *    piece starts at the array's nesting level, so if one of them ended anywhere else (inside an element, in a
 *    string, after the array) it would not parse as `[piece]` — by induction, all pieces parsing proves every
 *    cut and the end;
 * 3. the rest parses. Then the whole is valid JSON, and its value is the rest's with the pieces' elements as
 *    `Faces` (same key position).
 * Anything else — a cut that is not one, invalid JSON, an unusual layout — gives `undefined`, and the caller
 * parses the body whole (which reports its `SyntaxError`). Pieces end at ASCII bytes, so UTF-8 decoding per
 * piece gives the same characters as decoding the whole.
 *
 * @module
 */
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './jsonBytes.js';

/** Options of {@link parseInPieces}. */
export interface ParseInPiecesOptions {
  /**
   * Approximate size of a piece in bytes; a piece ends at the first cut after this many bytes. Keep a piece well
   * under 128 kB (V8's largest regular object).
   * @default 64 KiB
   */
  readonly pieceBytes?: number;
}

const CUT = Buffer.from('},{"Timestamp":', 'latin1');
const ARRAY_END = Buffer.from('}]', 'latin1');
const FACES = Buffer.from('Faces', 'latin1');


/**
 * The value of `JSON.parse(body)` when the body is a JSON object whose top-level `Faces` array can be cut into
 * pieces as described in the module doc; `undefined` when not (parse it whole instead).
 *
 * @example
 * ```ts
 * import { parseInPieces } from './parseInPieces.js';
 *
 * const body = Buffer.from('{"JobStatus":"SUCCEEDED","Faces":[{"Timestamp":0},{"Timestamp":40},{"Timestamp":80}]}');
 * console.log(parseInPieces(body, { pieceBytes: 1 })); // { JobStatus: 'SUCCEEDED', Faces: [ {…}, {…}, {…} ] }
 * ```
 */
export function parseInPieces(body: Buffer, options: ParseInPiecesOptions = {}): Record<string, unknown> | undefined {
  const pieceBytes = options.pieceBytes ?? 64 * 1024;
  const open = facesArrayStart(body);
  if (open < 0) return undefined;
  const close = body.lastIndexOf(ARRAY_END) + 1;
  if (close <= open + 1 || !noFacesAfter(body, close + 1)) return undefined;
  const faces: unknown[] = [];
  let from = open + 1;
  for (;;) {
    let cut = from + pieceBytes < close ? body.indexOf(CUT, from + pieceBytes) : -1;
    cut = cut < 0 || cut >= close ? close : cut + 1; // (the comma)
    let piece: unknown;
    try {
      piece = JSON.parse(`[${body.toString('utf8', from, cut)}]`);
    } catch {
      return undefined;
    }
    const elements = piece as unknown[];
    for (let i = 0; i < elements.length; i++) faces.push(elements[i]);
    if (cut === close) break;
    from = cut + 1;
  }
  let rest: unknown;
  try {
    rest = JSON.parse(`${body.toString('utf8', 0, open)}[]${body.toString('utf8', close + 1)}`);
  } catch {
    return undefined;
  }
  const output = rest as Record<string, unknown>;
  output.Faces = faces;
  return output;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(bytes: Buffer, i: number): number {
  while (isSpace(bytes[i])) i++;
  return i;
}

/** The index after the string that starts at `i` (a quote), or -1. */
function skipString(bytes: Buffer, i: number): number {
  for (i++; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The index after the JSON value that starts at `i`, or -1 (only its extent: `JSON.parse` validates it). */
function skipValue(bytes: Buffer, i: number): number {
  const first = bytes[i];
  if (first === QUOTE) return skipString(bytes, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    while (i < bytes.length) {
      const c = bytes[i]!;
      if (c === QUOTE) {
        i = skipString(bytes, i);
        if (i < 0) return -1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
      i++;
    }
    return -1;
  }
  const start = i;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
    i++;
  }
  return i > start ? i : -1;
}

/**
 * Reads the key that starts at `i` (a quote) and the colon after it: returns the index of the value and whether
 * the key is `Faces`, or `undefined` (not a key, or a key with an escape).
 */
function readKey(bytes: Buffer, i: number): { readonly value: number; readonly faces: boolean } | undefined {
  if (bytes[i] !== QUOTE) return undefined;
  let end = i + 1;
  for (; end < bytes.length && bytes[end] !== QUOTE; end++) if (bytes[end] === BACKSLASH) return undefined;
  if (end++ >= bytes.length) return undefined;
  const colon = skipSpace(bytes, end);
  if (bytes[colon] !== COLON) return undefined;
  const faces = end - i - 2 === FACES.length && bytes.compare(FACES, 0, FACES.length, i + 1, end - 1) === 0;
  return { value: skipSpace(bytes, colon + 1), faces };
}

/** The index of the `[` opening the value of the first top-level `Faces` key, or -1. */
function facesArrayStart(bytes: Buffer): number {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) return -1;
  i = skipSpace(bytes, i + 1);
  for (;;) {
    const key = readKey(bytes, i);
    if (key === undefined) return -1;
    if (key.faces) return bytes[key.value] === OPEN_BRACKET ? key.value : -1;
    i = skipValue(bytes, key.value);
    if (i < 0) return -1;
    i = skipSpace(bytes, i);
    if (bytes[i] !== COMMA) return -1;
    i = skipSpace(bytes, i + 1);
  }
}

/** Whether the top-level members from `i` (just after the `Faces` array) to the end hold no other `Faces` key. */
function noFacesAfter(bytes: Buffer, i: number): boolean {
  for (;;) {
    i = skipSpace(bytes, i);
    if (bytes[i] === CLOSE_BRACE) return skipSpace(bytes, i + 1) === bytes.length;
    if (bytes[i] !== COMMA) return false;
    const key = readKey(bytes, skipSpace(bytes, i + 1));
    if (key === undefined || key.faces) return false;
    i = skipValue(bytes, key.value);
    if (i < 0) return false;
  }
}

/**
 * A JSON writer for the emulator's plain response objects (objects, arrays, strings, booleans, numbers on a
 * 1e-7 grid and float32 values), byte for byte what `JSON.stringify` produces, but printing numbers digit by
 * digit.
 *
 * @module
 */
import { ByteWriter, fragment } from './ByteWriter.js';

const SCALE = 1e7;
const DIGITS = 7;
/** Largest magnitude whose 1e-7 multiple fits in 31 bits. */
const LIMIT = 2 ** 31 / SCALE;

const OPEN_OBJECT = fragment('{');
const CLOSE_OBJECT = fragment('}');
const OPEN_ARRAY = fragment('[');
const CLOSE_ARRAY = fragment(']');
const COMMA = fragment(',');
const TRUE = fragment('true');
const FALSE = fragment('false');
const NULL = fragment('null');
const firstKeys = new Map<string, Uint8Array>();
const nextKeys = new Map<string, Uint8Array>();
const QUOTE = fragment('"');

/** Appends the JSON of `value` to `out`; members that are `undefined` are left out, as `JSON.stringify` does. */
export function writeJson(out: ByteWriter, value: unknown): void {
  switch (typeof value) {
    case 'number':
      if (value < LIMIT && value > -LIMIT && Math.round(value * SCALE) / SCALE === value) out.decimal(value, SCALE, DIGITS);
      else if (Math.fround(value) === value) out.float32(value);
      else out.text(JSON.stringify(value));
      return;
    case 'boolean':
      out.bytes(value ? TRUE : FALSE);
      return;
    case 'string':
      writeString(out, value);
      return;
    case 'object':
      if (value === null) {
        out.bytes(NULL);
      } else if (Array.isArray(value)) {
        out.bytes(OPEN_ARRAY);
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.bytes(COMMA);
          writeJson(out, value[i]);
        }
        out.bytes(CLOSE_ARRAY);
      } else {
        out.bytes(OPEN_OBJECT);
        let first = true;
        for (const key in value) {
          const member = (value as Record<string, unknown>)[key];
          if (member === undefined || typeof member === 'function') continue;
          out.bytes(keyFragment(key, first));
          first = false;
          writeJson(out, member);
        }
        out.bytes(CLOSE_OBJECT);
      }
      return;
    default:
      out.text(JSON.stringify(value) ?? 'null');
  }
}

/** `"key":` (with a leading comma unless first), encoded once per key. */
function keyFragment(key: string, first: boolean): Uint8Array {
  const cache = first ? firstKeys : nextKeys;
  let bytes = cache.get(key);
  if (!bytes) {
    bytes = fragment(`${first ? '' : ','}${JSON.stringify(key)}:`);
    if (cache.size < 1024) cache.set(key, bytes);
  }
  return bytes;
}

/** A string: plain ASCII (the enum names) byte by byte, anything else through `JSON.stringify`. */
function writeString(out: ByteWriter, value: string): void {
  const n = value.length;
  if (n > 64) {
    out.text(JSON.stringify(value));
    return;
  }
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      out.text(JSON.stringify(value));
      return;
    }
  }
  out.bytes(QUOTE);
  out.ascii(value);
  out.bytes(QUOTE);
}

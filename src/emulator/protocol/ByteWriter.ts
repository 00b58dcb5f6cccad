/**
 * A growable byte buffer for building JSON response bodies without intermediate strings: constant fragments
 * are copied, integers and fixed-decimal numbers are written digit by digit.
 *
 * @module
 */

/** Pre-encodes an ASCII/UTF-8 constant fragment for {@link ByteWriter.bytes}. */
export function fragment(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

import { writeFloat32Digits } from './float32Digits.js';

const digitsScratch = new Uint8Array(24);

/** Builds a body; `finish()` returns the bytes written. */
export class ByteWriter {
  #buf: Buffer;
  #pos = 0;

  constructor(capacity = 4096) {
    this.#buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  /** Appends a pre-encoded fragment. */
  bytes(data: Uint8Array): void {
    const n = data.length;
    this.reserve(n);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < n; i++) buf[pos++] = data[i]!;
    this.#pos = pos;
  }

  /** Appends a string of ASCII characters (the caller guarantees it), byte by byte. */
  ascii(value: string): void {
    const n = value.length;
    this.reserve(n);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < n; i++) buf[pos++] = value.charCodeAt(i);
    this.#pos = pos;
  }

  /** Appends a string as UTF-8. */
  text(value: string): void {
    this.reserve(value.length * 3);
    this.#pos += this.#buf.write(value, this.#pos, 'utf8');
  }

  /** Appends a non-negative safe integer. */
  integer(value: number): void {
    this.reserve(20);
    const buf = this.#buf;
    if (value < 10) {
      buf[this.#pos++] = 48 + value;
      return;
    }
    let n = 0;
    if (value < 2147483648) {
      // Small integers (the common case): 32-bit arithmetic.
      let v = value | 0;
      while (v > 0) {
        const q = (v / 10) | 0;
        digitsScratch[n++] = 48 + v - q * 10;
        v = q;
      }
    } else {
      while (value > 0) {
        const q = Math.floor(value / 10);
        digitsScratch[n++] = 48 + value - q * 10;
        value = q;
      }
    }
    let pos = this.#pos;
    while (n > 0) buf[pos++] = digitsScratch[--n]!;
    this.#pos = pos;
  }

  /**
   * Appends `value`, already rounded to `digits` decimals (`scale` = 10^digits), exactly as `JSON.stringify`
   * prints it (no trailing zeros; exponent notation left to `Number#toString` below 1e-6). `|value| × scale`
   * must stay below 2^31.
   */
  decimal(value: number, scale: number, digits: number): void {
    if (value < 1e-6 && value > -1e-6) {
      if (value === 0) {
        this.reserve(1);
        this.#buf[this.#pos++] = 48;
      } else {
        this.text('' + value);
      }
      return;
    }
    this.reserve(24);
    const buf = this.#buf;
    let n = Math.round(value * scale) | 0;
    if (n < 0) {
      buf[this.#pos++] = 45; // '-'
      n = -n;
    }
    const whole = (n / scale) | 0;
    let fraction = n - whole * scale;
    this.integer(whole);
    if (fraction === 0) return;
    let width = digits;
    let q = (fraction / 10) | 0;
    while (fraction === q * 10) {
      fraction = q;
      q = (fraction / 10) | 0;
      width--;
    }
    let pos = this.#pos;
    buf[pos++] = 46; // '.'
    for (let i = width - 1; i >= 0; i--) {
      q = (fraction / 10) | 0;
      buf[pos + i] = 48 + fraction - q * 10;
      fraction = q;
    }
    this.#pos = pos + width;
  }

  /**
   * Appends `Math.fround(value)` as the real service prints its float fields (a float32 widened to a double,
   * e.g. `0.23000000417232513`): exactly `JSON.stringify(Math.fround(value))`, digit by digit in the common case.
   */
  float32(value: number): void {
    const f = Math.fround(value);
    this.reserve(32);
    const end = writeFloat32Digits(this.#buf, this.#pos, f);
    if (end >= 0) this.#pos = end;
    else if (f >= 0 && f < 2147483648 && Math.floor(f) === f && !Object.is(f, -0)) this.integer(f);
    else this.text(JSON.stringify(f));
  }

  /** The bytes written (a view of the internal buffer; the writer must not be used afterwards). */
  finish(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }
}

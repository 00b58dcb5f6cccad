/**
 * Digit-by-digit printing of float32 values widened to doubles, the way the real service's numbers look
 * (`0.23000000417232513`): exactly the text `JSON.stringify(Math.fround(x))` gives (the shortest decimal that
 * reads back as the same double, closest to it), about three times faster than `Number#toString` for the
 * 16–17 digits these values need.
 *
 * Method: a float32 `m × 2^-k` (24-bit `m`) is the decimal `P / 10^k` with `P = m × 5^k`, an integer computed
 * exactly in base-10^7 limbs. The double's rounding interval is `P ± 5^k / 2^30` (half of the lower side when `m`
 * is a power of two). The shortest prefix of `P`'s digits that, rounded down or up, stays inside the interval is
 * the answer. The interval test is done in doubles; the (never exact, vanishingly rare) cases too close to call
 * are handed back to the caller (`-1`), as are values outside `[1e-6, 2^24)` and integers.
 *
 * @module
 */

const LIMB = 1e7;
const LIMB_DIGITS = 7;
/** Largest `k` handled: covers every float32 ≥ 1e-6. */
const MAX_K = 44;

/** 5^k in base-10^7 limbs, least significant first. */
const POW5: readonly Float64Array[] = (() => {
  const table: Float64Array[] = [];
  let limbs = [1];
  for (let k = 0; k <= MAX_K; k++) {
    table.push(Float64Array.from(limbs));
    const next: number[] = [];
    let carry = 0;
    for (const limb of limbs) {
      const v = limb * 5 + carry;
      carry = Math.floor(v / LIMB);
      next.push(v - carry * LIMB);
    }
    if (carry > 0) next.push(carry);
    limbs = next;
  }
  return table;
})();
/** 5^k as a double (rounded), for the interval test. */
const POW5_APPROX = Float64Array.from({ length: MAX_K + 1 }, (_, k) => 5 ** k);
/** 10^i as doubles. */
const POW10 = Float64Array.from({ length: 64 }, (_, i) => 10 ** i);

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const limbs = new Float64Array(8);
const digits = new Uint8Array(64);
/** tails[i] = digits[i..] as an integer: how far P is above its prefix of length i rounded down. */
const tails = new Float64Array(64);
/** ups[i] = 10^(count - i) - tails[i]: how far P is below its prefix of length i rounded up (no cancellation). */
const ups = new Float64Array(64);

/** Smallest magnitude printed here; below it JSON uses exponent notation. */
const MIN = 1e-6;
/** Largest magnitude (exclusive) printed here. */
const MAX = 2 ** 24;
/** Relative margin under which an interval test is too close to call in doubles. */
const MARGIN = 1e-9;

/**
 * Writes `JSON.stringify(value)` of a float32-valued double `value` (`Math.fround(value) === value`) into `buf`
 * at `pos` and returns the position after it; returns -1, writing nothing, when the value is outside
 * `[1e-6, 2^24)` in magnitude, an integer, or a case too close to call (the caller then prints it some other
 * way). `buf` needs 26 free bytes.
 */
export function writeFloat32Digits(buf: Uint8Array, pos: number, value: number): number {
  const negative = value < 0;
  const a = negative ? -value : value;
  if (!(a >= MIN && a < MAX) || Math.floor(a) === a) return -1;
  f32[0] = a;
  const bits = u32[0]!;
  if (f32[0] !== a) return -1; // not a float32
  const m = (bits & 0x7fffff) | 0x800000;
  const k = 150 - (bits >>> 23); // a = m × 2^-k
  if (k < 1 || k > MAX_K) return -1;

  // P = m × 5^k, exactly, in limbs.
  const pow = POW5[k]!;
  let n = 0;
  let carry = 0;
  for (let i = 0; i < pow.length; i++) {
    const v = m * pow[i]! + carry;
    carry = Math.floor(v / LIMB);
    limbs[n++] = v - carry * LIMB;
  }
  while (carry > 0) {
    const q = Math.floor(carry / LIMB);
    limbs[n++] = carry - q * LIMB;
    carry = q;
  }
  // The leading digits of P (at least 18, from whole limbs), most significant first; the limbs below them
  // only as a value (`rest`, over `restDigits` digits): no prefix longer than 17 digits is ever needed.
  let count = 0;
  let l = n - 1;
  {
    let top = limbs[l]! | 0;
    let width = 0;
    for (let t = top; t > 0; t = (t / 10) | 0) width++;
    for (let i = width - 1; i >= 0; i--) {
      const q = (top / 10) | 0;
      digits[i] = top - q * 10;
      top = q;
    }
    count = width;
  }
  for (l--; l >= 0 && count < 18; l--) {
    let v = limbs[l]! | 0;
    for (let i = LIMB_DIGITS - 1; i >= 0; i--) {
      const q = (v / 10) | 0;
      digits[count + i] = v - q * 10;
      v = q;
    }
    count += LIMB_DIGITS;
  }
  let rest = 0;
  for (let j = l; j >= 0; j--) rest = rest * LIMB + limbs[j]!;
  const restDigits = (l + 1) * LIMB_DIGITS;
  const restScale = POW10[restDigits]!;
  // No prefix shorter than `first` can be within the interval (half-width < 1.2e-16 × 10^count) unless the
  // digits from it to the 15th are all 0 (rounding down) or all 9 (rounding up).
  let first = count < 15 ? count - 1 : 14;
  while (first > 0 && (digits[first] === 0 || digits[first] === 9)) first--;
  first++;
  // Distances from P to its prefixes rounded down and up, in units of P's last digit, each a sum of like-signed
  // terms (relative error < 1e-14).
  tails[count] = rest;
  ups[count] = restScale - rest;
  let nines = ups[count]! - 1;
  for (let i = count - 1; i >= first; i--) {
    const place = POW10[count - 1 - i + restDigits]!;
    tails[i] = tails[i + 1]! + digits[i]! * place;
    nines += (9 - digits[i]!) * place;
    ups[i] = nines + 1;
  }
  const extracted = count;
  count += restDigits;
  // Half-widths of the double's rounding interval, in units of P's last digit.
  const high = POW5_APPROX[k]! / 1073741824; // 5^k / 2^30
  const low = (bits & 0x7fffff) === 0 ? high / 2 : high;

  let length = 0;
  let up = false;
  for (let len = first; len <= 17 && len <= extracted; len++) {
    const down = tails[len]!;
    const upDistance = ups[len]!;
    const downOk = down <= low;
    const upOk = upDistance <= high;
    if (nearBoundary(down, low) || nearBoundary(upDistance, high)) return -1;
    if (downOk || upOk) {
      if (downOk && upOk) {
        if (nearBoundary(down, upDistance)) {
          // A tie (P ends in 5 right after the prefix): the even prefix, as ECMAScript's Number::toString
          // says; only when the distances are exact (below 2^53), else too close to call.
          if (down !== upDistance || down >= 9007199254740992) return -1;
          up = (digits[len - 1]! & 1) === 1;
        } else {
          up = upDistance < down;
        }
      } else {
        up = upOk;
      }
      length = len;
      break;
    }
  }
  if (length === 0) return -1;

  // The chosen digits, rounded up if so; `point` = digits before the decimal point (may be <= 0).
  let point = count - k;
  if (up) {
    let i = length - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i < 0) {
      digits[0] = 1;
      for (let j = 1; j < length; j++) digits[j] = 0;
      point++;
    } else {
      digits[i]!++;
    }
  }
  while (length > 1 && digits[length - 1] === 0) length--;
  if (point >= length) return -1; // an integer after rounding (not possible for a non-integer float32)

  if (negative) buf[pos++] = 45; // '-'
  if (point <= 0) {
    buf[pos++] = 48; // '0'
    buf[pos++] = 46; // '.'
    for (let i = point; i < 0; i++) buf[pos++] = 48;
    for (let i = 0; i < length; i++) buf[pos++] = 48 + digits[i]!;
  } else {
    for (let i = 0; i < point; i++) buf[pos++] = 48 + digits[i]!;
    buf[pos++] = 46;
    for (let i = point; i < length; i++) buf[pos++] = 48 + digits[i]!;
  }
  return pos;
}

function nearBoundary(distance: number, halfWidth: number): boolean {
  const d = distance - halfWidth;
  return (d < 0 ? -d : d) <= halfWidth * MARGIN;
}

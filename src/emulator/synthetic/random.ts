/**
 * Stateless, seedable randomness for the synthetic videos: 32-bit hashing of integer keys and a small
 * sequential generator (mulberry32). Every random choice of a video derives from `hashKey(seed, …)`, so any
 * sample can be generated on its own, in any order, with the same result.
 *
 * @module
 */

/** Mixes `value` into the 32-bit hash state `h` (murmur3-style round). */
export function mix(h: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Final avalanche of a 32-bit hash state (murmur3 fmix32). Returns an unsigned 32-bit integer. */
export function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes two to four integers (each taken modulo 2^32) to an unsigned 32-bit integer. Fixed arity, so the hot
 * path allocates nothing.
 */
export function hashKey(a: number, b: number, c?: number, d?: number): number {
  let h = mix(mix(0x9747b28c, a), b);
  let n = 2;
  if (c !== undefined) {
    h = mix(h, c);
    n++;
    if (d !== undefined) {
      h = mix(h, d);
      n++;
    }
  }
  return finish(mix(h, n));
}

/** Hashes a string (UTF-16 code units) to an unsigned 32-bit integer. */
export function hashString(text: string, seed = 0): number {
  let h = mix(0x2f0b3d1a, seed);
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return finish(mix(h, text.length));
}

/** A small, fast, seeded pseudo-random sequence (mulberry32). Not cryptographic. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Restarts the sequence from `seed` (lets hot loops reuse one generator). Returns `this`. */
  reset(seed: number): this {
    this.#state = seed >>> 0;
    return this;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * An approximately standard normal variate (Irwin–Hall: the sum of three uniforms, centred and scaled to
   * unit variance; bounded by ±3). Cheap, and close enough for detector noise.
   */
  gaussian(): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2;
  }

  /** An exponential variate with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

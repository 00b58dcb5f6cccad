/**
 * The window of a size-ordered batch: videos taken from the input ahead of their Start, by size. Internal to
 * the batch runner.
 *
 * @module
 */

/** One video of the window. */
interface Entry<T> {
  /** Position in the input (ties go to the earlier video). */
  readonly index: number;
  readonly item: T;
  /** Bytes; `Infinity` when unknown (unknown sizes go first). */
  size: number;
}

/**
 * A bounded set of videos whose sizes are being looked up, and a max-heap of those sized: `take()` returns the
 * largest (unknown sizes first, then by input index). `pending` counts lookups not settled yet.
 */
export class LargestFirstWindow<T> {
  readonly #heap: Entry<T>[] = [];
  #pending = 0;

  /** @param capacity Most videos in the window. */
  constructor(readonly capacity: number) {}

  /** Videos in the window (sized or not). */
  get size(): number {
    return this.#heap.length + this.#pending;
  }

  /** Lookups not settled yet. */
  get pending(): number {
    return this.#pending;
  }

  /** Sized videos ready to be taken. */
  get ready(): number {
    return this.#heap.length;
  }

  /** A video enters the window; call `sized` once its lookup settles. */
  add(): void {
    this.#pending++;
  }

  /** The lookup of a video settled (`undefined`: unknown size). */
  sized(index: number, item: T, size: number | undefined): void {
    this.#pending--;
    const value = size === undefined || !Number.isFinite(size) ? Infinity : size;
    const heap = this.#heap;
    heap.push({ index, item, size: value });
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(heap[at]!, heap[parent]!)) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  /** Takes the largest sized video (unknown first; ties by input index). */
  take(): { readonly index: number; readonly item: T } | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let best = at;
        if (left < heap.length && before(heap[left]!, heap[best]!)) best = left;
        if (right < heap.length && before(heap[right]!, heap[best]!)) best = right;
        if (best === at) break;
        [heap[at], heap[best]] = [heap[best]!, heap[at]!];
        at = best;
      }
    }
    return { index: top.index, item: top.item };
  }

  /** Forgets every video. */
  clear(): void {
    this.#heap.length = 0;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.size > b.size || (a.size === b.size && a.index < b.index);
}

/**
 * A first-in, first-out queue on an array with a head index (pure). `shift` is O(1): it clears the slot and moves
 * the head, and the array is compacted once more than 1024 removed items outnumber the ones kept (amortized O(1),
 * and memory bounded by the items in the queue, never by the items ever pushed; a removed item is never
 * referenced by the queue again).
 *
 * @example
 * ```ts
 * import { ArrayQueue } from './ArrayQueue.js';
 *
 * const q = new ArrayQueue<number>();
 * q.push(1);
 * q.push(2);
 * q.shift(); // 1
 * q.length; // 1
 * q.at(0); // 2
 * ```
 */
export class ArrayQueue<T> {
  #items: T[] = [];
  #head = 0;

  /** Items in the queue. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /**
   * Array slots in use: the queued items plus removed ones not compacted away yet — at most as many as are
   * queued, or 1024.
   */
  get retained(): number {
    return this.#items.length;
  }

  /** Appends an item at the tail. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** The item `index` places from the head (0: the oldest); `undefined` out of range. */
  at(index: number): T | undefined {
    return index >= 0 && index < this.length ? this.#items[this.#head + index] : undefined;
  }

  /** The oldest item, or `undefined` when empty. */
  peek(): T | undefined {
    return this.at(0);
  }

  /** The newest item, or `undefined` when empty. */
  peekLast(): T | undefined {
    return this.at(this.length - 1);
  }

  /** Removes and returns the oldest item (`undefined` when empty). */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    // Drop the reference now, not at the next compaction: a removed item kept reachable survives garbage
    // collections, and V8 then allocates every object of its kind straight in the old generation
    // (allocation-site pretenuring) — which halved the tracker's throughput after a `labelFaceTracks` run.
    this.#items[this.#head++] = undefined as T;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/**
 * A binary min-heap of timers ordered by `(due, seq)`, for event-time window firing (pure, no RxJS).
 *
 * Entries live in parallel arrays, so pushing and popping allocate nothing once the arrays have grown. Ties on
 * `due` pop in `seq` order, which makes emission deterministic.
 *
 * @example
 * ```ts
 * import { TimerQueue } from './TimerQueue.js';
 *
 * const q = new TimerQueue<string>();
 * q.push(20, 0, 'b');
 * q.push(10, 1, 'a');
 * q.peekDue(); // 10
 * q.pop(); // 'a'
 * ```
 */
export class TimerQueue<V> {
  private readonly dues: number[] = [];
  private readonly seqs: number[] = [];
  private readonly values: V[] = [];

  /** Number of pending timers. */
  get size(): number {
    return this.values.length;
  }

  /** Due time of the earliest timer, `Infinity` when empty. */
  peekDue(): number {
    return this.values.length === 0 ? Infinity : this.dues[0]!;
  }

  /** Adds a timer. */
  push(due: number, seq: number, value: V): void {
    const { dues, seqs, values } = this;
    let i = values.length;
    dues.push(due);
    seqs.push(seq);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pd = dues[parent]!;
      if (pd < due || (pd === due && seqs[parent]! <= seq)) break;
      dues[i] = pd;
      seqs[i] = seqs[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    dues[i] = due;
    seqs[i] = seq;
    values[i] = value;
  }

  /** Removes and returns the earliest timer's value. Throws on an empty queue. */
  pop(): V {
    const { dues, seqs, values } = this;
    const top = values[0];
    if (values.length === 0) throw new RangeError('pop from an empty TimerQueue');
    const due = dues.pop()!;
    const seq = seqs.pop()!;
    const value = values.pop()!;
    const n = values.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        const right = child + 1;
        if (
          right < n &&
          (dues[right]! < dues[child]! || (dues[right] === dues[child] && seqs[right]! < seqs[child]!))
        ) {
          child = right;
        }
        const cd = dues[child]!;
        if (due < cd || (due === cd && seq <= seqs[child]!)) break;
        dues[i] = cd;
        seqs[i] = seqs[child]!;
        values[i] = values[child]!;
        i = child;
      }
      dues[i] = due;
      seqs[i] = seq;
      values[i] = value;
    }
    return top as V;
  }

  /** Removes every timer. */
  clear(): void {
    this.dues.length = 0;
    this.seqs.length = 0;
    this.values.length = 0;
  }
}

/**
 * Speculative page preparation: after serving a page that has a successor, the emulator serialises the next
 * page (same job, same `MaxResults`) while it would otherwise sit idle waiting for the client. A client that
 * pages sequentially then gets each page without waiting for its generation, so the emulator's work overlaps
 * the client's instead of adding to it. Content is identical either way; at most a few pages are kept.
 *
 * @module
 */

/** A page's `Faces`, already serialised. */
export interface PreparedPage {
  readonly pieces: readonly Buffer[];
  readonly count: number;
  readonly more: boolean;
}

/** Prepares likely next pages in idle time (setImmediate) and hands them out once. */
export class PagePrefetcher {
  readonly #capacity: number;
  readonly #ready = new Map<string, PreparedPage>();
  #closed = false;

  constructor(capacity = 4) {
    this.#capacity = capacity;
  }

  /** The prepared page for (`jobId`, `from`, `limit`), removed from the store; `undefined` if none. */
  take(jobId: string, from: number, limit: number): PreparedPage | undefined {
    const key = keyOf(jobId, from, limit);
    const page = this.#ready.get(key);
    if (page) this.#ready.delete(key);
    return page;
  }

  /** Prepares (`jobId`, `from`, `limit`) with `prepare` once the event loop is idle. */
  schedule(jobId: string, from: number, limit: number, prepare: () => PreparedPage): void {
    if (this.#closed || this.#capacity === 0) return;
    const key = keyOf(jobId, from, limit);
    setImmediate(() => {
      if (this.#closed || this.#ready.has(key)) return;
      const page = prepare();
      if (this.#ready.size >= this.#capacity) this.#ready.delete(this.#ready.keys().next().value!);
      this.#ready.set(key, page);
    });
  }

  /** Drops every prepared page and stops preparing. */
  close(): void {
    this.#closed = true;
    this.#ready.clear();
  }
}

function keyOf(jobId: string, from: number, limit: number): string {
  return `${jobId}:${from}:${limit}`;
}

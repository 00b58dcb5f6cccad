/**
 * Speculative page preparation: after serving a page that has a successor, the emulator serialises the next
 * page (same job, same `MaxResults`) while it would otherwise sit idle waiting for the client. A client that
 * pages sequentially then gets each page without waiting for its generation, so the emulator's work overlaps
 * the client's instead of adding to it. Content is identical either way; at most a few pages are kept.
 *
 * With a cache budget (`pageCacheBytes`), served pages are also kept, least recently used first out, so a job
 * read again is served from memory as the real service serves stored results, instead of being generated again
 * on a core the client shares (what a client benchmark on one machine needs).
 *
 * @module
 */

/** A page's `Faces`, already serialised. */
export interface PreparedPage {
  readonly pieces: readonly Buffer[];
  readonly count: number;
  readonly more: boolean;
}

/** Prepares likely next pages in idle time (setImmediate) and hands them out once (or keeps them, with a cache). */
export class PagePrefetcher {
  readonly #capacity: number;
  readonly #cacheBytes: number;
  readonly #ready = new Map<string, PreparedPage>();
  /** Served pages kept for the next read (insertion order = least recently used first). */
  readonly #cache = new Map<string, PreparedPage>();
  #cachedBytes = 0;
  #closed = false;

  /**
   * @param capacity Pages prepared ahead and not yet served, at most.
   * @param cacheBytes Bytes of served pages kept for later reads (0: none).
   */
  constructor(capacity = 4, cacheBytes = 0) {
    this.#capacity = capacity;
    this.#cacheBytes = cacheBytes;
  }

  /** Whether served pages are kept (the caller then hands pages it generated to {@link keep}). */
  get caching(): boolean {
    return this.#cacheBytes > 0 && !this.#closed;
  }

  /** The prepared (or cached) page for (`jobId`, `from`, `limit`); `undefined` if none. */
  take(jobId: string, from: number, limit: number): PreparedPage | undefined {
    const key = keyOf(jobId, from, limit);
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const page = this.#ready.get(key);
    if (page) {
      this.#ready.delete(key);
      this.keep(jobId, from, limit, page);
    }
    return page;
  }

  /** Keeps a served page within the cache budget (no-op without one). */
  keep(jobId: string, from: number, limit: number, page: PreparedPage): void {
    if (!this.caching) return;
    const size = bytesOf(page);
    if (size > this.#cacheBytes) return;
    const key = keyOf(jobId, from, limit);
    const old = this.#cache.get(key);
    if (old) {
      this.#cache.delete(key);
      this.#cachedBytes -= bytesOf(old);
    }
    this.#cache.set(key, page);
    this.#cachedBytes += size;
    while (this.#cachedBytes > this.#cacheBytes) {
      const [oldest, evicted] = this.#cache.entries().next().value!;
      this.#cache.delete(oldest);
      this.#cachedBytes -= bytesOf(evicted);
    }
  }

  /** Prepares (`jobId`, `from`, `limit`) with `prepare` once the event loop is idle (unless it is cached). */
  schedule(jobId: string, from: number, limit: number, prepare: () => PreparedPage): void {
    if (this.#closed || this.#capacity === 0) return;
    const key = keyOf(jobId, from, limit);
    if (this.#cache.has(key)) return;
    setImmediate(() => {
      if (this.#closed || this.#ready.has(key) || this.#cache.has(key)) return;
      const page = prepare();
      if (this.#ready.size >= this.#capacity) this.#ready.delete(this.#ready.keys().next().value!);
      this.#ready.set(key, page);
    });
  }

  /** Drops every prepared and cached page and stops preparing. */
  close(): void {
    this.#closed = true;
    this.#ready.clear();
    this.#cache.clear();
    this.#cachedBytes = 0;
  }
}

function keyOf(jobId: string, from: number, limit: number): string {
  return `${jobId}:${from}:${limit}`;
}

function bytesOf(page: PreparedPage): number {
  let size = 0;
  for (const piece of page.pieces) size += piece.length;
  return size;
}

import { abortReason } from '../core/Clock.js';
import type { SourceStats } from './SourceStats.js';

/** The real `setImmediate`, taken at load: a page is never held up by fake timers installed later. */
const hop: (callback: () => void) => void = setImmediate;

/** One fetched page and whether it is the last one. */
export interface FetchedPage<P> {
  /** The page. */
  readonly page: P;
  /** `true` when no page follows (the stream ends after this one). */
  readonly last: boolean;
}

/** Options of a {@link PagePump}. */
export interface PagePumpOptions<P> {
  /**
   * Fetches the next page. Called with one `AbortSignal` per request; never called again while a request is in
   * flight, and never after a page marked `last`.
   */
  readonly fetch: (signal: AbortSignal) => Promise<FetchedPage<P>>;
  /** Number of items a page holds (what the watermarks count). */
  readonly sizeOf: (page: P) => number;
  /** The most items a page can hold (the request's `MaxResults`): a page is requested only if this many fit. */
  readonly pageSize: number;
  /** Upper bound of buffered items: a page is requested only when `buffered + pageSize <= highWaterMark`. */
  readonly highWaterMark: number;
  /** A page is requested only when `buffered <= lowWaterMark`. */
  readonly lowWaterMark: number;
  /** Counters to update (shared with the stream that owns the pump). */
  readonly stats: SourceStats;
  /** Closes the pump with an `AbortError` when it aborts (pending and later pulls reject). */
  readonly signal?: AbortSignal | undefined;
}

interface Waiter<P> {
  readonly resolve: (page: P | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The pure core of the page source: a pull-based, bounded page buffer with one request in flight.
 *
 * Items count as buffered from the moment their page arrives until the consumer {@link PagePump.release}s
 * them. The next page is requested only when `buffered <= lowWaterMark` and `buffered + pageSize <=
 * highWaterMark`, so the buffer never exceeds the high-water mark (pages hold at most `pageSize` items).
 * Nothing is requested before the first {@link PagePump.pull}. A failed fetch is reported after the pages
 * fetched before it have been pulled (nothing is lost), and {@link PagePump.close} aborts the request in
 * flight.
 *
 * No RxJS, no SDK: the shells in this folder wrap it as an Observable and an AsyncIterable.
 */
export class PagePump<P> {
  readonly #options: PagePumpOptions<P>;
  readonly #queue: P[] = [];
  #head = 0;
  #buffered = 0;
  #controller: AbortController | undefined;
  #ended = false;
  #failed = false;
  #error: unknown;
  #closed = false;
  #closeError: unknown;
  #waiter: Waiter<P> | undefined;

  readonly #onAbort: (() => void) | undefined;

  constructor(options: PagePumpOptions<P>) {
    this.#options = options;
    const { signal } = options;
    if (signal?.aborted) this.close(abortReason(signal));
    else if (signal) {
      this.#onAbort = () => this.close(abortReason(signal));
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** Items fetched and not yet released. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Whether a request is in flight. */
  get fetching(): boolean {
    return this.#controller !== undefined;
  }

  /**
   * Resolves with the next page, or `undefined` when the stream has ended (or was closed without an error).
   * Rejects with the fetch error once every page fetched before it has been pulled. One pull at a time.
   */
  pull(): Promise<P | undefined> {
    if (this.#waiter) return Promise.reject(new Error('PagePump.pull() called while another pull is pending'));
    if (this.#closed) return this.#closeError === undefined ? Promise.resolve(undefined) : Promise.reject(this.#closeError);
    if (this.fetching && this.#head < this.#queue.length) {
      // A request is in flight, maybe just started (by the release before this pull): the page is handed over
      // on the next turn of the event loop, after the request's chain has run (see #maybeFetch).
      return new Promise<P | undefined>((resolve, reject) => {
        this.#waiter = { resolve, reject };
        hop(() => this.#deliver());
      });
    }
    const page = this.#shift();
    if (page !== undefined) return Promise.resolve(page);
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#ended && !this.fetching) return Promise.resolve(undefined);
    return new Promise<P | undefined>((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#maybeFetch();
    });
  }

  /** Marks `count` items of pulled pages as consumed; may start the next request. */
  release(count: number): void {
    if (this.#closed || count <= 0) return;
    this.#buffered = Math.max(0, this.#buffered - count);
    this.#options.stats.buffered = this.#buffered;
    this.#maybeFetch();
  }

  /**
   * Stops the pump: aborts the request in flight, drops buffered pages. A pending pull resolves `undefined`,
   * or rejects with `error` when one is given (as do later pulls).
   */
  close(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = error;
    if (this.#onAbort) this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#queue.length = 0;
    this.#head = 0;
    this.#buffered = 0;
    this.#options.stats.buffered = 0;
    if (this.#controller) this.#options.stats.inFlight = 0;
    const controller = this.#controller;
    this.#controller = undefined;
    controller?.abort(error);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) {
      if (error === undefined) waiter.resolve(undefined);
      else waiter.reject(error);
    }
  }

  #shift(): P | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const page = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as P;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    return page;
  }

  #maybeFetch(): void {
    if (this.#closed || this.fetching || this.#ended || this.#failed) return;
    const { lowWaterMark, highWaterMark, pageSize } = this.#options;
    if (this.#buffered > lowWaterMark || this.#buffered + pageSize > highWaterMark) return;
    const controller = new AbortController();
    this.#controller = controller;
    const stats = this.#options.stats;
    stats.inFlight = 1;
    let fetched: Promise<FetchedPage<P>>;
    try {
      fetched = this.#options.fetch(controller.signal);
    } catch (error) {
      fetched = Promise.reject(error);
    }
    fetched.then(
      ({ page, last }) => {
        if (this.#controller !== controller) return; // closed meanwhile
        this.#controller = undefined;
        stats.inFlight = 0;
        const size = this.#options.sizeOf(page);
        stats.pagesFetched++;
        stats.itemsFetched += size;
        this.#buffered += size;
        stats.buffered = this.#buffered;
        if (this.#buffered > stats.maxBuffered) stats.maxBuffered = this.#buffered;
        if (last) this.#ended = true;
        this.#queue.push(page);
        this.#maybeFetch();
        // With the next request started, hand this page over on the next turn of the event loop: the request's
        // chain (policy, signing, socket write) runs first, so the service works on the next page while the
        // consumer works through this one, however long that takes synchronously.
        if (this.fetching) hop(() => this.#deliver());
        else this.#deliver();
      },
      (error: unknown) => {
        if (this.#controller !== controller) return;
        this.#controller = undefined;
        stats.inFlight = 0;
        this.#failed = true;
        this.#error = error;
        this.#deliver();
      },
    );
  }

  #deliver(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    const page = this.#shift();
    if (page !== undefined) {
      this.#waiter = undefined;
      waiter.resolve(page);
    } else if (this.#failed) {
      this.#waiter = undefined;
      waiter.reject(this.#error);
    } else if (this.#ended && !this.fetching) {
      this.#waiter = undefined;
      waiter.resolve(undefined);
    }
  }
}

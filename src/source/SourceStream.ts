import { Observable } from 'rxjs';
import type { FaceDetectionPage, JobInfo } from './FaceDetectionPage.js';
import type { PagePump } from './PagePump.js';
import type { SourceStats } from './SourceStats.js';

/**
 * A cold, lazy stream of `T` that is both an RxJS `Observable<T>` and an `AsyncIterable<T>`.
 *
 * Every subscription (or `for await` loop) is an independent run that reads the job from its start (or from
 * `startingToken`). `stats` counts every run; `job` holds the job metadata once a first page has arrived.
 */
export interface SourceStream<T> extends Observable<T>, AsyncIterable<T> {
  /** Live counters (requests, pages, buffered items, max buffered). */
  readonly stats: Readonly<SourceStats>;
  /** Job metadata (VideoMetadata, JobId, JobTag, Video) from the first page; `undefined` before it arrives. */
  readonly job: JobInfo | undefined;
}

/** How a stream turns pages into its values. */
export interface StreamView<T> {
  /** The values of one page, emitted synchronously one after another. */
  readonly valuesOf: (page: FaceDetectionPage) => readonly T[];
  /** Buffered items a value accounts for (released when the consumer moves past it). */
  readonly weightOf: (value: T) => number;
}

/** Internal: the factory of one run and the shared state of a stream. */
export interface StreamRuntime {
  /** Starts a run: a fresh pump over a fresh cursor. */
  readonly start: () => PagePump<FaceDetectionPage>;
  /** Counters shared by every run. */
  readonly stats: SourceStats;
  /** Job metadata, set by runs. */
  readonly job: () => JobInfo | undefined;
}

/** The values of no page (what the iterator holds between pages, so a consumed page can be collected). */
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Builds the Observable and AsyncIterable views over a {@link PagePump}.
 *
 * The Observable pulls one page at a time and emits its values synchronously (the async boundary is per page),
 * releasing the page once emitted; unsubscribing closes the pump, which aborts the request in flight. The
 * AsyncIterable releases each value when the consumer asks for the next one, so a slow `for await` body keeps
 * at most `highWaterMark` items buffered; `break`/`return()` closes the pump.
 */
export function createSourceStream<T>(runtime: StreamRuntime, view: StreamView<T>): SourceStream<T> {
  const observable = new Observable<T>((subscriber) => {
    const pump = runtime.start();
    const { valuesOf, weightOf } = view;
    const fail = (error: unknown) => subscriber.error(error);
    // A `then` chain rather than an async loop: a suspended async function can keep the previous page
    // reachable from its frame while the next one is awaited (and parsed).
    const onPage = (page: FaceDetectionPage | undefined): void => {
      if (subscriber.closed) return;
      if (page === undefined) {
        subscriber.complete();
        return;
      }
      const values = valuesOf(page);
      let weight = 0;
      for (let i = 0; i < values.length && !subscriber.closed; i++) {
        const value = values[i]!;
        weight += weightOf(value);
        subscriber.next(value);
      }
      pump.release(weight);
      if (!subscriber.closed) pull();
    };
    const pull = (): void => {
      pump.pull().then(onPage).catch(fail);
    };
    pull();
    return () => pump.close();
  });

  const iterate = (): AsyncIterator<T> => {
    const pump = runtime.start();
    let values: readonly T[] = EMPTY;
    let at = 0;
    let owed = 0;
    let finished = false;
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    const pullPage = async (): Promise<IteratorResult<T>> => {
      for (;;) {
        const page = await pump.pull();
        if (page === undefined) {
          finished = true;
          return done;
        }
        values = view.valuesOf(page);
        at = 0;
        if (values.length > 0) {
          const value = values[at++]!;
          owed = view.weightOf(value);
          return { done: false, value };
        }
      }
    };
    return {
      next(): Promise<IteratorResult<T>> {
        if (owed > 0) {
          pump.release(owed);
          owed = 0;
        }
        if (finished) return Promise.resolve(done);
        if (at < values.length) {
          const value = values[at++]!;
          owed = view.weightOf(value);
          return Promise.resolve({ done: false, value });
        }
        // Drop the consumed page before waiting for the next one, so it is garbage while the next page is parsed.
        values = EMPTY;
        return pullPage().catch((error: unknown) => {
          finished = true;
          pump.close();
          throw error;
        });
      },
      return(): Promise<IteratorResult<T>> {
        finished = true;
        values = EMPTY;
        pump.close();
        return Promise.resolve(done);
      },
    };
  };

  return Object.defineProperties(observable, {
    [Symbol.asyncIterator]: { value: iterate },
    stats: { value: runtime.stats, enumerable: true },
    job: { get: runtime.job, enumerable: true },
  }) as SourceStream<T>;
}

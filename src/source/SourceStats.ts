/**
 * Live counters of a page source, for tests, monitoring and benchmarks. Cumulative over every subscription
 * (or iteration) of the stream that owns them, except `buffered` and `inFlight`, which describe the present.
 */
export interface SourceStats {
  /** `GetFaceDetection` requests started (pages, job-status polls and token-recovery re-reads). */
  requests: number;
  /** Pages delivered into the buffer. */
  pagesFetched: number;
  /** Items delivered into the buffer. */
  itemsFetched: number;
  /** Items fetched and not yet consumed, now. */
  buffered: number;
  /** The most items ever buffered at once: never above `highWaterMark`. */
  maxBuffered: number;
  /** Requests in flight now (0 or 1). */
  inFlight: number;
  /** Job-status polls that found the job `IN_PROGRESS`. */
  polls: number;
  /** Expired-token recoveries (re-reads from the first page). */
  recoveries: number;
}

/** A fresh set of zeroed counters. */
export function createSourceStats(): SourceStats {
  return { requests: 0, pagesFetched: 0, itemsFetched: 0, buffered: 0, maxBuffered: 0, inFlight: 0, polls: 0, recoveries: 0 };
}

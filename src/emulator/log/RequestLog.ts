/**
 * The emulator's request log (a bounded ring of the latest requests) and its counters.
 *
 * @module
 */

/** One request as the emulator saw and answered it. */
export interface RequestLogEntry {
  /** 1-based sequence number over the emulator's life. */
  readonly seq: number;
  /** Clock time (ms) the request arrived. */
  readonly time: number;
  readonly requestId: string;
  /** `GetFaceDetection`, `StartFaceDetection`, or the raw target/method of a rejected request. */
  readonly operation: string;
  /** HTTP status sent; 0 when the connection was dropped. */
  readonly status: number;
  /** Error shape name (`ThrottlingException`, …) when the answer was an error. */
  readonly errorType?: string | undefined;
  /** The injected fault, when one applied (`throttle`, `drop`, `latency`, `tps`, …). */
  readonly fault?: string | undefined;
  readonly jobId?: string | undefined;
  /** Detections returned (GetFaceDetection). */
  readonly detections: number;
  /** Access key id from the SigV4 `Credential=` (never the secret). */
  readonly accessKeyId?: string | undefined;
}

/** Cumulative counters since start (or the last reset). */
export interface EmulatorCounters {
  /** Every request received. */
  requests: number;
  /** Requests per operation name. */
  byOperation: Record<string, number>;
  /** 2xx answers. */
  succeeded: number;
  /** Error answers (4xx and 5xx), throttles included. */
  errors: number;
  /** Error answers per error type. */
  byError: Record<string, number>;
  /** `ThrottlingException` and `ProvisionedThroughputExceededException` answers. */
  throttled: number;
  /** Connections dropped on purpose. */
  dropped: number;
  /** Faults injected (scripted, random or TPS quota). */
  faults: number;
  /** Detections returned by `GetFaceDetection`. */
  detections: number;
  /** Successful `GetFaceDetection` pages. */
  pages: number;
}

const THROTTLES = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException']);

/** Records requests: keeps the latest `capacity` entries and counts all of them. */
export class RequestLog {
  readonly #capacity: number;
  #entries: RequestLogEntry[] = [];
  #seq = 0;
  #counters: EmulatorCounters = emptyCounters();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Next sequence number. */
  nextSeq(): number {
    return ++this.#seq;
  }

  record(entry: RequestLogEntry): void {
    const c = this.#counters;
    c.requests++;
    c.byOperation[entry.operation] = (c.byOperation[entry.operation] ?? 0) + 1;
    if (entry.status === 0) c.dropped++;
    else if (entry.status < 300) c.succeeded++;
    else c.errors++;
    if (entry.errorType !== undefined) {
      c.byError[entry.errorType] = (c.byError[entry.errorType] ?? 0) + 1;
      if (THROTTLES.has(entry.errorType)) c.throttled++;
    }
    if (entry.fault !== undefined) c.faults++;
    if (entry.operation === 'GetFaceDetection' && entry.status === 200) {
      c.pages++;
      c.detections += entry.detections;
    }
    if (this.#capacity <= 0) return;
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity * 2) this.#entries = this.#entries.slice(-this.#capacity);
  }

  /** The latest entries (at most `capacity`), oldest first. */
  entries(): readonly RequestLogEntry[] {
    if (this.#entries.length > this.#capacity) this.#entries = this.#entries.slice(-this.#capacity);
    return [...this.#entries];
  }

  /** A snapshot of the counters. */
  counters(): EmulatorCounters {
    const c = this.#counters;
    return { ...c, byOperation: { ...c.byOperation }, byError: { ...c.byError } };
  }

  /** Clears entries and counters (sequence numbers keep increasing). */
  reset(): void {
    this.#entries = [];
    this.#counters = emptyCounters();
  }
}

function emptyCounters(): EmulatorCounters {
  return {
    requests: 0,
    byOperation: {},
    succeeded: 0,
    errors: 0,
    byError: {},
    throttled: 0,
    dropped: 0,
    faults: 0,
    detections: 0,
    pages: 0,
  };
}

import type { FaceDetection, GetFaceDetectionResponse } from '../../src/types.js';

/** Deterministic detections: Timestamp = 100 × i, a box that moves with i. */
export function makeDetections(count: number): FaceDetection[] {
  return Array.from({ length: count }, (_, i) => ({
    Timestamp: 100 * i,
    Face: { BoundingBox: { Left: (i % 97) / 100, Top: (i % 89) / 100, Width: 0.1, Height: 0.1 }, Confidence: 99 },
  }));
}

/** Options of {@link fakeJob}. */
export interface FakeJobOptions {
  readonly detections: readonly FaceDetection[];
  readonly pageSize: number;
  /** Answers IN_PROGRESS this many times first. */
  readonly inProgress?: number;
  /** Answers FAILED. */
  readonly failed?: string;
  /** Tokens (by page offset) that are rejected as expired the first `n` times they are used. */
  readonly expire?: ReadonlyMap<number, number>;
  /** Returns this token forever from this offset on (a repeated-token bug). */
  readonly repeatFrom?: number;
}

/**
 * An in-memory page function with the service's pagination contract (tokens `o<offset>`), for unit tests of the
 * pure core. It is not a client: the SDK path is tested against the emulator.
 */
export function fakeJob(options: FakeJobOptions) {
  const requests: { token: string | undefined }[] = [];
  let inProgress = options.inProgress ?? 0;
  const expire = new Map(options.expire ?? []);
  const getPage = async (token: string | undefined, signal: AbortSignal): Promise<GetFaceDetectionResponse> => {
    signal.throwIfAborted();
    requests.push({ token });
    await Promise.resolve();
    if (inProgress > 0) {
      inProgress--;
      return { JobStatus: 'IN_PROGRESS' };
    }
    if (options.failed !== undefined) return { JobStatus: 'FAILED', StatusMessage: options.failed };
    const offset = token === undefined ? 0 : Number(token.slice(1));
    const left = expire.get(offset) ?? 0;
    if (token !== undefined && left > 0) {
      expire.set(offset, left - 1);
      throw Object.assign(new Error('Invalid Token'), { name: 'InvalidPaginationTokenException' });
    }
    const end = Math.min(offset + options.pageSize, options.detections.length);
    const next =
      options.repeatFrom !== undefined && offset >= options.repeatFrom ? `o${options.repeatFrom}` : end < options.detections.length ? `o${end}` : undefined;
    return {
      JobStatus: 'SUCCEEDED',
      JobId: 'job-1',
      VideoMetadata: { DurationMillis: 1000, FrameRate: 25 },
      Faces: options.detections.slice(offset, end),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  };
  return { getPage, requests };
}

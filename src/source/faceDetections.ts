import type { FaceDetection } from '../types.js';
import type { FaceDetectionPage } from './FaceDetectionPage.js';
import { createSourceRuntime, type FaceSourceOptions } from './sourceRuntime.js';
import { createSourceStream, type SourceStream } from './SourceStream.js';

/**
 * A lazy, backpressured, cancellable stream of every `FaceDetection` of a Rekognition Video face-detection job,
 * in service order (sorted by `Timestamp`), each exactly once — an RxJS `Observable<FaceDetection>` that is also
 * an `AsyncIterable<FaceDetection>`.
 *
 * Cold and lazy: nothing is requested before subscription; each subscription reads the job anew. One
 * `GetFaceDetection` request is in flight at a time, and the next page is requested only when at most
 * `lowWaterMark` detections are buffered and a page fits under `highWaterMark` — so `take(n)` stops fetching,
 * and a slow `for await` body keeps at most `highWaterMark` detections in memory (`stream.stats.maxBuffered`).
 * The detections of a page are emitted synchronously; keep downstream operators synchronous (or consume with
 * `for await`) for the bound to hold. Unsubscribing, `break`, or aborting `signal` aborts the request in flight.
 *
 * An `IN_PROGRESS` job is polled with backoff (`waitForJob`), `FAILED` errors with `JobFailedError`; an expired
 * token mid-stream is recovered by re-reading from the first page and skipping what was delivered; a repeated
 * token errors with `PaginationError`. Service errors arrive classified (`ServiceError`, by `err.name`) after
 * the request policy's retries. Job metadata is on `stream.job` once the first page has arrived.
 *
 * @throws InvalidParameterError synchronously for a bad `jobId`, `maxResults`, watermark or `startingToken`.
 * @example
 * ```ts
 * import { take } from 'rxjs';
 * import { faceDetections } from 'rekognition-face-stream';
 *
 * const detections = faceDetections({ jobId: 'my-job-id', maxResults: 500 });
 * detections.pipe(take(10)).subscribe((d) => console.log(d.Timestamp, d.Face?.BoundingBox));
 *
 * for await (const d of detections) {
 *   if ((d.Timestamp ?? 0) > 60_000) break; // aborts the prefetch in flight
 * }
 * ```
 */
export function faceDetections(options: FaceSourceOptions): SourceStream<FaceDetection> {
  return createSourceStream(createSourceRuntime(options), DETECTION_VIEW);
}

const DETECTION_VIEW = {
  valuesOf: (page: FaceDetectionPage): readonly FaceDetection[] => page.Faces,
  weightOf: (): number => 1,
};

import type { FaceDetectionPage } from './FaceDetectionPage.js';
import { createSourceRuntime, type FaceSourceOptions } from './sourceRuntime.js';
import { createSourceStream, type SourceStream } from './SourceStream.js';

/**
 * A lazy, backpressured, cancellable stream of the result pages of a Rekognition Video face-detection job,
 * each carrying the job metadata, its `NextToken`, a running count and a {@link Checkpoint} to resume from.
 *
 * Same engine as {@link faceDetections} (one request in flight, watermarks counted in detections, typed errors,
 * job wait, expired-token recovery); use it to checkpoint: after processing a page, save `page.checkpoint`, and
 * after a crash pass it back (`faceDetectionPages({ client, ...checkpoint })`) to read exactly the remaining
 * pages. `Observable` and `AsyncIterable`; validation errors are thrown here, before any request.
 *
 * @example
 * ```ts
 * import { faceDetectionPages } from 'rekognition-face-stream';
 *
 * for await (const page of faceDetectionPages({ jobId: 'my-job-id' })) {
 *   console.log(page.index, page.Faces.length, page.job.VideoMetadata?.DurationMillis);
 *   // save page.checkpoint somewhere durable
 * }
 * ```
 */
export function faceDetectionPages(options: FaceSourceOptions): SourceStream<FaceDetectionPage> {
  return createSourceStream(createSourceRuntime(options), PAGE_VIEW);
}

const PAGE_VIEW = {
  valuesOf: (page: FaceDetectionPage): readonly FaceDetectionPage[] => [page],
  weightOf: (page: FaceDetectionPage): number => page.Faces.length,
};

/**
 * `labelFaceTracks`: the labelling form of the tracker — every input detection once, in input order, with
 * the id of its track added, so anyone can score the tracker externally.
 *
 * @module
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { ArrayQueue } from '../core/ArrayQueue.js';
import { FaceTracker } from '../core/tracking/FaceTracker.js';
import type { TrackerObservation } from '../core/tracking/TrackerObservation.js';
import { resolveTrackerOptions } from '../core/tracking/TrackerOptions.js';
import type { TrackerOptions } from '../core/tracking/TrackerOptions.js';
import type { FaceDetection } from '../types.js';
import { observationFromDetection } from './observationFromDetection.js';
import { subscribeTracker } from './subscribeTracker.js';

/** A detection with the id of the reported track it belongs to (`null`: none, e.g. a false positive). */
export type LabelledFaceDetection<D extends FaceDetection = FaceDetection> = D & { readonly TrackId: number | null };

/**
 * Runs the same tracker as `faceTracks` and emits every input detection exactly once, in input order, as a
 * shallow copy with an added `TrackId` (the `trackId` of the `Track` that `faceTracks` would report, or
 * `null`). The input objects are not modified.
 *
 * A detection is held back only until its label is known: the next sample for detections of confirmed
 * tracks, at most `confirmWithinMs` for detections of tentative tracks. Memory stays bounded by that window
 * (plus the open tracks' lifetime). Errors and unsubscription behave as in `faceTracks`.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { labelFaceTracks } from 'rekognition-face-stream';
 *
 * const face = (left: number) => ({ BoundingBox: { Left: left, Top: 0.2, Width: 0.1, Height: 0.15 }, Confidence: 99 });
 * from([
 *   { Timestamp: 0, Face: face(0.1) },
 *   { Timestamp: 200, Face: face(0.11) },
 *   { Timestamp: 400, Face: face(0.12) },
 *   { Timestamp: 400, Face: face(0.8) }, // seen once: no track
 * ])
 *   .pipe(labelFaceTracks())
 *   .subscribe((d) => console.log(d.Timestamp, d.TrackId)); // 0 1, 200 1, 400 1, 400 null
 * ```
 */
export function labelFaceTracks<D extends FaceDetection>(
  options: TrackerOptions = {},
): OperatorFunction<D, LabelledFaceDetection<D>> {
  const resolved = resolveTrackerOptions(options);
  return (source) =>
    new Observable<LabelledFaceDetection<D>>((subscriber) => {
      const tracker = new FaceTracker<FaceDetection>(resolved, { closed: () => undefined });
      // Input-order queue of observations awaiting their label.
      const queue = new ArrayQueue<TrackerObservation<FaceDetection>>();
      const flush = (): void => {
        for (let observation = queue.peek(); observation !== undefined; observation = queue.peek()) {
          if (observation.trackId === undefined) break;
          queue.shift();
          subscriber.next({ ...(observation.payload as D), TrackId: observation.trackId });
          if (subscriber.closed) return;
        }
      };
      return subscribeTracker(
        source,
        subscriber,
        (detection, index) => {
          const observation = observationFromDetection(detection, index, resolved.useFaceCues);
          queue.push(observation);
          tracker.add(observation);
          flush();
        },
        () => {
          tracker.finish();
          flush();
        },
      );
    });
}

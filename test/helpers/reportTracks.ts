/** Test helper: closed track summaries and detections for report tests, with one fixed box. */
import type { Track, TrackPoint } from '../../src/tracks/Track.js';
import type { FaceDetection } from '../../src/types.js';

/** The box of every fixture detection. */
export const FIXTURE_BOX = { Left: 0.4, Top: 0.3, Width: 0.1, Height: 0.2 };

/** A detection at `t` ms (confidence 99) with extra Face fields. */
export function fixtureDetection(t: number, extra: Partial<NonNullable<FaceDetection['Face']>> = {}): FaceDetection {
  return { Timestamp: t, Face: { BoundingBox: FIXTURE_BOX, Confidence: 99, ...extra } };
}

/** A closed track summary whose detected points are at `times`. */
export function fixtureTrack(trackId: number, times: readonly number[], attributes: Track['attributes'] = {}): Track {
  const path: TrackPoint[] = times.map((t) => ({ Timestamp: t, BoundingBox: FIXTURE_BOX, Confidence: 99 }));
  return {
    trackId,
    status: 'closed',
    closeReason: 'end',
    startTimestamp: times[0]!,
    endTimestamp: times.at(-1)!,
    durationMs: times.at(-1)! - times[0]!,
    detectionCount: times.length,
    meanConfidence: 99,
    path,
    bestDetection: fixtureDetection(times[0]!),
    bestScore: 1,
    attributes,
  };
}

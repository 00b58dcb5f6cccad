/**
 * `faceTracks`: the RxJS operator that links face detections into tracks and emits a {@link Track} summary
 * when each track closes.
 *
 * @module
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { ArrayQueue } from '../core/ArrayQueue.js';
import { FaceTracker } from '../core/tracking/FaceTracker.js';
import type { TrackState } from '../core/tracking/TrackState.js';
import { resolveTrackerOptions } from '../core/tracking/TrackerOptions.js';
import type { ResolvedTrackerOptions, TrackerOptions } from '../core/tracking/TrackerOptions.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { expectNumber } from '../internal/validate.js';
import type { FaceDetection } from '../types.js';
import { observationFromDetection } from './observationFromDetection.js';
import { subscribeTracker } from './subscribeTracker.js';
import type { Track } from './Track.js';
import { TrackSummaryBuilder } from './TrackSummaryBuilder.js';

/** Options of {@link faceTracks}: the tracker's options plus what to emit. */
export interface FaceTracksOptions extends TrackerOptions {
  /**
   * Also emit live snapshots (`status: 'open'`) of confirmed tracks while they grow: at confirmation, then at
   * most once per `liveUpdateIntervalMs` of video time per track.
   * @default false
   */
  readonly liveUpdates?: boolean;
  /**
   * Smallest video time between two live snapshots of one track, ms.
   * @default 1000
   */
  readonly liveUpdateIntervalMs?: number;
  /**
   * Keep each track's detections in `Track.detections` (otherwise only the box path, to save memory).
   * @default true
   */
  readonly includeDetections?: boolean;
  /**
   * Smooth the box path: each point's box is the value of a least-squares line fitted through the track's
   * detected boxes within ± this many ms (linear motion is preserved). 0 keeps the detected boxes.
   * @default 400
   */
  readonly smoothingWindowMs?: number;
  /**
   * Fill gaps of a track up to this long with interpolated path points (`Interpolated: true`), one at each
   * sample time of the stream (a time at which any face was detected) inside the gap. 0 disables it.
   * @default 1000
   */
  readonly interpolateGapsMs?: number;
}

/** Resolved shell options. */
interface ResolvedFaceTracksOptions {
  readonly tracker: ResolvedTrackerOptions;
  readonly liveUpdates: boolean;
  readonly liveUpdateIntervalMs: number;
  readonly includeDetections: boolean;
  readonly smoothingWindowMs: number;
  readonly interpolateGapsMs: number;
}

const SHELL_OPTION_NAMES = ['liveUpdates', 'liveUpdateIntervalMs', 'includeDetections', 'smoothingWindowMs', 'interpolateGapsMs'];

function resolveFaceTracksOptions(options: FaceTracksOptions): ResolvedFaceTracksOptions {
  const tracker = resolveTrackerOptions(options, 'options', SHELL_OPTION_NAMES);
  const {
    liveUpdates = false,
    liveUpdateIntervalMs = 1000,
    includeDetections = true,
    smoothingWindowMs = 400,
    interpolateGapsMs = 1000,
  } = options;
  if (typeof liveUpdates !== 'boolean') throw new InvalidParameterError('options.liveUpdates', 'a boolean', liveUpdates);
  if (typeof includeDetections !== 'boolean') {
    throw new InvalidParameterError('options.includeDetections', 'a boolean', includeDetections);
  }
  expectNumber('options.liveUpdateIntervalMs', liveUpdateIntervalMs, 0);
  expectNumber('options.smoothingWindowMs', smoothingWindowMs, 0);
  expectNumber('options.interpolateGapsMs', interpolateGapsMs, 0);
  return { tracker, liveUpdates, liveUpdateIntervalMs, includeDetections, smoothingWindowMs, interpolateGapsMs };
}

/** Per-track state of the shell: the incremental summary and the live-update clock. */
interface TrackEntry {
  readonly builder: TrackSummaryBuilder;
  lastLiveUpdate: number;
}

/**
 * Links `FaceDetection`s (sorted by `Timestamp`, as `GetFaceDetection` returns them) into face tracks and
 * emits each {@link Track} when it closes: after `maxGapMs` without a detection (judged on the data's
 * timestamps, so it is synchronous and deterministic), at a shot cut, or when the source completes. With
 * `liveUpdates`, also emits `status: 'open'` snapshots while tracks grow.
 *
 * Works from `Timestamp` + `Face.BoundingBox` + `Face.Confidence` alone; `Pose` and the stable attributes
 * (ALL attributes) are used as tie-breakers when present. A track never holds two detections of one timestamp.
 * Options are validated when `faceTracks` is called; a malformed detection or a timestamp going back in time
 * errors the stream with an {@link InvalidParameterError}. Source errors propagate; unsubscribing stops it.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { faceTracks } from 'rekognition-face-stream';
 *
 * const box = (left: number) => ({ Left: left, Top: 0.2, Width: 0.1, Height: 0.15 });
 * from([
 *   { Timestamp: 0, Face: { BoundingBox: box(0.1), Confidence: 99.9 } },
 *   { Timestamp: 200, Face: { BoundingBox: box(0.11), Confidence: 99.8 } },
 *   { Timestamp: 400, Face: { BoundingBox: box(0.12), Confidence: 99.9 } },
 * ])
 *   .pipe(faceTracks({ maxGapMs: 6000 }))
 *   .subscribe((track) => console.log(track.trackId, track.startTimestamp, track.endTimestamp)); // 1 0 400
 * ```
 */
export function faceTracks(options: FaceTracksOptions = {}): OperatorFunction<FaceDetection, Track> {
  const resolved = resolveFaceTracksOptions(options);
  const { liveUpdates, liveUpdateIntervalMs, includeDetections, smoothingWindowMs, interpolateGapsMs } = resolved;
  // Sample times are needed for interpolation until observations are consumed (at most `confirmWithinMs` late).
  const keepSampleTimesMs = interpolateGapsMs + resolved.tracker.confirmWithinMs + 1000;
  const useCues = resolved.tracker.useFaceCues;
  return (source) =>
    new Observable<Track>((subscriber) => {
      const entries = new Map<TrackState<FaceDetection>, TrackEntry>();
      const sampleTimes = interpolateGapsMs > 0 ? new SampleTimes(keepSampleTimesMs) : undefined;
      const entryOf = (track: TrackState<FaceDetection>): TrackEntry => {
        let entry = entries.get(track);
        if (!entry) {
          entry = { builder: new TrackSummaryBuilder(includeDetections, smoothingWindowMs), lastLiveUpdate: -Infinity };
          entries.set(track, entry);
        }
        // The core hands over each observation once (it releases them after `updated`).
        const builder = entry.builder;
        for (const observation of track.observations) {
          const previous = builder.lastTimestamp;
          const gap =
            sampleTimes && previous !== undefined && observation.timestamp - previous <= interpolateGapsMs
              ? sampleTimes.between(previous, observation.timestamp)
              : undefined;
          builder.add(observation.payload, gap);
        }
        return entry;
      };
      const tracker = new FaceTracker<FaceDetection>(resolved.tracker, {
        // Summaries are built incrementally, so closing a long track costs no more than its last detections.
        updated: (track, timestamp) => {
          const entry = entryOf(track);
          if (liveUpdates && timestamp - entry.lastLiveUpdate >= liveUpdateIntervalMs) {
            entry.lastLiveUpdate = timestamp;
            subscriber.next(entry.builder.build(track.trackId as number, 'open'));
          }
        },
        closed: (track, reason) => {
          const entry = entryOf(track);
          entries.delete(track);
          subscriber.next(entry.builder.build(track.trackId as number, 'closed', reason));
        },
      });
      return subscribeTracker(
        source,
        subscriber,
        (detection, index) => {
          const observation = observationFromDetection(detection, index, useCues);
          sampleTimes?.record(observation.timestamp);
          tracker.add(observation);
        },
        () => tracker.finish(),
      );
    });
}

/** The recent sample times of the stream (ascending, distinct), kept for `keepMs`. */
class SampleTimes {
  private readonly times = new ArrayQueue<number>();

  constructor(private readonly keepMs: number) {}

  record(t: number): void {
    const times = this.times;
    if (times.length > 0 && times.peekLast()! >= t) return;
    times.push(t);
    // Forget times nobody can ask about any more.
    while (times.peek()! < t - this.keepMs) times.shift();
  }

  /** Sample times strictly between `from` and `to`. */
  between(from: number, to: number): number[] {
    const times = this.times;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times.at(mid)! <= from) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let k = lo; k < times.length && times.at(k)! < to; k++) out.push(times.at(k)!);
    return out;
  }
}

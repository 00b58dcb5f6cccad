/**
 * The tracking core: links detections (grouped into samples by timestamp) into tracks. Time-based (every
 * lifetime in ms of video time), synchronous, deterministic, no RxJS and no I/O; the `faceTracks` operator and
 * the `tracks` CLI command are thin shells around it.
 *
 * Per sample:
 * 1. expire tracks: confirmed tracks unseen for more than `maxGapMs` close (`gap`); tentative tracks that did
 *    not reach `minHits` within `confirmWithinMs` are dropped as false positives;
 * 2. predict every open track at the sample time (constant velocity fitted on its recent observations);
 * 3. associate: cost = (1 − IoU) + scale-normalized centre distance + scale change + age of the track + face-cue
 *    penalties, gated (the centre-distance allowance grows with the time since the track was seen), solved
 *    optimally (LAP) with a per-track "stay unmatched" cost;
 * 4. recover: leftover detections against the *last observed* boxes of leftover tracks (OC-SORT's
 *    observation-centric recovery, for tracks whose prediction overshot);
 * 5. shot cut: if (nearly) none of the tracks seen in the previous sample matches while new faces appear, close
 *    every track (`cut`) and start afresh;
 * 6. update matched tracks (a tentative track reaching `minHits` is confirmed and its earlier detections are
 *    back-filled with its id); unmatched detections start tentative tracks.
 *
 * A track never holds two detections of one timestamp: each sample is a one-to-one assignment.
 *
 * @module
 */
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { iou, normalizedCentreDistance, scaleChange } from '../geometry.js';
import type { Box } from '../geometry.js';
import { cuePenalty } from './cuePenalty.js';
import { gatedAssignment } from './gatedAssignment.js';
import type { TrackerObservation } from './TrackerObservation.js';
import { resolveTrackerOptions } from './TrackerOptions.js';
import type { ResolvedTrackerOptions, TrackerOptions } from './TrackerOptions.js';
import { TrackState } from './TrackState.js';
import type { TrackCloseReason } from './TrackState.js';

/** Receives the tracker's events, synchronously, in a deterministic order. */
export interface TrackerSink<T> {
  /**
   * A track was confirmed (it now has a public `trackId`; its earlier observations, all still in
   * `track.observations`, are labelled).
   */
  confirmed?(track: TrackState<T>): void;
  /**
   * A confirmed track received a detection in the sample at `timestamp` (also called right after `confirmed`).
   * `track.observations` holds the observations added since the previous call; they are released afterwards.
   */
  updated?(track: TrackState<T>, timestamp: number): void;
  /** A confirmed track closed. Dropped tentative tracks are not reported (their observations get `trackId: null`). */
  closed(track: TrackState<T>, reason: TrackCloseReason): void;
}

/** Added to a tentative track's cost so that confirmed tracks win ties. */
const TENTATIVE_PENALTY = 0.1;
/** Cost per second since the track was last seen (recent tracks win ties). */
const GAP_COST_PER_SECOND = 0.1;
/** Share of the distance allowance that does not shrink with shorter sampling steps (detector jitter). */
const STEP_FLOOR = 0.5;
/** Weight of `1 − IoU` in the cost. */
const IOU_WEIGHT = 0.5;
/** Weight of the scale change in the cost. */
const SCALE_WEIGHT = 2;
/** Growth of the allowed scale change per second of gap. */
const SCALE_GROWTH_PER_SECOND = 0.25;
/** Shot cut: at most this share of the established tracks seen in the previous sample may continue normally. */
const CUT_MAX_NORMAL_SHARE = 0.25;
/** Shot cut: tracks with fewer detections are not considered (their motion is not known well enough). */
const CUT_MIN_HITS = 3;
/** Shot cut: a jump is a prediction error this many times the track's typical one… */
const CUT_SURPRISE = 4;
/** …and at least this far (face sizes) or this large a scale change. */
const CUT_MIN_JUMP = 0.3;
const CUT_MIN_SCALE_JUMP = 0.15;

/**
 * Links detections into tracks. Feed observations with {@link FaceTracker.add} in non-decreasing timestamp
 * order and call {@link FaceTracker.finish} at the end; events arrive on the sink.
 *
 * @example
 * ```ts
 * import { FaceTracker } from './FaceTracker.js';
 *
 * const tracker = new FaceTracker<string>({ minHits: 1 }, { closed: (t) => console.log(t.trackId, t.hits) });
 * for (const [timestamp, left] of [[0, 0.1], [200, 0.12], [400, 0.14]] as const) {
 *   tracker.add({ timestamp, box: { left, top: 0.2, width: 0.1, height: 0.1 }, confidence: 99, cues: undefined, payload: 'face', trackId: undefined });
 * }
 * tracker.finish(); // logs: 1 3
 * ```
 */
export class FaceTracker<T> {
  private readonly options: ResolvedTrackerOptions;
  private readonly sink: TrackerSink<T>;
  /** Open tracks (confirmed and tentative), in creation order. */
  private tracks: TrackState<T>[] = [];
  private sample: TrackerObservation<T>[] = [];
  private sampleTimestamp = -Infinity;
  private previousSampleTimestamp = -Infinity;
  private nextTrackId = 1;
  private finished = false;
  // Scratch buffers, grown on demand.
  private predicted = new Float64Array(64);
  private cost = new Float64Array(256);
  private detTaken = new Uint8Array(64);
  private jumps = new Float64Array(128);

  constructor(options: TrackerOptions | undefined, sink: TrackerSink<T>) {
    this.options = resolveTrackerOptions(options);
    this.sink = sink;
  }

  /** Number of open tracks (confirmed and tentative). */
  get openTracks(): number {
    return this.tracks.length;
  }

  /**
   * Adds one detection. Detections with the timestamp of the previous one join its sample; a later timestamp
   * first processes the pending sample. Detections below `minConfidence` get `trackId: null` at once.
   *
   * @throws {@link InvalidParameterError} if `timestamp` goes back in time, or after {@link FaceTracker.finish}.
   */
  add(observation: TrackerObservation<T>): void {
    if (this.finished) throw new InvalidParameterError('add', 'not to be called after finish()', 'a call');
    const t = observation.timestamp;
    if (!(t >= this.sampleTimestamp)) {
      throw new InvalidParameterError(
        'Timestamp',
        `a finite number >= ${this.sampleTimestamp} (detections must be sorted by time)`,
        t,
      );
    }
    if (t > this.sampleTimestamp) {
      if (this.sample.length > 0) this.process();
      this.sampleTimestamp = t;
      // Expiry at t does not depend on the detections of t: close tracks as soon as time says so.
      this.expire(t);
    }
    if (observation.confidence < this.options.minConfidence) {
      observation.trackId = null;
      return;
    }
    this.sample.push(observation);
  }

  /** Processes the pending sample and closes every open track (`end`). Idempotent. */
  finish(): void {
    if (this.finished) return;
    if (this.sample.length > 0) this.process();
    this.finished = true;
    this.closeAll('end');
  }

  private process(): void {
    const t = this.sampleTimestamp;
    const dets = this.sample;
    this.sample = [];
    this.expire(t);
    const tracks = this.tracks;
    const nt = tracks.length;
    const nd = dets.length;
    const o = this.options;

    const match = nt > 0 ? this.associate(t, dets) : new Int32Array(0);
    if (this.detTaken.length < nd) this.detTaken = new Uint8Array(nd * 2);
    const detTaken = this.detTaken.subarray(0, nd).fill(0);
    let unmatchedTracks = 0;
    for (let i = 0; i < nt; i++) {
      const j = match[i] as number;
      if (j >= 0) detTaken[j] = 1;
      else unmatchedTracks++;
    }
    if (unmatchedTracks > 0 && unmatchedTracks < nt + nd) this.recover(t, dets, match, detTaken);

    // How far each matched detection is from its track's prediction (for the cut test and the statistics).
    if (this.jumps.length < nt * 2) this.jumps = new Float64Array(nt * 4);
    const jumpDistance = this.jumps.subarray(0, nt);
    const jumpScale = this.jumps.subarray(nt, nt * 2);
    const predicted = this.predicted; // filled by associate(): 4 numbers per track
    for (let i = 0; i < nt; i++) {
      const j = match[i] as number;
      if (j < 0) continue;
      const det = (dets[j] as TrackerObservation<T>).box;
      const k = i * 4;
      const box: Box = { left: predicted[k] as number, top: predicted[k + 1] as number, width: predicted[k + 2] as number, height: predicted[k + 3] as number };
      jumpDistance[i] = normalizedCentreDistance(box, det);
      jumpScale[i] = scaleChange(box, det);
    }

    if (o.shotCuts && this.isShotCut(match, detTaken, jumpDistance, jumpScale)) {
      this.closeAll('cut');
      for (let j = 0; j < nd; j++) this.start(dets[j] as TrackerObservation<T>, t);
      this.previousSampleTimestamp = t;
      return;
    }
    for (let i = 0; i < nt; i++) {
      const j = match[i] as number;
      if (j < 0) continue;
      const track = tracks[i] as TrackState<T>;
      const det = dets[j] as TrackerObservation<T>;
      track.recordInnovation(jumpDistance[i] as number, jumpScale[i] as number);
      track.add(det);
      if (track.trackId !== null) {
        det.trackId = track.trackId;
        this.sink.updated?.(track, t);
        track.releaseObservations();
      } else if (track.hits >= o.minHits) {
        this.confirm(track, t);
      }
    }
    for (let j = 0; j < nd; j++) if (detTaken[j] === 0) this.start(dets[j] as TrackerObservation<T>, t);
    this.previousSampleTimestamp = t;
  }

  private start(det: TrackerObservation<T>, t: number): void {
    if (det.confidence < this.options.newTrackMinConfidence) {
      det.trackId = null;
      return;
    }
    const track = new TrackState(det);
    this.tracks.push(track);
    if (this.options.minHits <= 1) this.confirm(track, t);
  }

  private confirm(track: TrackState<T>, t: number): void {
    const id = this.nextTrackId++;
    track.trackId = id;
    for (const observation of track.observations) observation.trackId = id;
    this.sink.confirmed?.(track);
    this.sink.updated?.(track, t);
    track.releaseObservations();
  }

  /** Closes confirmed tracks unseen for longer than `maxGapMs`; drops tentative tracks past `confirmWithinMs`. */
  private expire(t: number): void {
    const { maxGapMs, confirmWithinMs } = this.options;
    let closing: TrackState<T>[] | undefined;
    let exiting: TrackState<T>[] | undefined;
    let keep = 0;
    const tracks = this.tracks;
    for (let k = 0; k < tracks.length; k++) {
      const track = tracks[k] as TrackState<T>;
      if (track.trackId === null) {
        if (t - track.firstTimestamp > confirmWithinMs) {
          drop(track);
          continue;
        }
      } else if (t - track.lastTimestamp > maxGapMs) {
        (closing ??= []).push(track);
        continue;
      } else if (t > track.lastTimestamp && this.hasLeftFrame(track, t)) {
        (exiting ??= []).push(track);
        continue;
      }
      tracks[keep++] = track;
    }
    tracks.length = keep;
    if (closing) this.emitClosed(closing, 'gap');
    if (exiting) this.emitClosed(exiting, 'exit');
  }

  /** Whether the predicted centre of an unmatched track has moved out of the frame (boxes in frame ratios). */
  private hasLeftFrame(track: TrackState<T>, t: number): boolean {
    const p = this.predicted;
    track.predictInto(t, this.options.maxExtrapolationMs, p, 0);
    const cx = (p[0] as number) + (p[2] as number) / 2;
    const cy = (p[1] as number) + (p[3] as number) / 2;
    return cx < 0 || cx > 1 || cy < 0 || cy > 1;
  }

  private closeAll(reason: TrackCloseReason): void {
    const closing: TrackState<T>[] = [];
    for (const track of this.tracks) {
      if (track.trackId === null) drop(track);
      else closing.push(track);
    }
    this.tracks = [];
    this.emitClosed(closing, reason);
  }

  private emitClosed(closing: TrackState<T>[], reason: TrackCloseReason): void {
    if (closing.length > 1) closing.sort((a, b) => (a.trackId as number) - (b.trackId as number));
    for (const track of closing) this.sink.closed(track, reason);
  }

  /** Stage 1: predicted boxes against the sample's detections. Returns the detection index per track or -1. */
  private associate(t: number, dets: readonly TrackerObservation<T>[]): Int32Array {
    const tracks = this.tracks;
    const nt = tracks.length;
    const nd = dets.length;
    if (this.predicted.length < nt * 4) this.predicted = new Float64Array(nt * 8);
    if (this.cost.length < nt * nd) this.cost = new Float64Array(nt * nd * 2);
    const predicted = this.predicted;
    const cost = this.cost;
    const maxExtrapolationMs = this.options.maxExtrapolationMs;
    for (let i = 0; i < nt; i++) {
      (tracks[i] as TrackState<T>).predictInto(t, maxExtrapolationMs, predicted, i * 4);
      const box: Box = {
        left: predicted[i * 4] as number,
        top: predicted[i * 4 + 1] as number,
        width: predicted[i * 4 + 2] as number,
        height: predicted[i * 4 + 3] as number,
      };
      this.fillRow(tracks[i] as TrackState<T>, box, t, dets, cost, i * nd);
    }
    return gatedAssignment(nt, nd, cost.subarray(0, nt * nd), this.options.maxCost);
  }

  /** Stage 2 (recovery): leftover detections against the last observed boxes of leftover tracks. */
  private recover(t: number, dets: readonly TrackerObservation<T>[], match: Int32Array, detTaken: Uint8Array): void {
    const tracks = this.tracks;
    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = 0; i < tracks.length; i++) if ((match[i] as number) < 0) rows.push(i);
    for (let j = 0; j < dets.length; j++) if (detTaken[j] === 0) cols.push(j);
    if (rows.length === 0 || cols.length === 0) return;
    const cost = new Float64Array(rows.length * cols.length);
    const sub: TrackerObservation<T>[] = cols.map((j) => dets[j] as TrackerObservation<T>);
    for (let a = 0; a < rows.length; a++) {
      const track = tracks[rows[a] as number] as TrackState<T>;
      this.fillRow(track, track.lastBox, t, sub, cost, a * cols.length);
    }
    const recovered = gatedAssignment(rows.length, cols.length, cost, this.options.maxCost);
    for (let a = 0; a < rows.length; a++) {
      const b = recovered[a] as number;
      if (b < 0) continue;
      const j = cols[b] as number;
      match[rows[a] as number] = j;
      detTaken[j] = 1;
    }
  }

  /** Costs of one track (whose reference box is `box`) against every detection; `Infinity` when gated. */
  private fillRow(
    track: TrackState<T>,
    box: Box,
    t: number,
    dets: readonly TrackerObservation<T>[],
    cost: Float64Array,
    offset: number,
  ): void {
    const o = this.options;
    const gapSeconds = Math.max(0, t - track.lastTimestamp) / 1000;
    // A track seen once has no velocity yet: its next position is less certain.
    // Allowances are defined for one ~200 ms sampling step; faces move less in shorter steps (25 fps input).
    const step = Math.min(1, STEP_FLOOR + ((1 - STEP_FLOOR) * gapSeconds) / 0.2);
    const allowance =
      (track.hits === 1 ? o.newTrackMaxCentreDistance : o.maxCentreDistance) * step +
      o.centreDistanceGrowthPerSecond * Math.max(0, gapSeconds - 0.2);
    const maxScale = o.maxScaleChange + SCALE_GROWTH_PER_SECOND * gapSeconds;
    const base = GAP_COST_PER_SECOND * gapSeconds + (track.trackId === null ? TENTATIVE_PENALTY : 0);
    // Cheap rejection first: IoU > 0 needs centres less than one mean box size apart, so beyond
    // max(allowance, 2) box sizes (conservatively: (w₁ + w₂) · limit) the pair is gated whatever its IoU.
    const limit = Math.max(allowance, 2);
    const cx = box.left + box.width / 2;
    const cy = box.top + box.height / 2;
    for (let j = 0; j < dets.length; j++) {
      const det = dets[j] as TrackerObservation<T>;
      const b = det.box;
      if (
        Math.abs(b.left + b.width / 2 - cx) > limit * (b.width + box.width) ||
        Math.abs(b.top + b.height / 2 - cy) > limit * (b.height + box.height)
      ) {
        cost[offset + j] = Infinity;
        continue;
      }
      const distance = normalizedCentreDistance(box, det.box);
      const overlap = distance < 2 ? iou(box, det.box) : 0;
      const scale = scaleChange(box, det.box);
      if ((distance > allowance && overlap < o.minIou) || !(scale <= maxScale)) {
        cost[offset + j] = Infinity;
        continue;
      }
      let c = base + Math.min(distance / allowance, 1) + IOU_WEIGHT * (1 - overlap) + SCALE_WEIGHT * scale;
      if (o.useFaceCues && det.cues) c += cuePenalty(track, det.cues, t);
      cost[offset + j] = c;
    }
  }

  /**
   * A shot cut: the established tracks seen in the previous sample (at least one) all vanish or jump at once
   * (at most a quarter of them continue normally), and new evidence appears (a jumped match or a new face).
   * A jump is a match much farther from the prediction, or much larger or smaller, than the track's own
   * history of prediction errors makes plausible.
   */
  private isShotCut(match: Int32Array, detTaken: Uint8Array, jumpDistance: Float64Array, jumpScale: Float64Array): boolean {
    const previous = this.previousSampleTimestamp;
    let recent = 0;
    let normal = 0;
    let jumped = 0;
    const tracks = this.tracks;
    for (let i = 0; i < tracks.length; i++) {
      const track = tracks[i] as TrackState<T>;
      // Matches are applied after this check, so `lastTimestamp` is still the time the track was last seen.
      if (track.lastTimestamp !== previous || track.hits < CUT_MIN_HITS) continue;
      recent++;
      if ((match[i] as number) < 0) continue;
      // Faces move during a gap: the jump threshold grows like the association allowance.
      const gapAllowance = this.options.centreDistanceGrowthPerSecond * Math.max(0, (this.sampleTimestamp - previous) / 1000 - 0.2);
      const distanceLimit = Math.max(CUT_MIN_JUMP + gapAllowance, CUT_SURPRISE * Math.sqrt(track.innovation2));
      const scaleLimit = Math.max(CUT_MIN_SCALE_JUMP, CUT_SURPRISE * Math.sqrt(track.scaleInnovation2));
      if ((jumpDistance[i] as number) > distanceLimit || (jumpScale[i] as number) > scaleLimit) jumped++;
      else normal++;
    }
    if (recent === 0 || normal > Math.floor(recent * CUT_MAX_NORMAL_SHARE)) return false;
    if (jumped > 0) return true;
    // Every established track vanished: a cut only if new faces appear instead.
    for (let j = 0; j < detTaken.length; j++) if (detTaken[j] === 0) return true;
    return false;
  }
}

function drop<T>(track: TrackState<T>): void {
  for (const observation of track.observations) observation.trackId = null;
}

/**
 * Builds a {@link Track} summary incrementally, one detection at a time (O(1) per detection for the votes):
 * best frame, confidence-weighted attribute votes, emotion timeline and dominant emotion; the box path
 * (smoothed, short gaps interpolated) is computed when the summary is built.
 *
 * @module
 */
import type { Box } from '../core/geometry.js';
import { boundingBoxFromBox, boxFromBoundingBox, lerpBox } from '../core/geometry.js';
import { smoothPath } from '../core/tracking/smoothPath.js';
import type { FaceDetail, FaceDetection } from '../types.js';
import type {
  BooleanVote,
  EmotionSegment,
  Track,
  TrackAttributes,
  TrackCloseReason,
  TrackEmotions,
  TrackPoint,
} from './Track.js';

type BooleanAttribute = { readonly Value?: boolean | undefined; readonly Confidence?: number | undefined } | undefined;

/** Running confidence-weighted probability of a yes/no attribute (for the `{ Value, Confidence }` votes). */
class BooleanVoteTally {
  private weight = 0;
  private yes = 0;

  add(attribute: BooleanAttribute, w: number): void {
    if (!attribute || typeof attribute.Value !== 'boolean') return;
    const confidence = clamp(numberOr(attribute.Confidence, 50), 0, 100);
    this.weight += w;
    this.yes += w * (attribute.Value ? confidence : 100 - confidence);
  }

  /** Confidence-weighted vote, or undefined when the attribute never appeared. */
  vote(): BooleanVote | undefined {
    if (!(this.weight > 0)) return undefined;
    const p = this.yes / this.weight;
    return p >= 50 ? { Value: true, Confidence: round2(p) } : { Value: false, Confidence: round2(100 - p) };
  }
}

/** Running weighted share of detections whose attribute `Value` is true (for the `…Share` figures). */
class ShareTally {
  private weight = 0;
  private yes = 0;

  add(attribute: BooleanAttribute, w: number): void {
    if (!attribute || typeof attribute.Value !== 'boolean') return;
    this.weight += w;
    if (attribute.Value) this.yes += w;
  }

  /** The share in [0, 1], or undefined when the attribute never appeared. */
  share(): number | undefined {
    return this.weight > 0 ? round4(this.yes / this.weight) : undefined;
  }
}

/**
 * Accumulates the detections of one track (in time order) and produces its summary.
 *
 * @example
 * ```ts
 * import { TrackSummaryBuilder } from './TrackSummaryBuilder.js';
 *
 * const builder = new TrackSummaryBuilder(true);
 * builder.add({ Timestamp: 0, Face: { BoundingBox: { Left: 0.1, Top: 0.1, Width: 0.2, Height: 0.2 }, Confidence: 99 } });
 * const track = builder.build(1, 'closed', 'end');
 * console.log(track.detectionCount); // 1
 * ```
 */
export class TrackSummaryBuilder {
  private readonly includeDetections: boolean;
  private readonly smoothingWindowMs: number;
  private readonly detections: FaceDetection[] = [];
  // The detected points (time, box, confidence) and, per detected point, the sample times interpolated before it.
  private readonly times: number[] = [];
  private readonly boxes: Box[] = [];
  private readonly confidences: number[] = [];
  private readonly gapsBefore = new Map<number, readonly number[]>();
  private interpolatedCount = 0;
  private confidenceSum = 0;
  private best: FaceDetection | undefined;
  private bestScore = -1;
  private readonly gender = new BooleanVoteTally(); // "yes" = Male
  private readonly eyeglasses = new BooleanVoteTally();
  private readonly sunglasses = new BooleanVoteTally();
  private readonly beard = new BooleanVoteTally();
  private readonly mustache = new BooleanVoteTally();
  private readonly smile = new ShareTally();
  private readonly eyesOpen = new ShareTally();
  private readonly mouthOpen = new ShareTally();
  private ageWeight = 0;
  private ageLow = 0;
  private ageHigh = 0;
  private readonly emotionTotals = new Map<string, number>();
  private emotionTotal = 0;
  private readonly timeline: EmotionSegment[] = [];
  private segment: { Type: string; StartTimestamp: number; EndTimestamp: number; DetectionCount: number; sum: number } | undefined;

  /**
   * @param includeDetections - keep the detections themselves (otherwise only the path).
   * @param smoothingWindowMs - path smoothing window (±ms, local linear fit); 0 keeps the detected boxes.
   */
  constructor(includeDetections: boolean, smoothingWindowMs = 0) {
    this.includeDetections = includeDetections;
    this.smoothingWindowMs = smoothingWindowMs;
  }

  /** Number of detections added. */
  get count(): number {
    return this.times.length;
  }

  /** Timestamp of the newest detection, or undefined. */
  get lastTimestamp(): number | undefined {
    return this.times[this.times.length - 1];
  }

  /**
   * Adds the next detection of the track (time order). Its `Face.BoundingBox` must be valid. `gap` lists sample
   * times between the previous detection and this one at which the path gets interpolated points.
   */
  add(detection: FaceDetection, gap?: readonly number[]): void {
    const face = detection.Face as FaceDetail;
    const timestamp = detection.Timestamp as number;
    const confidence = numberOr(face.Confidence, 100);
    const w = clamp(confidence, 0, 100) / 100;
    if (this.includeDetections) this.detections.push(detection);
    if (gap && gap.length > 0 && this.times.length > 0) {
      this.gapsBefore.set(this.times.length, gap);
      this.interpolatedCount += gap.length;
    }
    this.times.push(timestamp);
    this.boxes.push(boxFromBoundingBox(face.BoundingBox));
    this.confidences.push(confidence);
    this.confidenceSum += confidence;

    const score = frameScore(face, w);
    if (score > this.bestScore) {
      this.bestScore = score;
      this.best = detection;
    }

    const gender = face.Gender;
    if (gender && (gender.Value === 'Male' || gender.Value === 'Female')) {
      this.gender.add({ Value: gender.Value === 'Male', Confidence: gender.Confidence }, w);
    }
    this.eyeglasses.add(face.Eyeglasses, w);
    this.sunglasses.add(face.Sunglasses, w);
    this.beard.add(face.Beard, w);
    this.mustache.add(face.Mustache, w);
    this.smile.add(face.Smile, w);
    this.eyesOpen.add(face.EyesOpen, w);
    this.mouthOpen.add(face.MouthOpen, w);
    const low = face.AgeRange?.Low;
    const high = face.AgeRange?.High;
    if (typeof low === 'number' && typeof high === 'number' && Number.isFinite(low) && Number.isFinite(high)) {
      this.ageWeight += w;
      this.ageLow += w * low;
      this.ageHigh += w * high;
    }
    this.addEmotions(face, timestamp, w);
  }

  private addEmotions(face: FaceDetail, timestamp: number, w: number): void {
    const emotions = face.Emotions;
    if (!emotions || emotions.length === 0) return;
    let topType: string | undefined;
    let topConfidence = -1;
    for (const emotion of emotions) {
      const type = emotion.Type;
      const confidence = emotion.Confidence;
      if (typeof type !== 'string' || typeof confidence !== 'number' || !Number.isFinite(confidence)) continue;
      this.emotionTotals.set(type, (this.emotionTotals.get(type) ?? 0) + w * confidence);
      this.emotionTotal += w * confidence;
      if (confidence > topConfidence) {
        topConfidence = confidence;
        topType = type;
      }
    }
    if (topType === undefined) return;
    const segment = this.segment;
    if (segment && segment.Type === topType) {
      segment.EndTimestamp = timestamp;
      segment.DetectionCount++;
      segment.sum += topConfidence;
      return;
    }
    if (segment) this.timeline.push(finishSegment(segment));
    this.segment = { Type: topType, StartTimestamp: timestamp, EndTimestamp: timestamp, DetectionCount: 1, sum: topConfidence };
  }

  /** The summary of the detections so far. Throws if none was added. */
  build(trackId: number, status: 'open' | 'closed', closeReason?: TrackCloseReason): Track {
    const n = this.times.length;
    const first = this.times[0];
    const last = this.times[n - 1];
    if (first === undefined || last === undefined || !this.best) throw new RangeError('a track summary needs at least one detection');
    const emotions = this.emotions();
    return {
      trackId,
      status,
      ...(closeReason !== undefined && status === 'closed' ? { closeReason } : {}),
      startTimestamp: first,
      endTimestamp: last,
      durationMs: last - first,
      detectionCount: n,
      meanConfidence: round2(this.confidenceSum / n),
      path: this.path(),
      ...(this.includeDetections ? { detections: status === 'open' ? this.detections.slice() : this.detections } : {}),
      bestDetection: this.best,
      bestScore: round4(this.bestScore),
      attributes: this.attributes(),
      ...(emotions ? { emotions } : {}),
    };
  }

  /** Smoothed detected points, with interpolated points in the recorded gaps. */
  private path(): TrackPoint[] {
    const smoothed = smoothPath(this.times, this.boxes, this.smoothingWindowMs);
    const path: TrackPoint[] = [];
    for (let i = 0; i < smoothed.length; i++) {
      const gap = this.gapsBefore.get(i);
      if (gap) {
        const t0 = this.times[i - 1] as number;
        const t1 = this.times[i] as number;
        const a = smoothed[i - 1] as Box;
        const b = smoothed[i] as Box;
        for (const t of gap) {
          path.push({ Timestamp: t, BoundingBox: boundingBoxFromBox(lerpBox(a, b, (t - t0) / (t1 - t0))), Confidence: 0, Interpolated: true });
        }
      }
      path.push({ Timestamp: this.times[i] as number, BoundingBox: boundingBoxFromBox(smoothed[i] as Box), Confidence: this.confidences[i] as number });
    }
    return path;
  }

  private attributes(): TrackAttributes {
    const attributes: { -readonly [K in keyof TrackAttributes]: TrackAttributes[K] } = {};
    if (this.ageWeight > 0) {
      attributes.AgeRange = { Low: Math.round(this.ageLow / this.ageWeight), High: Math.round(this.ageHigh / this.ageWeight) };
    }
    const gender = this.gender.vote();
    if (gender) attributes.Gender = { Value: gender.Value ? 'Male' : 'Female', Confidence: gender.Confidence };
    const eyeglasses = this.eyeglasses.vote();
    if (eyeglasses) attributes.Eyeglasses = eyeglasses;
    const sunglasses = this.sunglasses.vote();
    if (sunglasses) attributes.Sunglasses = sunglasses;
    const beard = this.beard.vote();
    if (beard) attributes.Beard = beard;
    const mustache = this.mustache.vote();
    if (mustache) attributes.Mustache = mustache;
    const smile = this.smile.share();
    if (smile !== undefined) attributes.SmileShare = smile;
    const eyesOpen = this.eyesOpen.share();
    if (eyesOpen !== undefined) attributes.EyesOpenShare = eyesOpen;
    const mouthOpen = this.mouthOpen.share();
    if (mouthOpen !== undefined) attributes.MouthOpenShare = mouthOpen;
    return attributes;
  }

  private emotions(): TrackEmotions | undefined {
    if (!this.segment || !(this.emotionTotal > 0)) return undefined;
    let dominant = '';
    let dominantTotal = -1;
    for (const [type, total] of this.emotionTotals) {
      if (total > dominantTotal) {
        dominantTotal = total;
        dominant = type;
      }
    }
    return {
      Dominant: { Type: dominant, Share: round4(dominantTotal / this.emotionTotal) },
      Timeline: [...this.timeline, finishSegment(this.segment)],
    };
  }
}

/**
 * Best-frame score in [0, 1]: detection confidence × image quality (mean of `Quality.Sharpness` and
 * `Quality.Brightness`, 1 when absent) × frontality (cos yaw × cos pitch, 1 when `Pose` is absent).
 */
export function frameScore(face: FaceDetail, confidenceWeight: number): number {
  const sharpness = face.Quality?.Sharpness;
  const brightness = face.Quality?.Brightness;
  let quality = 1;
  if (typeof sharpness === 'number' && typeof brightness === 'number') quality = (sharpness + brightness) / 200;
  else if (typeof sharpness === 'number') quality = sharpness / 100;
  else if (typeof brightness === 'number') quality = brightness / 100;
  const yaw = numberOr(face.Pose?.Yaw, 0);
  const pitch = numberOr(face.Pose?.Pitch, 0);
  const frontal = Math.max(0, Math.cos((yaw * Math.PI) / 180)) * Math.max(0, Math.cos((pitch * Math.PI) / 180));
  return confidenceWeight * clamp(quality, 0, 1) * frontal;
}

function finishSegment(segment: { Type: string; StartTimestamp: number; EndTimestamp: number; DetectionCount: number; sum: number }): EmotionSegment {
  return {
    Type: segment.Type,
    StartTimestamp: segment.StartTimestamp,
    EndTimestamp: segment.EndTimestamp,
    DetectionCount: segment.DetectionCount,
    Confidence: round2(segment.sum / segment.DetectionCount),
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}

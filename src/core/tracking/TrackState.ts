/**
 * The state of one track inside the tracking core: its observations, a constant-velocity motion estimate
 * fitted on its recent observations (observation-centric, as in OC-SORT: after a gap the fit spans the gap, so
 * the velocity follows the virtual linear trajectory instead of drifting), and running face-cue evidence.
 *
 * @module
 */
import type { Box } from '../geometry.js';
import type { FaceCues, TrackerObservation } from './TrackerObservation.js';

/** Observations used by the motion fit. */
const FIT_MAX_OBSERVATIONS = 30;
/** Oldest observation (relative to the newest) used by the motion fit, ms. */
const FIT_WINDOW_MS = 1200;
/** Prior of the innovation statistics (a typical distance and scale change between prediction and observation). */
const INITIAL_INNOVATION = 0.1;
const INITIAL_SCALE_INNOVATION = 0.05;
/** Weight of the newest innovation in the running statistics. */
const INNOVATION_RATE = 0.2;
/** Share of the fitted log-size velocity used for prediction (sizes are noisy; damp them). */
const SIZE_VELOCITY_DAMPING = 0.5;

/**
 * Why a track closed: no detection for `maxGapMs` (`gap`), the face moved out of the frame (`exit`: its
 * predicted centre left the frame), a shot cut (`cut`), or the end of the stream (`end`).
 */
export type TrackCloseReason = 'gap' | 'exit' | 'cut' | 'end';

/** One track of the tracking core. Exposed read-only to sinks; mutated only by the core. */
export class TrackState<T> {
  /** Public id, assigned at confirmation (1, 2, …); `null` while tentative. */
  trackId: number | null = null;
  /** Observations in time order (one per sample). */
  /**
   * The observations not yet delivered, in time order: all of them while the track is tentative; for a
   * confirmed track only those added since the sink's last `updated` call (the core releases them after each
   * call, so long tracks do not retain their detections — copy what you need in the callback).
   */
  readonly observations: TrackerObservation<T>[] = [];
  private released = 0;
  private newest: TrackerObservation<T>;
  /** Time of the first observation. */
  readonly firstTimestamp: number;
  /** Time of the newest observation. */
  lastTimestamp: number;

  // Motion fit: centre and log-side at time `fitT` plus their velocities per ms; `ring` caches
  // (t, cx, cy, ln w, ln h) of the newest observations.
  private readonly ring = new Float64Array(FIT_MAX_OBSERVATIONS * 5);
  private ringNext = 0;
  private fitT = 0;
  private cx = 0;
  private cy = 0;
  private lw = 0;
  private lh = 0;
  private vx = 0;
  private vy = 0;
  private vw = 0;
  private vh = 0;

  /** Running mean square of the distance between prediction and observation (in face sizes). */
  innovation2 = INITIAL_INNOVATION * INITIAL_INNOVATION;
  /** Running mean square of the scale change between prediction and observation. */
  scaleInnovation2 = INITIAL_SCALE_INNOVATION * INITIAL_SCALE_INNOVATION;

  // Face cues: newest pose and summed evidence of stable attributes.
  /** Newest known yaw, or NaN. */
  yaw = Number.NaN;
  /** Time of `yaw`. */
  yawTimestamp = 0;
  readonly evidence = { male: 0, eyeglasses: 0, sunglasses: 0, beard: 0, mustache: 0, cueCount: 0 };
  ageLowSum = 0;
  ageHighSum = 0;
  ageCount = 0;

  constructor(first: TrackerObservation<T>) {
    this.firstTimestamp = first.timestamp;
    this.lastTimestamp = first.timestamp;
    this.newest = first;
    this.add(first);
  }

  /** The newest observation. */
  get last(): TrackerObservation<T> {
    return this.newest;
  }

  /** Number of observations (delivered or not). */
  get hits(): number {
    return this.released + this.observations.length;
  }

  /** Forgets the delivered observations (see {@link TrackState.observations}). */
  releaseObservations(): void {
    this.released += this.observations.length;
    this.observations.length = 0;
  }

  /** Records how far the observation matched at this sample was from the prediction (before {@link add}). */
  recordInnovation(distance: number, scale: number): void {
    this.innovation2 += INNOVATION_RATE * (distance * distance - this.innovation2);
    this.scaleInnovation2 += INNOVATION_RATE * (scale * scale - this.scaleInnovation2);
  }

  /** Appends an observation (its timestamp must be later than the newest one) and refits the motion. */
  add(observation: TrackerObservation<T>): void {
    this.observations.push(observation);
    this.newest = observation;
    this.lastTimestamp = observation.timestamp;
    this.fit();
    const cues = observation.cues;
    if (cues) this.addCues(cues, observation.timestamp);
  }

  /**
   * Writes the predicted box at `timestamp` into `out[offset..offset+3]` as left, top, width, height.
   * Extrapolation is limited to `maxExtrapolationMs` past the newest observation.
   */
  predictInto(timestamp: number, maxExtrapolationMs: number, out: Float64Array, offset: number): void {
    const lastT = this.lastTimestamp;
    const t = Math.min(timestamp, lastT + maxExtrapolationMs);
    const dt = t - this.fitT;
    const w = Math.exp(this.lw + this.vw * SIZE_VELOCITY_DAMPING * dt);
    const h = Math.exp(this.lh + this.vh * SIZE_VELOCITY_DAMPING * dt);
    out[offset] = this.cx + this.vx * dt - w / 2;
    out[offset + 1] = this.cy + this.vy * dt - h / 2;
    out[offset + 2] = w;
    out[offset + 3] = h;
  }

  /** The newest observed box. */
  get lastBox(): Box {
    return this.last.box;
  }

  /**
   * Refits the motion on the newest observations (at most {@link FIT_MAX_OBSERVATIONS}, within
   * {@link FIT_WINDOW_MS} of the newest): a least-squares line per coordinate (centre x, y and log width,
   * height), evaluated at the mean time. Values are cached in a ring so each refit is one pass, no logs.
   */
  private fit(): void {
    const newest = this.last;
    const b = newest.box;
    const ring = this.ring;
    const slot = (this.ringNext % FIT_MAX_OBSERVATIONS) * 5;
    ring[slot] = newest.timestamp;
    ring[slot + 1] = b.left + b.width / 2;
    ring[slot + 2] = b.top + b.height / 2;
    ring[slot + 3] = Math.log(Math.max(b.width, 1e-9));
    ring[slot + 4] = Math.log(Math.max(b.height, 1e-9));
    this.ringNext++;
    const tNewest = newest.timestamp;
    // Single pass over the window, times relative to the newest (no cancellation with large timestamps).
    let n = 0;
    let st = 0;
    let stt = 0;
    let sx = 0;
    let sy = 0;
    let sw = 0;
    let sh = 0;
    let stx = 0;
    let sty = 0;
    let stw = 0;
    let sth = 0;
    const available = Math.min(this.ringNext, FIT_MAX_OBSERVATIONS);
    for (let k = 0; k < available; k++) {
      const at = ((this.ringNext - 1 - k) % FIT_MAX_OBSERVATIONS) * 5;
      const d = (ring[at] as number) - tNewest;
      if (d < -FIT_WINDOW_MS) break;
      const x = ring[at + 1] as number;
      const y = ring[at + 2] as number;
      const w = ring[at + 3] as number;
      const h = ring[at + 4] as number;
      n++;
      st += d;
      stt += d * d;
      sx += x;
      sy += y;
      sw += w;
      sh += h;
      stx += d * x;
      sty += d * y;
      stw += d * w;
      sth += d * h;
    }
    const mt = st / n;
    this.fitT = tNewest + mt;
    this.cx = sx / n;
    this.cy = sy / n;
    this.lw = sw / n;
    this.lh = sh / n;
    // Keep the previous velocity when the window holds a single observation (e.g. after a long gap).
    const varT = stt - n * mt * mt;
    if (n > 1 && varT > 0) {
      this.vx = (stx - mt * sx) / varT;
      this.vy = (sty - mt * sy) / varT;
      this.vw = (stw - mt * sw) / varT;
      this.vh = (sth - mt * sh) / varT;
    }
  }

  private addCues(cues: FaceCues, timestamp: number): void {
    if (cues.yaw !== undefined) {
      this.yaw = cues.yaw;
      this.yawTimestamp = timestamp;
    }
    const e = this.evidence;
    e.cueCount++;
    if (cues.male !== undefined) e.male += cues.male;
    if (cues.eyeglasses !== undefined) e.eyeglasses += cues.eyeglasses;
    if (cues.sunglasses !== undefined) e.sunglasses += cues.sunglasses;
    if (cues.beard !== undefined) e.beard += cues.beard;
    if (cues.mustache !== undefined) e.mustache += cues.mustache;
    if (cues.ageLow !== undefined && cues.ageHigh !== undefined) {
      this.ageLowSum += cues.ageLow;
      this.ageHighSum += cues.ageHigh;
      this.ageCount++;
    }
  }
}

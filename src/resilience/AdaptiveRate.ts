import type { Clock } from '../core/Clock.js';
import {
  type AdaptiveRateParameters,
  type AdaptiveRateState,
  DEFAULT_ADAPTIVE_PARAMETERS,
  decreaseOnThrottle,
  initialAdaptiveState,
  rateAt,
} from './adaptiveRateMath.js';
import { SlidingWindowCounter } from './SlidingWindowCounter.js';
import { type Answer, inTrial, THROTTLE_CAUSE, ThrottleLevels, trialEnd, trialFactorFor } from './throttleCause.js';

/** Options of {@link AdaptiveRate}. */
export interface AdaptiveRateOptions {
  /** Time source. */
  readonly clock: Clock;
  /** Controller tunables. @default DEFAULT_ADAPTIVE_PARAMETERS */
  readonly parameters?: AdaptiveRateParameters;
  /** Window over which the accepted (successful) rate is measured, ms. @default 1000 */
  readonly windowMs?: number;
}

/** What the controller knew when a request joined the queue: take it with {@link AdaptiveRate.ticket}. */
export interface AdaptiveTicket {
  /** The epoch in force. */
  readonly epoch: number;
  /** The rate the request was sent at, requests/s (`NaN`: during the startup, not filed as evidence). */
  readonly level: number;
}

interface LastDecrease {
  /** The state before the decrease. */
  readonly previous: AdaptiveRateState;
  /** The rate level of the throttle that caused it. */
  readonly level: number;
  /** The rate in force just before it, requests/s. */
  readonly before: number;
  /** The rate it landed at, requests/s. */
  readonly landed: number;
}

/** Successes in the window below which a throttle says nothing about the rate (too little to measure from). */
const MIN_SUCCESSES = 3;

/** Requests whose join times measure the rate being sent. */
const RATE_SAMPLES = 8;

/**
 * The rate being sent is measured over the requests that joined in the last this many ms, among the last
 * {@link RATE_SAMPLES} (a backoff before them is not part of it), and is forgotten this long after it was
 * measured, ms: two trial periods.
 */
const SENDING_MS = 2 * THROTTLE_CAUSE.trialPeriodMs;

/** Requests per second among the join times `joins` (oldest first) of the last {@link SENDING_MS}; `Infinity` with fewer than 2. */
function recentRate(joins: readonly number[], now: number): number {
  const recent = joins.filter((at) => at > now - SENDING_MS);
  const span = now - recent[0]!;
  return recent.length >= 2 && span > 0 ? ((recent.length - 1) * 1000) / span : Infinity;
}

/**
 * After a decrease, throttles at or below the rate it landed at are left alone for this long, ms: the other
 * processes sharing a quota (and our own requests in flight) need this long to slow down too.
 */
const SETTLE_MS = 1000;

/**
 * What a throttle did to the rate:
 * - `decreased`: judged caused by the rate (a quota): the rate was lowered;
 * - `background`: within the rate-independent fraction (random load shedding): the rate was left alone;
 * - `restored`: it showed that the last decrease did not stop the throttles: that decrease was undone;
 * - `stale`: the request was sent before the last decrease (paced by an older rate);
 * - `uninformative`: fewer than 3 successes in the window, too little to estimate the quota from.
 */
export type ThrottleVerdict = 'decreased' | 'background' | 'restored' | 'stale' | 'uninformative';

/**
 * The stateful shell around the pure adaptive-rate math ({@link decreaseOnThrottle}, {@link rateAt}) and the
 * throttle-cause judgement (see `throttleCause.ts`): it counts successes in a sliding window, remembers the
 * epoch each request was sent in, estimates the fraction of throttles that come whatever the rate, decreases
 * only on throttles in excess of it, undoes a decrease that throttles at or below its rate contradict, and reports
 * the rate in force now. One instance per limiter (per account
 * + region + operation, per process).
 *
 * @example
 * ```ts
 * import { systemClock } from '../core/Clock.js';
 * import { AdaptiveRate } from './AdaptiveRate.js';
 *
 * const adaptive = new AdaptiveRate({ clock: systemClock });
 * const ticket = adaptive.ticket(); // when sending a request
 * for (let i = 0; i < 3; i++) adaptive.recordSuccess(); // … some succeed
 * adaptive.recordThrottle(ticket); // it was throttled: 'decreased'
 * console.log(adaptive.rate()); // the new, lower, rate
 * ```
 */
export class AdaptiveRate {
  readonly #clock: Clock;
  readonly #parameters: AdaptiveRateParameters;
  #successes: SlidingWindowCounter;
  /**
   * Successes are counted from here (ms): the end of the unlimited start. Before it they came from the server's
   * burst bucket, not from its rate, and would make the quota look larger than it is.
   */
  #measuredSince = -Infinity;
  readonly #levels = new ThrottleLevels();
  /** Times of the last requests that joined the queue (ring). */
  readonly #joins: number[] = [];
  #state: AdaptiveRateState;
  /** The decrease that started the current epoch. */
  #lastDecrease: LastDecrease | undefined;
  /** The rate being sent outside the trial windows, requests/s, over the last {@link SENDING_MS} at the last join there. */
  #sending = Infinity;
  /** When {@link #sending} was measured (ms, clock time). */
  #sendingAt = -Infinity;
  /** Tickets of the requests sent (released by the pacer) in a trial window. */
  readonly #inTrial = new WeakSet<AdaptiveTicket>();
  /** Probing again after an undone decrease (throttles are judged, not taken as the end of the probe). */
  #reprobing = false;
  /** The last answers (successes and throttles), for {@link trialFactorFor}. */
  readonly #answers: Answer[] = [];

  constructor(options: AdaptiveRateOptions) {
    this.#clock = options.clock;
    this.#parameters = options.parameters ?? DEFAULT_ADAPTIVE_PARAMETERS;
    this.#successes = new SlidingWindowCounter(options.windowMs ?? 1000);
    this.#state = initialAdaptiveState(this.#parameters);
  }

  /** The current epoch: record it when a request is sent and pass it to {@link recordThrottle}. */
  get epoch(): number {
    return this.#state.epoch;
  }

  /** The state (for tests and diagnostics). */
  get state(): AdaptiveRateState {
    return this.#state;
  }

  /**
   * Whether a rate is in force: the first throttle has ended the unlimited start. From then the pacer holds every
   * request (retries included) to the rate, and lowering the rate is what slows the requests down.
   */
  get pacing(): boolean {
    return this.#state.lastDecreaseAt !== -Infinity;
  }

  /** Unlimited, or in the startup probe (not one started again after an undone decrease). */
  #startup(): boolean {
    return this.#state.lastDecreaseAt === -Infinity || (this.#state.probing && !this.#reprobing);
  }

  /** Whether the trial windows slow the rate down at `now`: in one, and past the unlimited start and its probe. */
  #pacedForTrial(now: number): boolean {
    return !this.#startup() && Number.isFinite(rateAt(this.#state, now, this.#parameters)) && inTrial(now);
  }

  /** The rate in force now, requests/s (`Infinity` until the first throttle). */
  rate(): number {
    const now = this.#clock.now();
    const rate = rateAt(this.#state, now, this.#parameters);
    if (!this.#pacedForTrial(now)) return rate;
    // Slower than what is being sent, not only than the limit: a limit far above the rate sent (the
    // requests are fewer, or slower to answer) would not slow anything down.
    // The measure of what is being sent expires: a stream that sends in the windows only (or not at all) would
    // keep an old, low one for good.
    const sending = now - this.#sendingAt <= SENDING_MS ? this.#sending : Infinity;
    return Math.max(this.#parameters.minRate, Math.min(rate, sending) * trialFactorFor(this.#answers, now));
  }

  /**
   * Until when (ms, clock time) {@link rate} stays as it is unless an answer changes it: the end of the trial
   * window it is slowed down for, else `Infinity`. A pacer waiting at the slower rate wakes up then, instead of
   * sleeping through the window's end (a stream that waits a whole slow interval from inside every window
   * would send in the windows only).
   */
  steadyUntil(): number {
    const now = this.#clock.now();
    return this.#pacedForTrial(now) ? trialEnd(now) : Infinity;
  }

  /**
   * Take when a request joins the queue (it counts towards the rate being sent); pass it to
   * {@link recordSuccess} or {@link recordThrottle} with the outcome.
   */
  ticket(): AdaptiveTicket {
    const now = this.#clock.now();
    this.#joins.push(now);
    if (this.#joins.length > RATE_SAMPLES) this.#joins.shift();
    const span = now - this.#joins[0]!;
    // The rate being sent: at most the rate in force, measured over the last requests (it may be lower).
    const sending = span > 0 ? ((this.#joins.length - 1) * 1000) / span : Infinity;
    if (!inTrial(now)) {
      this.#sending = recentRate(this.#joins, now);
      this.#sendingAt = now;
    }
    // Before the startup probe has ended, the rate is a guess (and the server's burst bucket distorts what
    // is seen at it): nothing is filed.
    return { epoch: this.#state.epoch, level: this.#startup() ? NaN : Math.min(this.rate(), sending) };
  }

  /** Call when the request of `ticket` is sent (leaves the pacer): notes whether it went in a trial window. */
  sent(ticket: AdaptiveTicket): void {
    const now = this.#clock.now();
    if (this.#pacedForTrial(now)) this.#inTrial.add(ticket);
  }

  /** Records a successful response (to the request of `ticket`, when known). */
  recordSuccess(ticket?: AdaptiveTicket): void {
    this.#successes.add(this.#clock.now());
    this.#answer(false);
    if (ticket && !Number.isNaN(ticket.level)) this.#levels.add(ticket.level, false, this.#inTrial.has(ticket));
  }

  #answer(throttled: boolean): void {
    this.#answers.push({ at: this.#clock.now(), throttled });
    if (this.#answers.length > THROTTLE_CAUSE.floodAnswers) this.#answers.shift();
  }

  /**
   * Whether a throttle at `level` contradicts the last decrease: sent after it, at or below the rate it landed
   * at, while the trial windows do not hint that the load causes the throttles (a shared quota). Within
   * {@link SETTLE_MS} of the decrease it is `'settling'`: the other processes may not have slowed down yet.
   */
  #contradicts(level: number | undefined, classic: boolean): LastDecrease | 'settling' | undefined {
    const last = this.#lastDecrease;
    if (!last || classic || level === undefined || Number.isNaN(level)) return undefined;
    if (level > last.landed * THROTTLE_CAUSE.margin) return undefined;
    if (this.#levels.trialEvidence() >= THROTTLE_CAUSE.undoEvidence) return undefined;
    return this.#clock.now() - this.#state.lastDecreaseAt < SETTLE_MS ? 'settling' : last;
  }

  /**
   * Records a throttled response to the request of `ticket` (or of an epoch number: then the throttle is
   * taken as caused by the rate, as by the classic controller). Returns what it did to the rate.
   */
  recordThrottle(ticket: AdaptiveTicket | number): ThrottleVerdict {
    const request = typeof ticket === 'number' ? { epoch: ticket, level: undefined } : ticket;
    const now = this.#clock.now();
    this.#answer(true);
    // With no success in the window, the throttle is the aftermath of an earlier burst (an empty bucket), or
    // there is nothing to measure from: it is not filed as evidence about the rate it was sent at.
    const successes = this.#successes.count(now);
    const trial = typeof ticket !== 'number' && this.#inTrial.has(ticket);
    if (request.level !== undefined && !Number.isNaN(request.level)) this.#levels.add(request.level, true, trial);
    if (request.epoch < this.#state.epoch) return 'stale';
    // Unlimited, or in the startup probe (the rate doubling until the next throttle): the rate in force says
    // little, so any throttle counts, as in the classic controller. A probe ended by a random throttle is
    // given back by the undo below.
    const classic = request.level === undefined || this.#startup();
    // Ours when the throttled fraction grows with our rate, or when it is lower in the trial windows (when every
    // process sharing the quota slows down): the second catches a quota shared with independent processes, where
    // our own rate is too small a part of the load for the first.
    const ours =
      classic ||
      this.#levels.evidence(request.level) >= THROTTLE_CAUSE.cutEvidence ||
      (!trial && this.#levels.trialEvidence() >= THROTTLE_CAUSE.trialCutEvidence);
    const contradicted = this.#contradicts(request.level, classic);
    if (contradicted === 'settling') return 'background';
    if (contradicted) {
      // The last decrease landed below the quota it measured, and a request sent at or below that rate was
      // throttled all the same, a second or more later: the decrease did not stop the throttles (random load
      // shedding). Undo it at once and probe upward again from the rate before it.
      const last = contradicted;
      const from = Math.max(last.before, rateAt(this.#state, now, this.#parameters));
      this.#state = { rate: from, lastMaxRate: from, lastDecreaseAt: now, epoch: this.#state.epoch + 1, probing: true };
      this.#lastDecrease = undefined;
      this.#reprobing = true;
      return 'restored';
    }
    if (!ours) {
      const last = this.#lastDecrease;
      const undo =
        last &&
        this.#levels.canJudge(last.level) &&
        this.#levels.evidence(last.level) < THROTTLE_CAUSE.undoEvidence &&
        this.#levels.trialEvidence() < THROTTLE_CAUSE.undoEvidence;
      if (undo) {
        // Throttles went on below the rate of the last decrease as often as at it: it did not stop them, and
        // nothing is known about a quota. Probe upward from the rate before it (doubling until a throttle that
        // the rate causes).
        const from = Math.max(rateAt(last.previous, now, this.#parameters), rateAt(this.#state, now, this.#parameters));
        this.#state = { rate: from, lastMaxRate: from, lastDecreaseAt: now, epoch: this.#state.epoch + 1, probing: true };
        this.#lastDecrease = undefined;
        this.#reprobing = true;
        return 'restored';
      }
      if (this.#reprobing && this.#state.probing && this.#levels.trialEvidence() >= THROTTLE_CAUSE.undoEvidence) {
        // A re-probe doubles until a throttle the rate causes; when the trial windows hint that the load does
        // (a quota shared with other processes), it stops where it is (on the plateau of the recovery curve)
        // instead of doubling on among throttles judged background.
        const reached = rateAt(this.#state, now, this.#parameters);
        this.#state = { ...this.#state, rate: reached, lastMaxRate: reached, lastDecreaseAt: now - this.#parameters.recoveryTime, probing: false };
        this.#reprobing = false;
      }
      return 'background';
    }
    // What the service admitted against the quota: the successes plus the background throttles among them.
    const background = request.level === undefined ? 0 : Math.min(this.#levels.background(), 0.9);
    const span = Math.min(this.#successes.windowMs, Math.max(1, now - this.#measuredSince));
    const accepted = (successes * (1000 / span)) / (1 - background);
    // A decrease needs a few successes to measure from, not one: a second with one success (a slow stream, or
    // streams idling in a backoff) would cut the rate to a crawl that takes a minute to climb out of, and a young
    // stream throttled at random would be cut again and again before the evidence is in.
    const enough = request.level === undefined ? successes > 0 : successes >= MIN_SUCCESSES;
    const next = enough ? decreaseOnThrottle(this.#state, now, request.epoch, accepted, this.#parameters) : this.#state;
    if (next === this.#state) return 'uninformative';
    // A decrease from the unlimited start is never undone: its throttle came from a burst, not a rate.
    const first = this.#state.lastDecreaseAt === -Infinity;
    this.#lastDecrease = first
      ? undefined
      : {
          previous: this.#state,
          level: request.level ?? Infinity,
          before: rateAt(this.#state, now, this.#parameters),
          landed: rateAt(next, now, this.#parameters),
        };
    if (first) {
      this.#measuredSince = now;
      this.#successes = new SlidingWindowCounter(this.#successes.windowMs);
    }
    this.#state = next;
    this.#reprobing = false;
    return 'decreased';
  }
}

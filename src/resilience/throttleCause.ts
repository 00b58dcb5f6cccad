/**
 * Arithmetic that judges whether throttles are caused by our rate (a quota) or come whatever the rate (the
 * service shedding load at random). No I/O and no time source.
 *
 * A token-bucket quota throttles only the requests sent above it, so the throttled fraction grows with the
 * rate and is 0 below the quota. Random load shedding throttles a fraction `p` of the requests at any rate.
 * The error names do not tell the two apart reliably, so the judgement uses only how the throttled fraction
 * depends on the rate:
 *
 * 1. **Record.** Each request is recorded with the rate it was sent at and its outcome; older ones weigh
 *    less (`1 − 1/memory` per newer request).
 * 2. **Low region.** The `regionSamples` requests sent at the lowest rates are the reference: with a quota
 *    they are clean (the controller has been below it), with random shedding they show `p`.
 * 3. **Evidence.** For a throttle at rate `r` above the low region, the evidence that the rate caused it is
 *    infinite when the low region is clean, else the log-likelihood ratio that the throttled fraction above
 *    `r / margin` is higher than in the low region. For a throttle within the low region (the rate came down
 *    to a new low), it is the ratio that the fraction above the low region is higher than in it, i.e. that
 *    coming down reduced the throttles. With no low region yet it is infinite (the classic controller's move).
 * 4. The controller decreases only when the evidence reaches `cutEvidence` (10 : 1), and undoes its last
 *    decrease when the evidence at that decrease's rate has fallen below `undoEvidence` (the throttles went on
 *    below it as often as at it: the decrease did not stop them).
 * 5. **Trial windows.** A quota shared with independent processes throttles at every rate of one process's own
 *    (the others cause most of it), so step 3 reads it as random. Every process slows down in the same
 *    clock-aligned windows ({@link inTrial}); the whole load drops in them, and so do its throttles, while
 *    random shedding does not care. {@link ThrottleLevels.trialEvidence} compares the throttled fraction in and
 *    out of the windows (the controller cuts at `trialCutEvidence`, 100 : 1). The windows slow down to 0.7×, and
 *    deeper as more of the recent answers are throttles: down to 0.3× once 55 % are ({@link trialFactorFor}).
 *
 * @module
 */

/** Tunables of the throttle-cause judgement (fixed; exported for tests and documentation). */
export const THROTTLE_CAUSE = Object.freeze({
  /** "Below a rate" means below `rate / margin`: rates measured a few per cent apart are not told apart. */
  margin: 1.05,
  /** The counts forget with weight `1 / memory` per request recorded. */
  memory: 200,
  /** Log-likelihood ratio (natural log) a throttle needs to lower the rate: about 10 : 1. */
  cutEvidence: Math.log(10),
  /** The last decrease is undone when the evidence at its level is below this (2 : 1), with enough data. */
  undoEvidence: Math.log(2),
  /** Requests (weighted) in the low region, the reference of the judgement. */
  regionSamples: 10,
  /** Requests needed at or above the last decrease's rate to undo it. */
  undoAboveSamples: 3,
  /** Trial windows (see {@link inTrial}) start every this many ms of clock time. */
  trialPeriodMs: 2000,
  /** Length of a trial window, ms. */
  trialMs: 1000,
  /**
   * Log-likelihood ratio the trial test needs to lower the rate (100 : 1): it is run again at every throttle,
   * so it asks for more than the rate test, or random throttles would lower the rate by chance.
   */
  trialCutEvidence: Math.log(100),
  /** Requests (weighted) sent in trial windows before they are evidence. */
  trialSamples: 5,
  /** The rate is multiplied by this during a trial window (while at most `rampFrom` of the recent answers are throttles). */
  trialFactor: 0.7,
  /**
   * The rate is multiplied by this instead during a trial window while flooded (see {@link trialFactorFor}):
   * when the whole load is far above a shared quota, slowing down to 0.7× leaves it above the quota, and the
   * trial windows show nothing.
   */
  floodTrialFactor: 0.3,
  /**
   * Above this fraction of throttles among the recent answers, the trial windows deepen, linearly from
   * `trialFactor` to `floodTrialFactor` at `floodFraction`: the random shedding this is designed for throttles up
   * to about this fraction, at any rate.
   */
  rampFrom: 0.3,
  /** Flooded: at least this fraction of the recent answers are throttles. */
  floodFraction: 0.55,
  /** The recent answers: the last this many … */
  floodAnswers: 20,
  /** … of those received in the last this many ms … */
  floodWindowMs: 5000,
  /** … and at least this many of them (fewer say nothing). */
  floodMinAnswers: 10,
});

/** One answer to a request: when it came (ms, clock time) and whether it was a throttle. */
export interface Answer {
  readonly at: number;
  readonly throttled: boolean;
}

/**
 * The factor of the trial windows at `now`, given the last answers (oldest first; only the last
 * `floodAnswers` are read). Counted over those that came in the last `floodWindowMs`, at least `floodMinAnswers`
 * of them (fewer say nothing: `trialFactor`), the fraction of throttles sets it: `trialFactor` up to `rampFrom`,
 * then linearly down to `floodTrialFactor` at `floodFraction` (flooded) and above.
 *
 * Under a quota shared with processes that adapt on their own, the total load can run at twice the quota and
 * more; each process then sees half its answers throttled and more, in and out of the trial windows alike if
 * every process slows down to 0.7× only, because 0.7× of the load is still above the quota. Deeper windows bring
 * the load in them below the quota, their throttles stop, and the trial test sees it within seconds. A load at
 * L times the quota throttles about 1 − 1/L of the answers, so the windows deepen as L grows; the random
 * shedding this is designed for (a few per cent to a third) keeps the windows at 0.7× or close to it, with the
 * quota's throttles on top at times: the deeper windows then cost time, but judge nothing differently (random
 * throttles ignore them).
 *
 * @example
 * ```ts
 * import { trialFactorFor } from './throttleCause.js';
 *
 * const flood = Array.from({ length: 12 }, (_, i) => ({ at: i * 100, throttled: i % 3 !== 0 }));
 * trialFactorFor(flood, 1200); // 0.3: 8 of 12 recent answers are throttles (flooded)
 * const some = Array.from({ length: 10 }, (_, i) => ({ at: i * 100, throttled: i < 4 }));
 * trialFactorFor(some, 1000); // ≈ 0.54: 4 of 10, on the way from 0.7 (30 %) to 0.3 (55 %)
 * trialFactorFor(flood, 9000); // 0.7: none of them is recent any more
 * ```
 */
export function trialFactorFor(answers: readonly Answer[], now: number): number {
  const since = now - THROTTLE_CAUSE.floodWindowMs;
  let recent = 0;
  let throttled = 0;
  for (let i = Math.max(0, answers.length - THROTTLE_CAUSE.floodAnswers); i < answers.length; i++) {
    const answer = answers[i]!;
    if (answer.at < since) continue;
    recent++;
    if (answer.throttled) throttled++;
  }
  const { trialFactor, floodTrialFactor, rampFrom, floodFraction, floodMinAnswers } = THROTTLE_CAUSE;
  if (recent < floodMinAnswers) return trialFactor;
  const fraction = throttled / recent;
  if (fraction <= rampFrom) return trialFactor;
  if (fraction >= floodFraction) return floodTrialFactor;
  return trialFactor - ((fraction - rampFrom) / (floodFraction - rampFrom)) * (trialFactor - floodTrialFactor);
}

/**
 * Whether `now` (ms, clock time) is in a trial window: the first `trialMs` of every `trialPeriodMs` of the
 * clock. Every process sharing a quota slows down in the same windows (they share the time, not a store), so
 * the requests sent in them show what the service does when the *whole* load is lower.
 */
export function inTrial(now: number): boolean {
  return trialPhase(now) < THROTTLE_CAUSE.trialMs;
}

/** The end of the trial window `now` is in (ms, clock time); `now` itself when it is in none. */
export function trialEnd(now: number): number {
  const phase = trialPhase(now);
  return phase < THROTTLE_CAUSE.trialMs ? now - phase + THROTTLE_CAUSE.trialMs : now;
}

/** Where `now` (ms, clock time) is in its trial period, ms (0 at the start of a window). */
function trialPhase(now: number): number {
  return ((now % THROTTLE_CAUSE.trialPeriodMs) + THROTTLE_CAUSE.trialPeriodMs) % THROTTLE_CAUSE.trialPeriodMs;
}

/** Requests sent and throttled (decayed counts). */
export interface ThrottleCounts {
  readonly sent: number;
  readonly throttled: number;
}

/** One recorded request: the rate it was sent at and whether it was throttled. */
interface Outcome {
  readonly rate: number;
  readonly throttled: boolean;
  /** Sent in a trial window (see {@link inTrial}). */
  readonly trial: boolean;
}

/** Weighted counts of the lowest-rate requests, and the highest rate among them. */
interface LowRegion extends ThrottleCounts {
  readonly maxRate: number;
}

/**
 * The last requests with the rate each was sent at and whether it was throttled, older ones weighing less,
 * and the judgement of what causes throttles at a given rate. Pure bookkeeping: the caller says at which
 * rate each request was sent.
 *
 * @example
 * ```ts
 * import { ThrottleLevels } from './throttleCause.js';
 *
 * const levels = new ThrottleLevels();
 * for (let i = 0; i < 20; i++) levels.add(5, i % 10 === 0); // 10 % throttled at 5/s
 * levels.add(10, true); // one throttle at 10/s
 * levels.evidence(10); // small: 10 % below as well, the rate did not cause it
 * ```
 */
export class ThrottleLevels {
  readonly #outcomes: Outcome[] = [];

  /** Records one request sent at `rate` (requests/s; `Infinity`: unlimited), `trial` when sent in a trial window. */
  add(rate: number, throttled: boolean, trial = false): void {
    this.#outcomes.push({ rate, throttled, trial });
    if (this.#outcomes.length > THROTTLE_CAUSE.memory * 3) this.#outcomes.shift();
  }

  /** The outcomes with their weights (1 for the newest, decaying by `1 − 1/memory` per older request). */
  #weighted(): { readonly outcome: Outcome; readonly weight: number }[] {
    const keep = 1 - 1 / THROTTLE_CAUSE.memory;
    const n = this.#outcomes.length;
    return this.#outcomes.map((outcome, i) => ({ outcome, weight: keep ** (n - 1 - i) }));
  }

  /** Weighted counts of the requests sent above `rate`. */
  #above(rate: number): ThrottleCounts {
    let sent = 0;
    let throttled = 0;
    for (const { outcome, weight } of this.#weighted()) {
      if (outcome.rate <= rate) continue;
      sent += weight;
      if (outcome.throttled) throttled += weight;
    }
    return { sent, throttled };
  }

  /** The lowest-rate requests, `regionSamples` of them (weighted); `undefined` when there are fewer. */
  #lowRegion(): LowRegion | undefined {
    const sorted = this.#weighted().sort((a, b) => a.outcome.rate - b.outcome.rate);
    let sent = 0;
    let throttled = 0;
    for (let i = 0; i < sorted.length; i++) {
      const { outcome, weight } = sorted[i]!;
      sent += weight;
      if (outcome.throttled) throttled += weight;
      const tie = sorted[i + 1]?.outcome.rate === outcome.rate;
      if (sent >= THROTTLE_CAUSE.regionSamples && !tie) return { sent, throttled, maxRate: outcome.rate };
    }
    return undefined;
  }

  /** The throttled fraction at the lowest rates recently sent at (the part that comes whatever the rate). */
  background(): number {
    const low = this.#lowRegion();
    return low ? low.throttled / low.sent : 0;
  }

  /**
   * Log-likelihood ratio that the rate causes the throttles at `rate` (0: no such evidence; `Infinity`:
   * certain as far as can be told). The reference is the low region, the `regionSamples` requests sent at the
   * lowest rates:
   * - no low region yet: `Infinity` (nothing known: the classic controller's move);
   * - `rate` above the low region: `Infinity` when nothing in the low region was throttled (a quota),
   *   else that the throttled fraction above `rate / margin` is higher than in the low region;
   * - `rate` within the low region (the rate came down to a new low): that the fraction above the low region
   *   is higher than in it, i.e. that coming down reduced the throttles.
   */
  evidence(rate: number): number {
    const low = this.#lowRegion();
    if (!low) return Infinity;
    if (rate / THROTTLE_CAUSE.margin > low.maxRate) {
      const above = this.#above(rate / THROTTLE_CAUSE.margin);
      if (!(above.throttled > 0)) return 0;
      return low.throttled > 0 ? higherFraction(low, above) : Infinity;
    }
    const above = this.#above(low.maxRate);
    return above.sent > 0 ? higherFraction(low, above) : Infinity;
  }

  /**
   * Log-likelihood ratio that the throttled fraction outside the trial windows is higher than in them, i.e.
   * that the load (ours, or that of every process slowing down in the same windows) causes the throttles;
   * 0 with fewer than `trialSamples` (weighted) requests recorded in trial windows.
   */
  trialEvidence(): number {
    let inTrialCounts = { sent: 0, throttled: 0 };
    let outside = { sent: 0, throttled: 0 };
    for (const { outcome, weight } of this.#weighted()) {
      const counts = outcome.trial ? inTrialCounts : outside;
      const next = { sent: counts.sent + weight, throttled: counts.throttled + (outcome.throttled ? weight : 0) };
      if (outcome.trial) inTrialCounts = next;
      else outside = next;
    }
    if (inTrialCounts.sent < THROTTLE_CAUSE.trialSamples || !(outside.sent > 0)) return 0;
    return higherFraction(inTrialCounts, outside);
  }

  /** Whether enough requests are recorded to have a low region (else {@link evidence} is `Infinity`). */
  get judging(): boolean {
    return this.#lowRegion() !== undefined;
  }

  /** Whether there is enough to judge a past decrease at `rate`: a low region and requests above it. */
  canJudge(rate: number): boolean {
    const low = this.#lowRegion();
    return low !== undefined && this.#above(Math.max(low.maxRate, rate / THROTTLE_CAUSE.margin)).sent >= THROTTLE_CAUSE.undoAboveSamples;
  }
}

/**
 * Log-likelihood ratio of "`high` has a higher throttled fraction than `low`" against "one common fraction"
 * (half the G statistic of the 2×2 table); 0 when the fraction of `high` is not higher.
 */
export function higherFraction(low: ThrottleCounts, high: ThrottleCounts): number {
  const fLow = low.throttled / low.sent;
  const fHigh = high.throttled / high.sent;
  if (!(fHigh > fLow)) return 0;
  const pooled = (low.throttled + high.throttled) / (low.sent + high.sent);
  return logLikelihood(low, fLow) + logLikelihood(high, fHigh) - logLikelihood(low, pooled) - logLikelihood(high, pooled);
}

/** Log-likelihood of `counts` under throttle probability `p` (with 0 · ln 0 = 0). */
function logLikelihood(counts: ThrottleCounts, p: number): number {
  const passed = counts.sent - counts.throttled;
  return (counts.throttled > 0 ? counts.throttled * Math.log(p) : 0) + (passed > 0 ? passed * Math.log(1 - p) : 0);
}

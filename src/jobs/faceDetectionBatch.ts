import { setMaxListeners } from 'node:events';
import { Observable } from 'rxjs';
import { abortReason, type Clock, systemClock } from '../core/Clock.js';
import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { JobWaitTimeoutError } from '../errors/JobWaitTimeoutError.js';
import { expectInteger, expectNumber, expectObject } from '../internal/validate.js';
import { defaultPolicy } from '../resilience/defaultPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';
import { createRekognitionClient } from '../source/createRekognitionClient.js';
import type { FaceDetectionPage } from '../source/FaceDetectionPage.js';
import { faceDetectionPages } from '../source/faceDetectionPages.js';
import { faceDetections } from '../source/faceDetections.js';
import type { FaceSourceOptions } from '../source/sourceRuntime.js';
import type { SourceStream } from '../source/SourceStream.js';
import type { FaceDetection, RekognitionLike } from '../types.js';
import { JobQuota } from './JobQuota.js';
import { LargestFirstWindow } from './LargestFirstWindow.js';
import { expectNotifications, type JobNotifications } from './sqsJobNotifications.js';
import { type FaceDetectionJobParameters, planStart, sendStart, type StartPlan } from './startFaceDetectionJob.js';
import { awaitCompletion, type JobPollOptions, notificationsWorkAfter, type ResolvedWait, resolveWait } from './waitForFaceDetectionJob.js';
import type { VideoRef } from './VideoRef.js';
import type { VideoSizeLookup } from './videoSizes.js';

/** Videos taken from the input beyond the free job slots (waiting for a slot, their Start ready). */
const INPUT_LOOKAHEAD = 1;

/** A video of a batch: `s3://bucket/key` or `{ bucket, name, version? }`. */
export type BatchVideo = string | VideoRef;

/**
 * Start the largest videos first: a video's size (e.g. its S3 object's, `s3ObjectSizes()`) stands for its
 * processing time, and a longest-first schedule finishes a batch sooner than the input order (issue 13: the last
 * long job no longer starts near the end).
 */
export interface BatchSizeOrder {
  /** Each video's size, `undefined` when unknown (such videos start before every sized one). */
  readonly largestFirst: VideoSizeLookup;
  /**
   * Videos taken from the input ahead of their Start and sized (memory stays bounded by it). The first Starts
   * wait until the window is full (or the input ended) and every size in it is known; then each free job slot
   * takes the largest video of the window, and the window is refilled from the input. With at most `window`
   * videos, that is an exact longest-first order. An input that yields slowly delays the first Start until
   * `window` videos came: use a smaller window, or the input order, for such inputs.
   * @default 1000
   */
  readonly window?: number;
}

/** Options of {@link faceDetectionBatch}. Durations in ms. */
export interface FaceDetectionBatchOptions extends FaceDetectionJobParameters {
  /**
   * Any `{ send }` Rekognition client, with `maxAttempts: 1`.
   * @default createRekognitionClient()
   */
  readonly client?: RekognitionLike;
  /**
   * The request policy shared by every Start, status poll and page read of the batch.
   * @default defaultPolicy(client)
   */
  readonly policy?: RequestPolicy;
  /**
   * Most jobs of this batch in progress at once (the account quota is 20 by default, shared by every Start*
   * operation). Fewer run while `LimitExceededException` says other applications hold slots.
   * @default 20
   */
  readonly maxConcurrentJobs?: number;
  /**
   * Completion notifications (SQS queue subscribed to `notificationChannel`'s topic). Polling stays on, slower.
   * @default undefined (poll only)
   */
  readonly notifications?: JobNotifications;
  /**
   * The status polling schedule (see `waitForFaceDetectionJob`). With `notifications`, polls are a fallback that
   * spends the `GetFaceDetection` TPS that page reads need: while notifications work (the last job of the batch
   * to end was announced by one), every fallback poll waits at least `maxDelay`; a job found finished by a poll
   * instead (a lost notification) brings back the schedule from `minDelay`.
   */
  readonly poll?: JobPollOptions;
  /**
   * Per-job deadline, from the accepted Start to completion: then the video fails with `JobWaitTimeoutError`.
   * @default 3_600_000 (1 hour)
   */
  readonly waitTimeout?: number;
  /**
   * Longest time a video waits for a job slot while Starts are refused with `LimitExceededException`; then it
   * fails with `JobWaitTimeoutError`.
   * @default 3_600_000 (1 hour)
   */
  readonly slotTimeout?: number;
  /**
   * Poll a video's job at once after its Start (instead of after `poll.minDelay`): for videos that may have been
   * started by an earlier run (a reused token publishes no notification). A function decides per video.
   * @default false
   */
  readonly pollFirst?: boolean | ((video: VideoRef, index: number) => boolean);
  /**
   * The order in which videos are started: `'input'`, or `{ largestFirst: sizeOf, window? }` — the largest
   * videos first, sizes looked up `window` (1000) videos ahead. Events keep `index` = the position in the input.
   * @default 'input'
   */
  readonly order?: 'input' | BatchSizeOrder;
  /**
   * Awaited for each video once it is chosen to start, before its first Start is sent (one video at a time, in
   * start order), e.g. to record durably that its job may exist (a rerun then knows to poll first). A rejection
   * fails the video (no Start is sent).
   * @default undefined
   */
  readonly beforeStart?: (video: VideoRef, index: number) => void | Promise<void>;
  /**
   * Stop the batch at the first failed video (the stream then errors with its error, after its `failed` event).
   * @default false
   */
  readonly failFast?: boolean;
  /** Aborts the batch (Starts, waits and slot waits); jobs already started keep running on the service. */
  readonly signal?: AbortSignal;
  /**
   * Time source of polling, deadlines and slot probing.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** Counters of a batch run. */
export interface BatchCounts {
  /** Videos taken from the input. */
  total: number;
  /** Jobs started (or found again by their token). */
  started: number;
  succeeded: number;
  failed: number;
  /** Starts refused with `LimitExceededException` (waits for a job slot; not failures). */
  limitExceeded: number;
  /** Status polls sent. */
  polls: number;
  /** Most jobs of this batch in progress at once. */
  peakJobs: number;
}

/** Fields of every per-video event. */
export interface BatchVideoEventBase {
  /** 0-based position in the input. */
  readonly index: number;
  /** The video (`undefined` when the input item was invalid). */
  readonly video: VideoRef | undefined;
  /** The video as `s3://bucket/key` (or the invalid input, for messages). */
  readonly uri: string;
}

/** The video was taken from the input. */
export interface BatchQueuedEvent extends BatchVideoEventBase {
  readonly type: 'queued';
}
/** A Start was refused with `LimitExceededException`: the video waits for a job slot. */
export interface BatchLimitExceededEvent extends BatchVideoEventBase {
  readonly type: 'limit-exceeded';
  /** Jobs of this batch in progress at that moment. */
  readonly running: number;
}
/** The job was started (or found again by its token). */
export interface BatchStartedEvent extends BatchVideoEventBase {
  readonly type: 'started';
  readonly video: VideoRef;
  readonly jobId: string;
  readonly clientRequestToken: string;
  readonly jobTag: string;
}
/** The job succeeded: read its detections (lazily, through the shared policy). */
export interface BatchSucceededEvent extends BatchVideoEventBase {
  readonly type: 'succeeded';
  readonly video: VideoRef;
  readonly jobId: string;
  readonly clientRequestToken: string;
  readonly jobTag: string;
  /** What told us the job finished. */
  readonly via: 'notification' | 'poll';
  /** The job's detections (`faceDetections` with the batch's client, policy and clock). Nothing is read before you subscribe. */
  detections(options?: BatchReadOptions): SourceStream<FaceDetection>;
  /** The job's pages with checkpoints (`faceDetectionPages`). */
  pages(options?: BatchReadOptions): SourceStream<FaceDetectionPage>;
}
/** The video failed: invalid input (no request sent), a refused Start, a FAILED job, a deadline. */
export interface BatchFailedEvent extends BatchVideoEventBase {
  readonly type: 'failed';
  /** The job, when one was started. */
  readonly jobId: string | undefined;
  readonly error: Error;
}
/** The batch is over. */
export interface BatchDoneEvent {
  readonly type: 'done';
  readonly counts: Readonly<BatchCounts>;
}

/** An event of {@link faceDetectionBatch}. */
export type BatchEvent =
  | BatchQueuedEvent
  | BatchLimitExceededEvent
  | BatchStartedEvent
  | BatchSucceededEvent
  | BatchFailedEvent
  | BatchDoneEvent;

/** Reading options of a succeeded video's streams (the client, job, policy and clock are the batch's). */
export type BatchReadOptions = Omit<FaceSourceOptions, 'client' | 'jobId' | 'policy' | 'clock'>;

/** The events of a batch: an RxJS `Observable` and an `AsyncIterable`. */
export interface BatchStream extends Observable<BatchEvent>, AsyncIterable<BatchEvent> {
  /** Counters of the latest run. */
  readonly counts: Readonly<BatchCounts>;
}

interface Settings {
  readonly client: () => RekognitionLike;
  readonly policy: () => RequestPolicy;
  readonly clock: Clock;
  readonly maxConcurrentJobs: number;
  readonly wait: ResolvedWait;
  readonly slotTimeout: number;
  readonly failFast: boolean;
  readonly pollFirst: (video: VideoRef, index: number) => boolean;
  readonly notifications: JobNotifications | undefined;
  readonly parameters: FaceDetectionJobParameters;
  readonly signal: AbortSignal | undefined;
  /** Size order, when the largest videos go first. */
  readonly sizeOrder: { readonly sizeOf: VideoSizeLookup; readonly window: number } | undefined;
  readonly beforeStart: ((video: VideoRef, index: number) => void | Promise<void>) | undefined;
}

/**
 * Runs face detection on many videos under the account's concurrent-job quota and streams per-video events —
 * `queued`, `limit-exceeded`, `started`, `succeeded` (with the job's detections, read lazily through the shared
 * policy), `failed` — then `done` with counts.
 *
 * - **Quota.** At most `maxConcurrentJobs` (20) jobs of the batch at once; fewer while `LimitExceededException`
 *   says other applications hold slots: a refused Start waits for one of our jobs to finish (it is retried as
 *   soon as one does) or for a probe, and is never counted as a failure.
 * - **Idempotent.** Each Start's `ClientRequestToken` is a digest of the video and parameters: running the same
 *   batch again reuses the jobs (for 7 days) instead of paying twice. Pass `pollFirst` after a restart.
 * - **Completion** by SQS notification (`notifications`) with a polling fallback, or by polling; per-job deadline.
 * - **Order.** Input order by default; `order: { largestFirst: sizeOf }` starts the largest videos first (sizes
 *   from `s3ObjectSizes()`, a proxy of processing time), looked up a bounded window ahead.
 * - **Bounded memory** whatever the number of videos: the input is pulled lazily (a new video only when a job
 *   slot is free — or a place in the size window — and fewer than a few events are waiting for the consumer),
 *   and detections are read only when the consumer reads a `succeeded` event's `detections()`/`pages()`.
 * - **Isolation.** A failed video (invalid input — no request sent —, refused Start, FAILED job, deadline) is a
 *   `failed` event; the others go on, unless `failFast`.
 *
 * Each subscription (or `for await`) runs the batch, iterating `videos` again.
 *
 * @example
 * ```ts
 * import { createRekognitionClient, faceDetectionBatch } from 'rekognition-face-stream';
 *
 * const client = createRekognitionClient();
 * const videos = ['s3://my-videos/a.mp4', 's3://my-videos/b.mp4'];
 * for await (const event of faceDetectionBatch(videos, { client, maxConcurrentJobs: 10 })) {
 *   if (event.type === 'succeeded') {
 *     let faces = 0;
 *     for await (const _ of event.detections()) faces++;
 *     console.log(event.uri, faces);
 *   } else if (event.type === 'failed') console.error(event.uri, event.error.message);
 *   else if (event.type === 'done') console.log(event.counts);
 * }
 * ```
 */
export function faceDetectionBatch(videos: Iterable<BatchVideo> | AsyncIterable<BatchVideo>, options: FaceDetectionBatchOptions = {}): BatchStream {
  if (
    typeof videos !== 'object' ||
    videos === null ||
    (typeof (videos as Iterable<BatchVideo>)[Symbol.iterator] !== 'function' &&
      typeof (videos as AsyncIterable<BatchVideo>)[Symbol.asyncIterator] !== 'function')
  ) {
    throw new InvalidParameterError('videos', 'an Iterable or AsyncIterable of s3:// URIs or { bucket, name }', videos);
  }
  expectObject('options', options);
  const settings = resolveSettings(options);
  let counts = newCounts();
  const iterate = (): AsyncIterator<BatchEvent> => {
    counts = newCounts();
    return new BatchRun(videos, settings, counts);
  };
  const observable = new Observable<BatchEvent>((subscriber) => {
    const run = iterate();
    const step = (): void => {
      run.next().then(
        (result) => {
          if (subscriber.closed) return;
          if (result.done) subscriber.complete();
          else {
            subscriber.next(result.value);
            step();
          }
        },
        (error: unknown) => subscriber.error(error),
      );
    };
    step();
    return () => {
      void run.return?.();
    };
  });
  return Object.defineProperties(observable, {
    [Symbol.asyncIterator]: { value: iterate },
    counts: { get: () => counts, enumerable: true },
  }) as BatchStream;
}

function resolveSettings(options: FaceDetectionBatchOptions): Settings {
  const maxConcurrentJobs = expectInteger('maxConcurrentJobs', options.maxConcurrentJobs ?? 20, 1, 10_000);
  const wait = resolveWait({ poll: options.poll, timeout: options.waitTimeout }, options.notifications !== undefined, '', 'waitTimeout');
  const slotTimeout = expectNumber('slotTimeout', options.slotTimeout ?? 3_600_000, 0);
  expectNotifications(options.notifications);
  if (options.client !== undefined && typeof (options.client as { send?: unknown })?.send !== 'function') {
    throw new InvalidParameterError('client', 'an object with a send(command, options) method', options.client);
  }
  const pollFirst = options.pollFirst;
  if (pollFirst !== undefined && typeof pollFirst !== 'boolean' && typeof pollFirst !== 'function') {
    throw new InvalidParameterError('pollFirst', 'a boolean or a function (video, index) => boolean', pollFirst);
  }
  const order = options.order ?? 'input';
  let sizeOrder: Settings['sizeOrder'];
  if (order !== 'input') {
    if (typeof order !== 'object' || order === null || typeof (order as BatchSizeOrder).largestFirst !== 'function') {
      throw new InvalidParameterError('order', "'input' or { largestFirst: (video, signal) => Promise<number | undefined>, window? }", order);
    }
    sizeOrder = { sizeOf: order.largestFirst, window: expectInteger('order.window', order.window ?? 1000, 1, 1_000_000) };
  }
  if (options.beforeStart !== undefined && typeof options.beforeStart !== 'function') {
    throw new InvalidParameterError('beforeStart', 'a function (video, index) => void | Promise<void>', options.beforeStart);
  }
  // Validates faceAttributes and notificationChannel once, before any request.
  planStart({ video: 's3://bucket/validation', faceAttributes: options.faceAttributes, notificationChannel: options.notificationChannel });
  let client = options.client;
  let policy = options.policy;
  return {
    client: () => (client ??= createRekognitionClient()),
    policy: () => (policy ??= defaultPolicy((client ??= createRekognitionClient()))),
    clock: options.clock ?? systemClock,
    maxConcurrentJobs,
    wait,
    slotTimeout,
    failFast: options.failFast === true,
    pollFirst: typeof pollFirst === 'function' ? pollFirst : () => pollFirst === true,
    notifications: options.notifications,
    parameters: {
      ...(options.faceAttributes === undefined ? {} : { faceAttributes: options.faceAttributes }),
      ...(options.notificationChannel === undefined ? {} : { notificationChannel: options.notificationChannel }),
    },
    signal: options.signal,
    sizeOrder,
    beforeStart: options.beforeStart,
  };
}

function newCounts(): BatchCounts {
  return { total: 0, started: 0, succeeded: 0, failed: 0, limitExceeded: 0, polls: 0, peakJobs: 0 };
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** One run of a batch: a pull-driven scheduler behind an AsyncIterator. */
class BatchRun implements AsyncIterator<BatchEvent> {
  readonly #settings: Settings;
  readonly #counts: BatchCounts;
  /** Whether the last job to end (not polled first) was announced by a notification. */
  #noticesWork = false;
  readonly #input: Iterator<BatchVideo> | AsyncIterator<BatchVideo>;
  readonly #events: BatchEvent[] = [];
  readonly #controller = new AbortController();
  readonly #quota: JobQuota;
  readonly #maxBuffered: number;
  readonly #onOuterAbort: () => void;
  #active = 0;
  #pulling = false;
  #inputDone = false;
  #finished = false;
  #failure: { readonly error: unknown } | undefined;
  #wake: (() => void) | undefined;
  #index = 0;
  /** Size order: the videos taken ahead, by size. */
  readonly #window: LargestFirstWindow<StartPlan> | undefined;
  /** Size order: the first round of Starts was taken. */
  #picked = false;
  /** `beforeStart` hooks run one at a time, in start order. */
  #prepared: Promise<void> = Promise.resolve();

  constructor(videos: Iterable<BatchVideo> | AsyncIterable<BatchVideo>, settings: Settings, counts: BatchCounts) {
    this.#settings = settings;
    this.#counts = counts;
    // Every job wait, status poll and attempt of the batch listens on this signal (each removes its listener
    // when it settles): tens at once is normal here, not Node's "possible leak" of more than 10.
    setMaxListeners(0, this.#controller.signal);
    this.#input =
      typeof (videos as AsyncIterable<BatchVideo>)[Symbol.asyncIterator] === 'function'
        ? (videos as AsyncIterable<BatchVideo>)[Symbol.asyncIterator]()
        : (videos as Iterable<BatchVideo>)[Symbol.iterator]();
    this.#quota = new JobQuota({ max: settings.maxConcurrentJobs, clock: settings.clock });
    this.#window = settings.sizeOrder === undefined ? undefined : new LargestFirstWindow(settings.sizeOrder.window);
    // Jobs keep being started while the consumer is busy (e.g. reading a video's detections), until this many
    // events wait for it (each video makes about three); then no new video is taken until it catches up.
    this.#maxBuffered = 2 * settings.maxConcurrentJobs + 8;
    this.#onOuterAbort = () => {
      this.#fail(abortReason(settings.signal!));
    };
    if (settings.signal?.aborted) this.#onOuterAbort();
    else settings.signal?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  async next(): Promise<IteratorResult<BatchEvent>> {
    for (;;) {
      if (this.#finished) return DONE;
      this.#fill();
      const event = this.#events.shift();
      if (event !== undefined) return { done: false, value: event };
      if (this.#failure !== undefined) {
        this.#close();
        throw this.#failure.error;
      }
      if (this.#inputDone && !this.#pulling && this.#active === 0 && (this.#window?.size ?? 0) === 0) {
        this.#close();
        this.#counts.peakJobs = this.#quota.peak;
        return { done: false, value: { type: 'done', counts: { ...this.#counts } } };
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<BatchEvent>> {
    if (!this.#finished) {
      this.#controller.abort();
      this.#close();
      await closeInput(this.#input);
    }
    return DONE;
  }

  #close(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#controller.abort();
    this.#quota.close(abortReason(this.#controller.signal));
    this.#settings.signal?.removeEventListener('abort', this.#onOuterAbort);
    this.#events.length = 0;
    this.#window?.clear();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #push(event: BatchEvent): void {
    if (this.#finished) return;
    this.#events.push(event);
    this.#notify();
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
    this.#controller.abort();
    this.#notify();
  }

  /**
   * Takes the next video from the input when there is room, and the consumer keeps up. In input order, room is
   * a free job slot, or one video ahead while every slot is busy (it then waits for a slot in the quota): that
   * takes what pulling an item costs (e.g. the CLI's reading of its state) off the moment a slot frees, and the
   * Start follows at once. In size order, room is a place in the window (its videos are sized as they enter).
   */
  #fill(): void {
    this.#pick();
    const window = this.#window;
    if (
      this.#pulling ||
      this.#inputDone ||
      this.#failure !== undefined ||
      this.#finished ||
      (window === undefined ? this.#active >= this.#settings.maxConcurrentJobs + INPUT_LOOKAHEAD : window.size >= window.capacity) ||
      this.#events.length >= this.#maxBuffered
    ) {
      return;
    }
    this.#pulling = true;
    Promise.resolve()
      .then(() => this.#input.next())
      .then(
        (result) => {
          this.#pulling = false;
          if (result.done) this.#inputDone = true;
          else this.#take(result.value);
          // Keep taking videos while there is room, whatever the consumer is doing (it may be busy reading).
          this.#fill();
          this.#notify();
        },
        (error: unknown) => {
          this.#pulling = false;
          this.#inputDone = true;
          this.#fail(error);
        },
      );
  }

  /**
   * Size order: starts the largest videos of the window while there is room for Starts (as many job slots as
   * `maxConcurrentJobs`, plus one video ahead). Only from a full window (or the input's end) whose sizes are all
   * known; after the first round, one video per refill, so the order depends on the sizes and the window alone
   * (never on how fast the lookups answer).
   */
  #pick(): void {
    const window = this.#window;
    if (window === undefined || this.#failure !== undefined || this.#finished) return;
    const full = () => window.pending === 0 && !this.#pulling && (this.#inputDone || window.size >= window.capacity);
    if (!full()) return;
    const firstRound = !this.#picked;
    this.#picked = true;
    while (this.#active < this.#settings.maxConcurrentJobs + INPUT_LOOKAHEAD && window.ready > 0) {
      const next = window.take()!;
      this.#launch(next.index, next.item);
      if (!firstRound && !full()) break;
    }
  }

  /** A video taken from the input: `queued`, then started (input order) or sized into the window. */
  #take(item: BatchVideo): void {
    const index = this.#index++;
    this.#counts.total++;
    let plan: StartPlan;
    try {
      plan = planStart({ video: item, ...this.#settings.parameters }, `videos[${index}]`);
    } catch (error) {
      this.#push({ type: 'queued', index, video: undefined, uri: describeItem(item) });
      this.#failed(index, undefined, describeItem(item), undefined, error);
      return;
    }
    this.#push({ type: 'queued', index, video: plan.video, uri: plan.uri });
    const window = this.#window;
    if (window === undefined) {
      this.#launch(index, plan);
      return;
    }
    window.add();
    const { sizeOf } = this.#settings.sizeOrder!;
    const signal = this.#controller.signal;
    Promise.resolve()
      .then(() => sizeOf(plan.video, signal))
      .then(
        (size) => (typeof size === 'number' && size >= 0 ? size : undefined),
        () => undefined, // an unknown size never fails the video: its Start reports what is wrong
      )
      .then((size) => {
        if (this.#finished) return;
        window.sized(index, plan, size);
        this.#fill();
        this.#notify();
      });
  }

  #launch(index: number, plan: StartPlan): void {
    this.#active++;
    this.#run(index, plan).finally(() => {
      this.#active--;
      this.#fill();
      this.#notify();
    });
  }

  #failed(index: number, video: VideoRef | undefined, uri: string, jobId: string | undefined, error: unknown): void {
    if (this.#finished) return;
    const err = error instanceof Error ? error : new Error(String(error));
    this.#counts.failed++;
    this.#push({ type: 'failed', index, video, uri, jobId, error: err });
    if (this.#settings.failFast) this.#fail(err);
  }

  async #run(index: number, plan: StartPlan): Promise<void> {
    const settings = this.#settings;
    const signal = this.#controller.signal;
    const client = settings.client();
    const policy = settings.policy();
    const { clock } = settings;
    const watch = settings.notifications?.watch({ jobTag: plan.jobTag });
    let jobId: string | undefined;
    try {
      const hook = settings.beforeStart;
      if (hook !== undefined) {
        const prepared = this.#prepared.then(() => hook(plan.video, index));
        this.#prepared = prepared.then(
          () => undefined,
          () => undefined,
        );
        await prepared;
      }
      let firstRefusal: number | undefined;
      let refusals = 0;
      for (;;) {
        await this.#quota.acquire(signal);
        let id: string | undefined;
        try {
          id = await sendStart(plan, { client, policy, signal });
        } catch (error) {
          this.#quota.release();
          throw error;
        }
        if (id !== undefined) {
          jobId = id;
          this.#quota.started();
          break;
        }
        this.#quota.refused();
        refusals++;
        this.#counts.limitExceeded++;
        firstRefusal ??= clock.now();
        this.#push({ type: 'limit-exceeded', index, video: plan.video, uri: plan.uri, running: this.#quota.running });
        const waited = clock.now() - firstRefusal;
        if (waited >= settings.slotTimeout) {
          throw new JobWaitTimeoutError({ video: plan.uri, waited, attempts: { polls: 0, limitExceeded: refusals } });
        }
      }
      this.#counts.started++;
      watch?.setJobId(jobId);
      const identity = { index, video: plan.video, uri: plan.uri, jobId, clientRequestToken: plan.clientRequestToken, jobTag: plan.jobTag };
      this.#push({ type: 'started', ...identity });
      let via: 'notification' | 'poll';
      const pollFirst = settings.pollFirst(plan.video, index);
      try {
        ({ via } = await awaitCompletion({
          jobId,
          client,
          policy,
          clock,
          settings: { ...settings.wait, pollFirst },
          watch,
          queueUrl: settings.notifications?.queueUrl,
          messagesReceived: () => settings.notifications?.stats.received ?? 0,
          video: plan.uri,
          signal,
          onPoll: () => this.#counts.polls++,
          minPause: () => (this.#noticesWork ? settings.wait.maxDelay : 0),
        }));
      } finally {
        this.#quota.release();
      }
      if (settings.notifications !== undefined) this.#noticesWork = notificationsWorkAfter(this.#noticesWork, via, pollFirst);
      this.#counts.succeeded++;
      const read = { client, jobId, policy, clock };
      this.#push({
        type: 'succeeded',
        ...identity,
        via,
        detections: (options: BatchReadOptions = {}) => faceDetections({ ...options, ...read }),
        pages: (options: BatchReadOptions = {}) => faceDetectionPages({ ...options, ...read }),
      });
    } catch (error) {
      if (signal.aborted && (error as { name?: unknown })?.name === 'AbortError') return;
      this.#failed(index, plan.video, plan.uri, jobId, error);
    } finally {
      watch?.cancel();
    }
  }
}

function describeItem(item: unknown): string {
  if (typeof item === 'string') return item.length > 200 ? `${item.slice(0, 200)}…` : item;
  try {
    return JSON.stringify(item)?.slice(0, 200) ?? String(item);
  } catch {
    return String(item);
  }
}

async function closeInput(input: Iterator<BatchVideo> | AsyncIterator<BatchVideo>): Promise<void> {
  try {
    await input.return?.();
  } catch {
    // the input's own cleanup failed: nothing more to do
  }
}

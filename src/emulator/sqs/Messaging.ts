/**
 * The emulator's SNS → SQS wiring: queues, topics and their subscriptions, and the completion notification
 * a job with a `NotificationChannel` publishes (AWS's SNS envelope, or raw), with seeded notification faults
 * (lost, duplicated, delayed) and a notification log.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/Clock.js';
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectNumber, expectString } from '../../internal/validate.js';
import type { Job } from '../jobs/JobStore.js';
import { Rng } from '../synthetic/random.js';
import { Queue, uuidOf, type QueueSettings } from './Queue.js';

/** The emulator's single account and region. */
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** `^[A-Za-z0-9_-]{1,80}$`: a standard queue name. */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
/** An SNS topic ARN: `arn:aws:sns:<region>:<12 digits>:<name>`. */
export const TOPIC_ARN_PATTERN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;

/** Seeded faults of the completion notifications (each a probability per notification, 0–1). */
export interface NotificationFaults {
  /** The notification is never delivered. @default 0 */
  readonly lose?: number;
  /** The notification is delivered twice (the same SNS MessageId in two SQS messages). @default 0 */
  readonly duplicate?: number;
  /** The notification is delivered late, by `delayMs`. @default 0 */
  readonly delay?: number;
  /** The delay of a delayed notification (ms): fixed or uniform in a range. @default 30000 */
  readonly delayMs?: number | { readonly min: number; readonly max: number };
  /** Seed of the fault decisions. @default the emulator seed */
  readonly seed?: number;
}

/** How notifications are published. */
export interface PublishSettings {
  /** The SNS `Subject` of every notification; none when absent (the envelope then has no `Subject`). */
  readonly subject?: string | undefined;
}

/** Options of a subscription. */
export interface SubscribeOptions {
  /** Raw message delivery: the SQS body is the Rekognition payload itself, without the SNS envelope. @default false */
  readonly raw?: boolean;
}

/** Attributes of a new queue (durations in ms of the emulator's clock). */
export interface CreateQueueOptions {
  /** Default visibility timeout of received messages. @default 30000 */
  readonly visibilityTimeoutMs?: number;
  /** Default long-poll wait of `ReceiveMessage` (at most 20 s). @default 0 */
  readonly receiveWaitTimeMs?: number;
  /** Delay of new messages (at most 15 min). @default 0 */
  readonly delayMs?: number;
}

/** One completion notification, as published (see `emu.notifications()`). */
export interface NotificationLogEntry {
  /** 1-based, in order of publication. */
  readonly seq: number;
  readonly jobId: string;
  readonly topicArn: string;
  /** `SUCCEEDED` or `FAILED`. */
  readonly status: string;
  /** The SNS MessageId (the same in every copy). */
  readonly messageId: string;
  /** Clock time the job finished (the payload's `Timestamp`). */
  readonly finishedAt: number;
  /** Clock time it was delivered to the queues (later than `finishedAt` when delayed). */
  readonly publishedAt: number;
  /** The injected fault, if any. */
  readonly fault: 'lost' | 'duplicated' | 'delayed' | undefined;
  /** Queues it was delivered to (a queue twice when duplicated); empty when lost or nothing subscribes. */
  readonly deliveredTo: readonly string[];
}

interface Subscription {
  readonly arn: string;
  readonly queueName: string;
  readonly raw: boolean;
}

/** What the notification of a job's completion says. */
interface Planned {
  readonly fault: NotificationLogEntry['fault'];
  readonly delayMs: number;
}

const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';
const MAX_LOG = 10_000;

/** Queues, topics and subscriptions of one emulator, and the notifications its jobs publish. */
export class Messaging {
  readonly #clock: Clock;
  readonly #closing: AbortSignal;
  readonly #seed: number;
  readonly #queues = new Map<string, Queue>();
  readonly #topics = new Map<string, Subscription[]>();
  #endpoint = 'http://127.0.0.1';
  #faults: NotificationFaults = {};
  #rng: Rng;
  #log: NotificationLogEntry[] = [];
  #published = 0;
  readonly #due: { readonly at: number; readonly run: () => void }[] = [];
  #timer: { readonly at: number; readonly controller: AbortController } | undefined;

  readonly #subject: string | undefined;

  constructor(clock: Clock, seed: number, closing: AbortSignal, faults: NotificationFaults = {}, settings: PublishSettings = {}) {
    this.#subject = settings.subject;
    this.#clock = clock;
    this.#closing = closing;
    this.#seed = seed;
    this.#rng = new Rng(seed);
    this.setFaults(faults);
  }

  /** Sets the base URL queue URLs are built on (the emulator's endpoint). */
  setEndpoint(endpoint: string): void {
    this.#endpoint = endpoint;
  }

  /** Creates a queue, or returns the existing one of that name; throws `TypeError` for a bad name. */
  createQueue(name: string, options: CreateQueueOptions = {}): Queue {
    expectString('queueName', name, { pattern: QUEUE_NAME_PATTERN });
    const existing = this.#queues.get(name);
    if (existing) return existing;
    const settings: QueueSettings = {
      visibilityTimeoutMs: bounded('visibilityTimeoutMs', options.visibilityTimeoutMs ?? 30_000, 43_200_000),
      receiveWaitTimeMs: bounded('receiveWaitTimeMs', options.receiveWaitTimeMs ?? 0, 20_000),
      delayMs: bounded('delayMs', options.delayMs ?? 0, 900_000),
    };
    const queue = new Queue(name, `${this.#endpoint}/${ACCOUNT_ID}/${name}`, `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`, settings, this.#clock);
    this.#queues.set(name, queue);
    return queue;
  }

  /** The queue `name`, if it exists. */
  queue(name: string): Queue | undefined {
    return this.#queues.get(name);
  }

  /** The queue a `QueueUrl` names (`…/<account>/<name>`, any host), if it exists. */
  queueByUrl(url: string): Queue | undefined {
    const m = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)\/?$/.exec(url);
    if (!m || m[1] !== ACCOUNT_ID) return undefined;
    return this.#queues.get(m[2]!);
  }

  /** Every queue, in creation order. */
  queues(): readonly Queue[] {
    return [...this.#queues.values()];
  }

  /**
   * Subscribes queue `queueName` (created if missing) to topic `topicArn` (created if missing); returns the
   * subscription ARN. Subscribing the same queue twice keeps one subscription (SNS's behaviour).
   */
  subscribe(topicArn: string, queueName: string, options: SubscribeOptions = {}): string {
    expectString('topicArn', topicArn, { pattern: TOPIC_ARN_PATTERN });
    this.createQueue(queueName);
    const subscriptions = this.#topics.get(topicArn) ?? [];
    this.#topics.set(topicArn, subscriptions);
    const existing = subscriptions.find((s) => s.queueName === queueName);
    if (existing) return existing.arn;
    const arn = `${topicArn}:${uuidOf(digest(`${topicArn}\0${queueName}\0${this.#seed}`))}`;
    subscriptions.push({ arn, queueName, raw: options.raw === true });
    return arn;
  }

  /** Removes the subscription `subscriptionArn` (no-op when unknown). */
  unsubscribe(subscriptionArn: string): void {
    for (const [topic, subscriptions] of this.#topics) {
      this.#topics.set(topic, subscriptions.filter((s) => s.arn !== subscriptionArn));
    }
  }

  /** Replaces the notification faults (validated: probabilities 0–1, delays >= 0). */
  setFaults(faults: NotificationFaults): void {
    for (const key of ['lose', 'duplicate', 'delay'] as const) {
      const p = faults[key];
      if (p !== undefined) expectNumber(`notificationFaults.${key}`, p, 0, 1);
    }
    const d = faults.delayMs;
    if (d !== undefined && !(typeof d === 'number' ? d >= 0 : d !== null && d.min >= 0 && d.max >= d.min)) {
      throw new InvalidParameterError('notificationFaults.delayMs', 'ms >= 0, or { min, max } with 0 <= min <= max', d);
    }
    this.#faults = { ...faults };
    if (faults.seed !== undefined) this.#rng = new Rng(faults.seed);
  }

  /** The notifications published so far (the latest 10,000), oldest first. */
  notifications(): readonly NotificationLogEntry[] {
    return [...this.#log];
  }

  /**
   * Schedules the completion notification of a new job that has a `NotificationChannel`: published when
   * it finishes (clock time), or later when delayed; faults are decided now, in job order (seeded).
   */
  jobCreated(job: Job): void {
    const channel = job.input.notificationChannel;
    if (!channel) return;
    const plan = this.#plan();
    const publish = () => this.#publish(job, channel.SNSTopicArn, plan);
    const at = job.readyAt + plan.delayMs;
    if (at <= this.#clock.now()) queueMicrotask(publish);
    else this.#schedule(at, publish);
  }

  /** Runs `run` at clock time `at`; one timer (for the earliest) serves every scheduled publication. */
  #schedule(at: number, run: () => void): void {
    const due = this.#due;
    let i = due.length;
    while (i > 0 && due[i - 1]!.at > at) i--;
    due.splice(i, 0, { at, run });
    this.#arm();
  }

  #arm(): void {
    const next = this.#due[0];
    if (!next || this.#closing.aborted) return;
    if (this.#timer && this.#timer.at <= next.at) return;
    this.#timer?.controller.abort();
    const controller = new AbortController();
    const onClose = () => controller.abort();
    this.#closing.addEventListener('abort', onClose, { once: true });
    const timer = { at: next.at, controller };
    this.#timer = timer;
    const done = (fire: boolean) => {
      this.#closing.removeEventListener('abort', onClose);
      if (this.#timer === timer) this.#timer = undefined;
      if (fire) this.#fire();
    };
    this.#clock.sleep(Math.max(0, next.at - this.#clock.now()), controller.signal).then(
      () => done(true),
      () => done(false),
    );
  }

  #fire(): void {
    const now = this.#clock.now();
    while (this.#due.length > 0 && this.#due[0]!.at <= now) this.#due.shift()!.run();
    this.#arm();
  }

  #plan(): Planned {
    const f = this.#faults;
    const rng = this.#rng;
    if (f.lose && rng.chance(f.lose)) return { fault: 'lost', delayMs: 0 };
    if (f.duplicate && rng.chance(f.duplicate)) return { fault: 'duplicated', delayMs: 0 };
    if (f.delay && rng.chance(f.delay)) {
      const spec = f.delayMs ?? 30_000;
      return { fault: 'delayed', delayMs: typeof spec === 'number' ? spec : rng.range(spec.min, spec.max) };
    }
    return { fault: undefined, delayMs: 0 };
  }

  #publish(job: Job, topicArn: string, plan: Planned): void {
    if (this.#closing.aborted) return;
    const messageId = uuidOf(digest(`notification\0${this.#seed}\0${job.jobId}\0${this.#published}`));
    const status = job.request.failure === undefined ? 'SUCCEEDED' : 'FAILED';
    const payload = JSON.stringify({
      JobId: job.jobId,
      Status: status,
      API: 'StartFaceDetection',
      ...(job.input.jobTag === undefined ? {} : { JobTag: job.input.jobTag }),
      Timestamp: Math.round(job.readyAt),
      Video: { S3ObjectName: job.input.s3Object.Name, S3Bucket: job.input.s3Object.Bucket },
    });
    const deliveredTo: string[] = [];
    if (plan.fault !== 'lost') {
      const copies = plan.fault === 'duplicated' ? 2 : 1;
      for (const subscription of this.#topics.get(topicArn) ?? []) {
        const queue = this.#queues.get(subscription.queueName);
        if (!queue) continue;
        const body = subscription.raw ? payload : this.#envelope(topicArn, subscription, messageId, payload);
        for (let i = 0; i < copies; i++) {
          queue.send(body, SNS_SENDER_ID, 0);
          deliveredTo.push(queue.name);
        }
      }
    }
    this.#log.push({
      seq: ++this.#published,
      jobId: job.jobId,
      topicArn,
      status,
      messageId,
      finishedAt: job.readyAt,
      publishedAt: this.#clock.now(),
      fault: plan.fault,
      deliveredTo,
    });
    if (this.#log.length > MAX_LOG) this.#log = this.#log.slice(-MAX_LOG);
  }

  /** AWS's SNS envelope, formatted as SNS formats it (two-space indent, `" : "` separators). */
  #envelope(topicArn: string, subscription: Subscription, messageId: string, message: string): string {
    const region = TOPIC_ARN_PATTERN.exec(topicArn)?.[1] ?? REGION;
    const signature = Buffer.concat([
      digest(`sig1\0${messageId}`),
      digest(`sig2\0${messageId}`),
      digest(`sig3\0${messageId}`),
      digest(`sig4\0${messageId}`),
      digest(`sig5\0${messageId}`),
      digest(`sig6\0${messageId}`),
      digest(`sig7\0${messageId}`),
      digest(`sig8\0${messageId}`),
    ]).toString('base64');
    const fields: [string, string][] = [
      ['Type', 'Notification'],
      ['MessageId', messageId],
      ['TopicArn', topicArn],
      ...(this.#subject === undefined ? [] : ([['Subject', this.#subject]] as [string, string][])),
      ['Message', message],
      ['Timestamp', new Date(this.#clock.now()).toISOString()],
      ['SignatureVersion', '1'],
      ['Signature', signature],
      ['SigningCertURL', `https://sns.${region}.amazonaws.com/SimpleNotificationService-${digest('cert').toString('hex').slice(0, 32)}.pem`],
      ['UnsubscribeURL', `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription.arn}`],
    ];
    return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\n')}\n}`;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function bounded(name: string, value: number, max: number): number {
  return expectNumber(name, value, 0, max);
}

/**
 * One standard SQS queue of the emulator: messages with visibility timeouts, receipt handles, and
 * `ReceiveMessage` long polling, all in the injected clock's time.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/Clock.js';

/** A message in a queue. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  /** Clock time it was sent (ms). */
  readonly sentAt: number;
  /** Clock time from which it may be received (after `DelaySeconds` or a visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  /** Who sent it: `AmazonSNS`-style for notifications, the access key for `SendMessage`. */
  readonly senderId: string;
}

/** Attributes a queue is created with. */
export interface QueueSettings {
  /** Default visibility timeout of received messages (ms). */
  readonly visibilityTimeoutMs: number;
  /** Default long-poll wait of `ReceiveMessage` (ms). */
  readonly receiveWaitTimeMs: number;
  /** Delay of new messages (ms). */
  readonly delayMs: number;
}

/** A received message: the message and the receipt handle of this receipt. */
export interface Receipt {
  readonly message: QueueMessage;
  readonly receiptHandle: string;
}

/** A standard queue. */
export class Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly settings: QueueSettings;
  readonly #clock: Clock;
  readonly #messages = new Map<string, QueueMessage>();
  readonly #listeners = new Set<() => void>();
  #sequence = 0;

  constructor(name: string, url: string, arn: string, settings: QueueSettings, clock: Clock) {
    this.name = name;
    this.url = url;
    this.arn = arn;
    this.settings = settings;
    this.#clock = clock;
    this.createdAt = clock.now();
  }

  /** Adds a message (visible after `delayMs`, default the queue's delay); returns it. */
  send(body: string, senderId: string, delayMs = this.settings.delayMs): QueueMessage {
    const now = this.#clock.now();
    const messageId = uuidOf(createHash('sha256').update(`${this.arn}\0${this.#sequence++}\0${body}`).digest());
    const message: QueueMessage = {
      messageId,
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      sentAt: now,
      visibleAt: now + delayMs,
      receiveCount: 0,
      firstReceivedAt: undefined,
      senderId,
    };
    this.#messages.set(messageId, message);
    this.#changed();
    return message;
  }

  /**
   * Receives up to `max` visible messages, waiting up to `waitMs` (clock time) for the first one; each
   * received message is hidden for `visibilityMs`. Resolves with none when the wait ends empty; rejects when
   * `signal` aborts (nothing is taken then).
   */
  async receive(max: number, waitMs: number, visibilityMs: number, signal: AbortSignal): Promise<Receipt[]> {
    const deadline = this.#clock.now() + waitMs;
    for (;;) {
      signal.throwIfAborted();
      const now = this.#clock.now();
      const taken = this.#take(max, visibilityMs, now);
      if (taken.length > 0 || now >= deadline) return taken;
      let wakeAt = deadline;
      for (const m of this.#messages.values()) if (m.visibleAt > now && m.visibleAt < wakeAt) wakeAt = m.visibleAt;
      const wake = new AbortController();
      const onAbort = () => wake.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#listeners.add(onAbort);
      try {
        await this.#clock.sleep(wakeAt - now, wake.signal);
      } catch {
        // Woken by a change (or the caller's abort, checked at the top of the loop).
      } finally {
        signal.removeEventListener('abort', onAbort);
        this.#listeners.delete(onAbort);
      }
    }
  }

  /**
   * Deletes the message of `handle` when it is the message's latest receipt. A stale handle (the message was
   * received again since) succeeds without deleting, as SQS documents. Returns whether it deleted.
   */
  delete(handle: ParsedReceiptHandle): boolean {
    const message = this.#messages.get(handle.messageId);
    if (!message || message.receiveCount !== handle.receiveCount) return false;
    this.#messages.delete(handle.messageId);
    return true;
  }

  /**
   * Sets the visibility timeout of an in-flight message from now. `false` when the message is not in flight
   * under this receipt (deleted, visible again, or received again since).
   */
  changeVisibility(handle: ParsedReceiptHandle, visibilityMs: number): boolean {
    const message = this.#messages.get(handle.messageId);
    const now = this.#clock.now();
    if (!message || message.receiveCount !== handle.receiveCount || message.visibleAt <= now) return false;
    message.visibleAt = now + visibilityMs;
    if (visibilityMs === 0) this.#changed();
    return true;
  }

  /** Deletes every message. */
  purge(): void {
    this.#messages.clear();
  }

  /** Every message (visible, in flight or delayed), oldest first. */
  messages(): readonly QueueMessage[] {
    return [...this.#messages.values()];
  }

  /** Approximate counts, as `GetQueueAttributes` reports them. */
  counts(): { readonly visible: number; readonly notVisible: number; readonly delayed: number } {
    const now = this.#clock.now();
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const m of this.#messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount === 0) delayed++;
      else notVisible++;
    }
    return { visible, notVisible, delayed };
  }

  #take(max: number, visibilityMs: number, now: number): Receipt[] {
    const taken: Receipt[] = [];
    for (const message of this.#messages.values()) {
      if (taken.length >= max) break;
      if (message.visibleAt > now) continue;
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityMs;
      taken.push({ message, receiptHandle: receiptHandleOf(this.name, message) });
    }
    return taken;
  }

  #changed(): void {
    for (const wake of [...this.#listeners]) wake();
  }
}

/** What a receipt handle names. */
export interface ParsedReceiptHandle {
  readonly queueName: string;
  readonly messageId: string;
  readonly receiveCount: number;
}

/** An opaque receipt handle for the `receiveCount`-th receipt of `message` (base64 of its parts). */
function receiptHandleOf(queueName: string, message: QueueMessage): string {
  return Buffer.from(`rh1\n${queueName}\n${message.messageId}\n${message.receiveCount}`, 'utf8').toString('base64');
}

/** Parses a receipt handle; `undefined` when it is not one the emulator made. */
export function parseReceiptHandle(handle: string): ParsedReceiptHandle | undefined {
  if (handle.length > 1024 || !/^[A-Za-z0-9+/]+=*$/.test(handle)) return undefined;
  const parts = Buffer.from(handle, 'base64').toString('utf8').split('\n');
  if (parts.length !== 4 || parts[0] !== 'rh1' || !/^\d+$/.test(parts[3]!)) return undefined;
  return { queueName: parts[1]!, messageId: parts[2]!, receiveCount: Number(parts[3]) };
}

/** Formats 16 bytes of `bytes` as a version-4-style UUID. */
export function uuidOf(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

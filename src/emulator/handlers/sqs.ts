/**
 * The SQS operations the emulator serves (`AmazonSQS.*`, awsJson1_0): enough of a standard queue for the
 * real `@aws-sdk/client-sqs` to read job-completion notifications.
 *
 * @module
 */
import type { Body } from './params.js';
import { sqsErrors } from '../protocol/ServiceException.js';
import { parseReceiptHandle, type Queue, type QueueMessage } from '../sqs/Queue.js';
import { QUEUE_NAME_PATTERN, type Messaging } from '../sqs/Messaging.js';

/** SQS operations served. */
export const SQS_OPERATIONS = [
  'CreateQueue',
  'GetQueueUrl',
  'GetQueueAttributes',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'PurgeQueue',
] as const;

/** An SQS operation name. */
export type SqsOperation = (typeof SQS_OPERATIONS)[number];

/** What an SQS request needs. */
export interface SqsContext {
  readonly messaging: Messaging;
  /** Aborted when the client goes away or the emulator closes: a long poll then ends without taking messages. */
  readonly signal: AbortSignal;
  /** The caller's access key id (the `SenderId` of its messages). */
  readonly accessKeyId: string;
}

const MAX_BODY_CHARS = 262_144;
const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] as const;

/** Handles one SQS operation; returns the response body. Throws `SqsException`s. */
export async function handleSqs(operation: SqsOperation, body: Body, ctx: SqsContext): Promise<string> {
  const { messaging } = ctx;
  switch (operation) {
    case 'CreateQueue': {
      const name = requiredString(body, 'QueueName');
      if (!QUEUE_NAME_PATTERN.test(name)) {
        throw sqsErrors.invalidParameterValue(
          name.endsWith('.fifo')
            ? 'The emulator serves standard queues only (no FIFO queues).'
            : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
        );
      }
      const attributes = stringMap(body, 'Attributes');
      const settings = {
        visibilityTimeoutMs: secondsAttribute(attributes, 'VisibilityTimeout', 43_200),
        receiveWaitTimeMs: secondsAttribute(attributes, 'ReceiveMessageWaitTimeSeconds', 20),
        delayMs: secondsAttribute(attributes, 'DelaySeconds', 900),
      };
      const existing = messaging.queue(name);
      if (existing) {
        const s = existing.settings;
        const differs =
          (settings.visibilityTimeoutMs !== undefined && settings.visibilityTimeoutMs !== s.visibilityTimeoutMs) ||
          (settings.receiveWaitTimeMs !== undefined && settings.receiveWaitTimeMs !== s.receiveWaitTimeMs) ||
          (settings.delayMs !== undefined && settings.delayMs !== s.delayMs);
        if (differs) throw sqsErrors.queueNameExists(name);
        return JSON.stringify({ QueueUrl: existing.url });
      }
      const queue = messaging.createQueue(name, {
        ...(settings.visibilityTimeoutMs === undefined ? {} : { visibilityTimeoutMs: settings.visibilityTimeoutMs }),
        ...(settings.receiveWaitTimeMs === undefined ? {} : { receiveWaitTimeMs: settings.receiveWaitTimeMs }),
        ...(settings.delayMs === undefined ? {} : { delayMs: settings.delayMs }),
      });
      return JSON.stringify({ QueueUrl: queue.url });
    }
    case 'GetQueueUrl': {
      const name = requiredString(body, 'QueueName');
      const owner = optionalString(body, 'QueueOwnerAWSAccountId');
      const queue = messaging.queue(name);
      if (!queue || (owner !== undefined && owner !== queue.arn.split(':')[4])) throw sqsErrors.queueDoesNotExist();
      return JSON.stringify({ QueueUrl: queue.url });
    }
    case 'GetQueueAttributes': {
      const queue = queueOf(body, messaging);
      const names = stringList(body, 'AttributeNames') ?? [];
      const counts = queue.counts();
      const all: Record<string, string> = {
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        VisibilityTimeout: String(Math.round(queue.settings.visibilityTimeoutMs / 1000)),
        ReceiveMessageWaitTimeSeconds: String(Math.round(queue.settings.receiveWaitTimeMs / 1000)),
        DelaySeconds: String(Math.round(queue.settings.delayMs / 1000)),
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      };
      const attributes: Record<string, string> = {};
      for (const name of names) {
        if (name === 'All') Object.assign(attributes, all);
        else if (name in all) attributes[name] = all[name]!;
        else throw sqsErrors.invalidAttributeName(name);
      }
      return JSON.stringify(Object.keys(attributes).length === 0 ? {} : { Attributes: attributes });
    }
    case 'SendMessage': {
      const queue = queueOf(body, messaging);
      const text = requiredString(body, 'MessageBody');
      if (text.length === 0 || text.length > MAX_BODY_CHARS) {
        throw sqsErrors.invalidParameterValue(`MessageBody must be 1 to ${MAX_BODY_CHARS} characters long.`);
      }
      const delay = optionalInteger(body, 'DelaySeconds', 0, 900);
      const message = queue.send(text, ctx.accessKeyId, delay === undefined ? undefined : delay * 1000);
      return JSON.stringify({ MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody });
    }
    case 'ReceiveMessage': {
      const queue = queueOf(body, messaging);
      const max = optionalInteger(body, 'MaxNumberOfMessages', 1, 10) ?? 1;
      const waitSeconds = optionalInteger(body, 'WaitTimeSeconds', 0, 20);
      const visibilitySeconds = optionalInteger(body, 'VisibilityTimeout', 0, 43_200);
      const wanted = new Set([...(stringList(body, 'AttributeNames') ?? []), ...(stringList(body, 'MessageSystemAttributeNames') ?? [])]);
      stringList(body, 'MessageAttributeNames');
      optionalString(body, 'ReceiveRequestAttemptId');
      const receipts = await queue.receive(
        max,
        waitSeconds === undefined ? queue.settings.receiveWaitTimeMs : waitSeconds * 1000,
        visibilitySeconds === undefined ? queue.settings.visibilityTimeoutMs : visibilitySeconds * 1000,
        ctx.signal,
      );
      if (receipts.length === 0) return '{}';
      return JSON.stringify({
        Messages: receipts.map(({ message, receiptHandle }) => ({
          MessageId: message.messageId,
          ReceiptHandle: receiptHandle,
          MD5OfBody: message.md5OfBody,
          Body: message.body,
          ...(wanted.size === 0 ? {} : { Attributes: systemAttributes(message, wanted) }),
        })),
      });
    }
    case 'DeleteMessage': {
      const queue = queueOf(body, messaging);
      queue.delete(handleOf(queue, requiredString(body, 'ReceiptHandle')));
      return '{}';
    }
    case 'DeleteMessageBatch': {
      const queue = queueOf(body, messaging);
      const entries = body.Entries;
      if (entries === undefined || entries === null) throw sqsErrors.missingParameter('Entries');
      if (!Array.isArray(entries)) throw sqsErrors.invalidParameterValue('Entries must be a list.');
      if (entries.length === 0) throw sqsErrors.emptyBatchRequest();
      if (entries.length > 10) throw sqsErrors.tooManyEntriesInBatchRequest(entries.length);
      const ids = new Set<string>();
      const parsed = entries.map((entry: unknown) => {
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw sqsErrors.invalidParameterValue('Each entry must be an object.');
        const id = requiredString(entry as Body, 'Id');
        if (ids.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
        ids.add(id);
        return { id, handle: requiredString(entry as Body, 'ReceiptHandle') };
      });
      const successful: { Id: string }[] = [];
      const failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
      for (const { id, handle } of parsed) {
        const receipt = parseReceiptHandle(handle);
        if (!receipt || receipt.queueName !== queue.name) {
          failed.push({ Id: id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: sqsErrors.receiptHandleIsInvalid(handle).message });
        } else {
          queue.delete(receipt);
          successful.push({ Id: id });
        }
      }
      return JSON.stringify({ Successful: successful, Failed: failed });
    }
    case 'ChangeMessageVisibility': {
      const queue = queueOf(body, messaging);
      const handle = handleOf(queue, requiredString(body, 'ReceiptHandle'));
      const seconds = optionalInteger(body, 'VisibilityTimeout', 0, 43_200);
      if (seconds === undefined) throw sqsErrors.missingParameter('VisibilityTimeout');
      if (!queue.changeVisibility(handle, seconds * 1000)) throw sqsErrors.messageNotInflight();
      return '{}';
    }
    case 'PurgeQueue':
      queueOf(body, messaging).purge();
      return '{}';
  }
}

function queueOf(body: Body, messaging: Messaging): Queue {
  const queue = messaging.queueByUrl(requiredString(body, 'QueueUrl'));
  if (!queue) throw sqsErrors.queueDoesNotExist();
  return queue;
}

function handleOf(queue: Queue, handle: string) {
  const receipt = parseReceiptHandle(handle);
  if (!receipt || receipt.queueName !== queue.name) throw sqsErrors.receiptHandleIsInvalid(handle);
  return receipt;
}

function systemAttributes(message: QueueMessage, wanted: ReadonlySet<string>): Record<string, string> {
  const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string> = {
    SenderId: message.senderId,
    SentTimestamp: String(Math.round(message.sentAt)),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(Math.round(message.firstReceivedAt ?? message.sentAt)),
  };
  const out: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) if (wanted.has('All') || wanted.has(name)) out[name] = values[name];
  return out;
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw sqsErrors.invalidParameterValue(`${name} must be a string.`);
  return value;
}

function requiredString(body: Body, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined) throw sqsErrors.missingParameter(name);
  return value;
}

function optionalInteger(body: Body, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw sqsErrors.invalidParameterValue(`Value ${JSON.stringify(value)?.slice(0, 40)} for parameter ${name} is invalid. Reason: Must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function stringList(body: Body, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw sqsErrors.invalidParameterValue(`${name} must be a list of strings.`);
  return value as string[];
}

function stringMap(body: Body, name: string): Readonly<Record<string, string>> {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw sqsErrors.invalidParameterValue(`${name} must be a map of strings.`);
  }
  return value as Record<string, string>;
}

function secondsAttribute(attributes: Readonly<Record<string, string>>, name: string, max: number): number | undefined {
  if (!Object.hasOwn(attributes, name)) return undefined;
  const text = attributes[name]!;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds > max) {
    throw sqsErrors.invalidParameterValue(`Invalid value for the parameter ${name}: must be an integer from 0 to ${max}.`);
  }
  return seconds * 1000;
}

import { InvalidParameterError, type JobNotifications, type NotificationChannel, type SqsLike, sqsJobNotifications } from '../../index.js';

/** The notification flags of `batch` and `start`. */
export interface NotificationFlags {
  readonly sqsQueueUrl?: string;
  readonly snsTopicArn?: string;
  readonly roleArn?: string;
  readonly region?: string;
  readonly profile?: string;
}

/** The notification wiring of a command: nothing, or a channel plus an SQS reader (all three flags together). */
export async function notificationsFromOptions(
  flags: NotificationFlags,
): Promise<{ readonly channel: NotificationChannel; readonly notifications: JobNotifications; close(): Promise<void> } | undefined> {
  const given = [flags.sqsQueueUrl, flags.snsTopicArn, flags.roleArn].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) {
    throw new InvalidParameterError('--sqs-queue-url', 'given together with --sns-topic-arn and --role-arn (all three or none)', flags.sqsQueueUrl);
  }
  const queueUrl = flags.sqsQueueUrl!;
  if (!/^https?:\/\/[^\s/]+\/\S+$/.test(queueUrl)) throw new InvalidParameterError('--sqs-queue-url', 'an SQS queue URL (https://…/ACCOUNT/QUEUE)', queueUrl);
  if (!/^arn:aws[\w-]*:sns:/.test(flags.snsTopicArn!)) throw new InvalidParameterError('--sns-topic-arn', 'an SNS topic ARN (arn:aws:sns:…)', flags.snsTopicArn);
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\//.test(flags.roleArn!)) throw new InvalidParameterError('--role-arn', 'an IAM role ARN (arn:aws:iam::ACCOUNT:role/…)', flags.roleArn);
  let sdk: typeof import('@aws-sdk/client-sqs');
  try {
    sdk = await import('@aws-sdk/client-sqs');
  } catch (error) {
    throw new InvalidParameterError('--sqs-queue-url', 'used with @aws-sdk/client-sqs installed (npm install @aws-sdk/client-sqs)', queueUrl, { cause: error });
  }
  // A queue that is not on amazonaws.com (e.g. the emulator) is its own endpoint.
  const origin = new URL(queueUrl).origin;
  const local = !/\.amazonaws\.com(\.cn)?$/.test(new URL(queueUrl).hostname);
  const sqs = new sdk.SQSClient({
    maxAttempts: 3,
    ...(local ? { endpoint: origin } : {}),
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
  });
  const notifications = sqsJobNotifications({ sqs: sqs as SqsLike, queueUrl });
  return {
    channel: { snsTopicArn: flags.snsTopicArn!, roleArn: flags.roleArn! },
    notifications,
    async close() {
      // (the deletes of handled notifications finish first: destroying the client would abort them)
      await notifications.close();
      sqs.destroy();
    },
  };
}

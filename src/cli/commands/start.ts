import { Command, Option } from 'commander';
import { startFaceDetectionJob, waitForFaceDetectionJob } from '../../index.js';
import { durationFlag } from '../durationFlag.js';
import { notificationsFromOptions, type NotificationFlags } from '../batch/sqsFromOptions.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from '../clientFromOptions.js';
import { addPolicyOptions, type PolicyFlags, policyFromFlags } from '../policyOptions.js';

interface StartFlags extends ClientFlags, NotificationFlags, PolicyFlags {
  readonly video: string;
  readonly faceAttributes: 'DEFAULT' | 'ALL';
  readonly wait?: boolean;
  readonly waitTimeout?: string;
  readonly pollInterval?: string;
  readonly clientRequestToken?: string;
}

/**
 * `face-stream start --video s3://bucket/key`: starts a face-detection job idempotently (the same video and
 * parameters give the same JobId for 7 days) and prints only the JobId on stdout, so `JOB=$(face-stream start …)`
 * works; `--wait` also waits for it to finish (exit 1 if it FAILED or the deadline passed).
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { startCommand } from './start.js';
 *
 * const program = new Command('face-stream').addCommand(startCommand());
 * ```
 */
export function startCommand(): Command {
  const command = new Command('start')
    .description('start a face-detection job (idempotent) and print its JobId')
    .requiredOption('--video <s3uri>', 'the video, s3://bucket/key')
    .addOption(new Option('--face-attributes <set>', 'face attributes to detect').choices(['DEFAULT', 'ALL']).default('DEFAULT'))
    .option('--client-request-token <token>', 'idempotency token (default: a digest of the video and parameters)')
    .option('--wait', 'wait until the job has finished (exit 1 if it failed)')
    .option('--wait-timeout <duration>', 'deadline of --wait, e.g. 30m (default 1h)')
    .option('--poll-interval <duration>', 'first status-poll delay of --wait (default 5s; 60s with SQS)')
    .option('--sqs-queue-url <url>', 'with --wait: the SQS queue subscribed to --sns-topic-arn')
    .option('--sns-topic-arn <arn>', 'SNS topic Rekognition publishes completion to')
    .option('--role-arn <arn>', 'IAM role Rekognition assumes to publish');
  addClientOptions(command);
  addPolicyOptions(command);
  return command.action(async (flags: StartFlags) => {
    const timeout = durationFlag('--wait-timeout', flags.waitTimeout);
    const pollInterval = durationFlag('--poll-interval', flags.pollInterval);
    const wiring = await notificationsFromOptions(flags);
    const client = clientFromOptions(flags);
    const policy = policyFromFlags(flags);
    const watch = flags.wait ? wiring?.notifications : undefined;
    try {
      const job = await startFaceDetectionJob({
        client,
        policy,
        video: flags.video,
        faceAttributes: flags.faceAttributes,
        ...(flags.clientRequestToken === undefined ? {} : { clientRequestToken: flags.clientRequestToken }),
        ...(wiring ? { notificationChannel: wiring.channel } : {}),
      });
      process.stdout.write(`${job.jobId}\n`);
      if (flags.wait) {
        await waitForFaceDetectionJob({
          client,
          policy,
          jobId: job.jobId,
          video: flags.video,
          // The job may have been started by an earlier run (same token): it would publish nothing new.
          pollFirst: true,
          ...(watch ? { notifications: watch } : {}),
          ...(timeout === undefined ? {} : { timeout }),
          ...(pollInterval === undefined ? {} : { poll: { minDelay: pollInterval, maxDelay: pollInterval * 6 } }),
        });
      }
    } finally {
      await wiring?.close();
      client.destroy();
      await policy.close();
    }
  });
}

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  type Emulator,
  EMULATOR_ACCOUNT_ID as EMULATOR_ACCOUNT,
  EMULATOR_REGION as EMULATOR_REGION_NAME,
  type EmulatorOptions,
  FAULT_KINDS,
  type FaultKind,
  motLines,
  type NotificationFaults,
  OPERATIONS,
  type OperationName,
  QUEUE_NAME_PATTERN,
  type RandomFaults,
  type RequestLogEntry,
  type ScriptedFault,
  startEmulator,
  TOPIC_ARN_PATTERN,
  type TpsQuota,
} from '../../emulator/index.js';
import { InvalidParameterError } from '../../index.js';

interface EmulatorFlags {
  readonly host: string;
  readonly port: string;
  readonly seed: string;
  readonly processingTime?: string;
  readonly retention?: string;
  readonly tokenTtl?: string;
  readonly maxConcurrentJobs?: string;
  readonly maxBodyBytes?: string;
  readonly roundedNumbers?: boolean;
  readonly pageCacheBytes?: string;
  readonly headersTimeout?: string;
  readonly requestTimeout?: string;
  readonly verifySignatures: boolean;
  readonly tps: readonly string[];
  readonly throttle?: string;
  readonly throttle500?: string;
  readonly provisioned?: string;
  readonly internalError?: string;
  readonly drop?: string;
  readonly latency?: string;
  readonly latencyRate?: string;
  readonly faultOps?: string;
  readonly script: readonly string[];
  readonly log: boolean;
  readonly groundTruthDir?: string;
  readonly processingPerVideoSecond?: string;
  readonly otherJobs?: string;
  readonly missingBucket?: readonly string[];
  readonly medianBitrate?: string;
  readonly bitrateSigma?: string;
  readonly deniedBucket?: readonly string[];
  readonly queue?: readonly string[];
  readonly subscribe?: readonly string[];
  readonly loseNotifications?: string;
  readonly duplicateNotifications?: string;
  readonly delayNotifications?: string;
  readonly delayNotificationsRate?: string;
}

/**
 * `face-stream emulator [--host 127.0.0.1] [--port N] [--seed N] [fault flags]`: runs the Rekognition Video
 * emulator. The first line of stdout is the endpoint URL; it serves until SIGINT/SIGTERM, then closes every
 * connection and exits. `--log` prints one line per request on stderr; `--ground-truth-dir` writes each new
 * job's MOT ground truth to `<dir>/<JobId>.gt.txt`.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { emulatorCommand } from './emulator.js';
 *
 * const program = new Command('face-stream').addCommand(emulatorCommand());
 * ```
 */
export function emulatorCommand(): Command {
  const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];
  return new Command('emulator')
    .description('run the local Rekognition Video emulator (StartFaceDetection/GetFaceDetection) until SIGINT/SIGTERM')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', '0')
    .option('--seed <n>', 'seed of generated content, job ids and random faults', '1')
    .option('--processing-time <ms>', 'how long jobs stay IN_PROGRESS (default: 1 s + 0.1 ms per video second, ≤ 5 s)')
    .option('--retention <ms>', 'how long results are kept (default 7 days)')
    .option('--token-ttl <ms>', 'NextToken lifetime (default 24 h)')
    .option('--max-concurrent-jobs <n>', 'open-job quota before LimitExceededException (default 20)')
    .option('--max-body-bytes <n>', 'largest request body (default 65536)')
    .option('--page-cache-bytes <n>', 'keep served pages in memory up to n bytes and serve re-reads from there (default 0)')
    .option('--rounded-numbers', 'print detection numbers rounded (0.23) instead of as AWS does (float32 widened: 0.23000000417232513)', false)
    .option('--headers-timeout <ms>', 'time a client has to send its request headers, then 408 and close (default 20000)')
    .option('--request-timeout <ms>', 'time a client has to send its whole request, then 408 and close (default 60000)')
    .option('--verify-signatures', 'verify SigV4 signatures against AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', false)
    .option('--tps <op=rate[:burst]>', 'TPS quota of an operation, e.g. GetFaceDetection=5:10 (repeatable)', collect, [])
    .option('--throttle <p>', 'probability of a 400 ThrottlingException per request')
    .option('--throttle-500 <p>', 'probability of a 500 ThrottlingException per request')
    .option('--provisioned <p>', 'probability of a 400 ProvisionedThroughputExceededException per request')
    .option('--internal-error <p>', 'probability of a 500 InternalServerError per request')
    .option('--drop <p>', 'probability of a dropped connection per request')
    .option('--latency <ms|min-max>', 'added latency (with --latency-rate, default 1)')
    .option('--latency-rate <p>', 'probability of the added latency')
    .option('--fault-ops <ops>', 'comma-separated operations the random faults apply to (default all)')
    .option(
      '--script <op:fault[:times]>',
      `scripted fault, op = ${OPERATIONS.join('|')}|*, fault = ${FAULT_KINDS.filter((k) => k !== 'error' && k !== 'body').join('|')} (repeatable; a scripted latency lasts 1 s)`,
      collect,
      [],
    )
    .option('--processing-per-video-second <ms>', 'processing time per second of video (plus --processing-time, default 0, as a fixed part)')
    .option('--other-jobs <slots[:ms]>', 'job slots of the quota held by other applications, for ms (default: until exit)')
    .option('--missing-bucket <bucket>', 'objects of this bucket do not exist: InvalidS3ObjectException (repeatable)', collect, [])
    .option('--denied-bucket <bucket>', 'this bucket is denied: AccessDeniedException (repeatable)', collect, [])
    .option('--median-bitrate <bits/s>', 'S3 HeadObject sizes: median bitrate of the videos (default 2500000)')
    .option('--bitrate-sigma <s>', 'S3 HeadObject sizes: spread of the bitrates, std. dev. of its log (default 0.25)')
    .option('--queue <name>', `create an SQS queue: <endpoint>/${EMULATOR_ACCOUNT}/<name> (repeatable)`, collect, [])
    .option(
      '--subscribe <topic=queue[:raw]>',
      `subscribe a queue (created if missing) to an SNS topic ARN or name (name → arn:aws:sns:${EMULATOR_REGION_NAME}:${EMULATOR_ACCOUNT}:<name>); :raw = raw delivery (repeatable)`,
      collect,
      [],
    )
    .option('--lose-notifications <p>', 'probability that a completion notification is lost')
    .option('--duplicate-notifications <p>', 'probability that a completion notification is delivered twice')
    .option('--delay-notifications <ms|min-max>', 'delay of delayed notifications (with --delay-notifications-rate, default 1)')
    .option('--delay-notifications-rate <p>', 'probability that a notification is delayed')
    .option('--log', 'print one line per request on stderr', false)
    .option('--ground-truth-dir <dir>', "write each new job's MOT ground truth to <dir>/<JobId>.gt.txt")
    .addHelpText(
      'after',
      [
        '',
        'Videos are chosen by the S3 object name: key=value tokens separated by , ; / or &, e.g.',
        '  preset=interview|meeting|walkers|edited (default meeting), duration=10s|10m|1.5h (default 60s),',
        '  people=<n>, fail=1, missing=1, denied=1.  Example: {"S3Object":{"Bucket":"b","Name":"preset=walkers,duration=10m.mp4"}}',
        'Completion notifications: --subscribe AmazonRekognitionTopic=jobs, then StartFaceDetection with',
        `  NotificationChannel {SNSTopicArn: arn:aws:sns:${EMULATOR_REGION_NAME}:${EMULATOR_ACCOUNT}:AmazonRekognitionTopic, RoleArn: …}`,
        '  and read <endpoint>/' + EMULATOR_ACCOUNT + '/jobs with the SQS API.',
        'See docs/emulator.md.',
      ].join('\n'),
    )
    .action(async (flags: EmulatorFlags) => {
      const options = emulatorOptionsFromFlags(flags, process.env);
      const dir = flags.groundTruthDir;
      if (dir !== undefined) await mkdir(dir, { recursive: true });
      const exported = new Set<string>();
      let emu: Emulator | undefined;
      const onRequest = (entry: RequestLogEntry) => {
        if (flags.log) process.stderr.write(`${formatEntry(entry)}\n`);
        if (dir !== undefined && emu && entry.operation === 'StartFaceDetection' && entry.status === 200 && entry.jobId) {
          if (exported.has(entry.jobId)) return;
          exported.add(entry.jobId);
          writeGroundTruth(emu, entry.jobId, join(dir, `${entry.jobId}.gt.txt`)).catch((error: unknown) =>
            process.stderr.write(`face-stream emulator: ground truth of ${entry.jobId}: ${String(error)}\n`),
          );
        }
      };
      emu = await startEmulator({ ...options, onRequest });
      process.stdout.write(`${emu.endpoint}\n`);
      for (const queue of flags.queue ?? []) process.stderr.write(`face-stream emulator: queue ${queue} ${emu.queueUrl(queue)}\n`);
      for (const s of options.subscriptions ?? []) {
        process.stderr.write(`face-stream emulator: ${s.topicArn} → queue ${s.queue} ${emu.queueUrl(s.queue)}${s.raw ? ' (raw)' : ''}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emu.close();
      const c = emu.counters();
      process.stderr.write(
        `face-stream emulator: stopped after ${c.requests} requests (${c.errors} errors, ${c.throttled} throttled, ${c.detections} detections served, ${emu.notifications().length} notifications)\n`,
      );
    });
}

/** Turns the command's flags (and, for `--verify-signatures`, the environment) into emulator options. */
export function emulatorOptionsFromFlags(flags: EmulatorFlags, env: NodeJS.ProcessEnv): EmulatorOptions {
  const random: { -readonly [K in keyof RandomFaults]: RandomFaults[K] } = {};
  if (flags.throttle !== undefined) random.throttle = probability('--throttle', flags.throttle);
  if (flags.throttle500 !== undefined) random.throttle500 = probability('--throttle-500', flags.throttle500);
  if (flags.provisioned !== undefined) random.provisioned = probability('--provisioned', flags.provisioned);
  if (flags.internalError !== undefined) random.internal = probability('--internal-error', flags.internalError);
  if (flags.drop !== undefined) random.drop = probability('--drop', flags.drop);
  if (flags.latency !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(flags.latency);
    if (!m) throw new InvalidParameterError('--latency', 'milliseconds or a range min-max', flags.latency);
    random.latencyMs = m[2] === undefined ? Number(m[1]) : { min: Number(m[1]), max: Number(m[2]) };
    random.latency = flags.latencyRate === undefined ? 1 : probability('--latency-rate', flags.latencyRate);
  }
  if (flags.faultOps !== undefined) random.operations = flags.faultOps.split(',').map((op) => operation('--fault-ops', op.trim()));
  const tps: Partial<Record<OperationName, TpsQuota>> = {};
  for (const spec of flags.tps) {
    const m = /^(\w+)=(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(spec);
    if (!m || !(Number(m[2]) > 0)) throw new InvalidParameterError('--tps', 'op=rate[:burst] with rate > 0', spec);
    tps[operation('--tps', m[1]!)] = m[3] === undefined ? { rate: Number(m[2]) } : { rate: Number(m[2]), burst: Number(m[3]) };
  }
  const script: ScriptedFault[] = flags.script.map((spec) => {
    const [op, fault, times, extra] = spec.split(':');
    const kinds = FAULT_KINDS.filter((k) => k !== 'error' && k !== 'body');
    if (!op || !fault || !(kinds as readonly string[]).includes(fault) || extra !== undefined || (times !== undefined && !/^\d+$/.test(times))) {
      throw new InvalidParameterError('--script', `op:fault[:times] with fault one of ${kinds.join(', ')}`, spec);
    }
    return {
      ...(op === '*' ? {} : { operation: operation('--script', op) }),
      fault: fault as FaultKind,
      ...(times === undefined ? {} : { times: Number(times) }),
    };
  });
  let credentials: EmulatorOptions['credentials'];
  if (flags.verifySignatures) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new InvalidParameterError('--verify-signatures', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment', undefined);
    }
    credentials = [{ accessKeyId, secretAccessKey }];
  }
  const notificationFaults: { -readonly [K in keyof NotificationFaults]: NotificationFaults[K] } = {};
  if (flags.loseNotifications !== undefined) notificationFaults.lose = probability('--lose-notifications', flags.loseNotifications);
  if (flags.duplicateNotifications !== undefined) {
    notificationFaults.duplicate = probability('--duplicate-notifications', flags.duplicateNotifications);
  }
  if (flags.delayNotifications !== undefined) {
    notificationFaults.delayMs = msOrRange('--delay-notifications', flags.delayNotifications);
    notificationFaults.delay = flags.delayNotificationsRate === undefined ? 1 : probability('--delay-notifications-rate', flags.delayNotificationsRate);
  }
  let processingTimeMs: EmulatorOptions['processingTimeMs'];
  if (flags.processingPerVideoSecond !== undefined) {
    processingTimeMs = {
      perVideoSecondMs: number('--processing-per-video-second', flags.processingPerVideoSecond),
      baseMs: flags.processingTime === undefined ? 0 : number('--processing-time', flags.processingTime),
    };
  } else if (flags.processingTime !== undefined) {
    processingTimeMs = number('--processing-time', flags.processingTime);
  }
  let otherApplications: EmulatorOptions['otherApplications'];
  if (flags.otherJobs !== undefined) {
    const m = /^(\d+)(?::(\d+(?:\.\d+)?))?$/.exec(flags.otherJobs);
    if (!m || Number(m[1]) < 1) throw new InvalidParameterError('--other-jobs', 'slots[:ms] with slots >= 1', flags.otherJobs);
    otherApplications = m[2] === undefined ? { slots: Number(m[1]) } : { slots: Number(m[1]), forMs: Number(m[2]) };
  }
  const subscriptions = (flags.subscribe ?? []).map((spec) => {
    const at = spec.lastIndexOf('=');
    const topic = spec.slice(0, at);
    const [queue, mode, extra] = spec.slice(at + 1).split(':');
    if (at <= 0 || !queue || !QUEUE_NAME_PATTERN.test(queue) || (mode !== undefined && mode !== 'raw') || extra !== undefined) {
      throw new InvalidParameterError('--subscribe', 'topic=queue[:raw] (topic an SNS topic ARN or name, queue [A-Za-z0-9_-]{1,80})', spec);
    }
    const topicArn = topic.startsWith('arn:') ? topic : `arn:aws:sns:${EMULATOR_REGION_NAME}:${EMULATOR_ACCOUNT}:${topic}`;
    if (!TOPIC_ARN_PATTERN.test(topicArn)) throw new InvalidParameterError('--subscribe', 'an SNS topic ARN arn:aws:sns:<region>:<12 digits>:<name>', topic);
    return mode === 'raw' ? { topicArn, queue, raw: true } : { topicArn, queue };
  });
  for (const queue of flags.queue ?? []) {
    if (!QUEUE_NAME_PATTERN.test(queue)) throw new InvalidParameterError('--queue', 'a queue name of 1–80 characters [A-Za-z0-9_-]', queue);
  }
  return {
    host: flags.host,
    port: integer('--port', flags.port),
    seed: integer('--seed', flags.seed),
    ...(processingTimeMs === undefined ? {} : { processingTimeMs }),
    ...(otherApplications === undefined ? {} : { otherApplications }),
    ...(flags.missingBucket?.length ? { missingBuckets: flags.missingBucket } : {}),
    ...(flags.deniedBucket?.length ? { deniedBuckets: flags.deniedBucket } : {}),
    ...(flags.medianBitrate === undefined ? {} : { medianBitrate: number('--median-bitrate', flags.medianBitrate) }),
    ...(flags.bitrateSigma === undefined ? {} : { bitrateSigma: number('--bitrate-sigma', flags.bitrateSigma) }),
    ...(flags.queue?.length ? { queues: flags.queue } : {}),
    ...(subscriptions.length > 0 ? { subscriptions } : {}),
    ...(Object.keys(notificationFaults).length > 0 ? { notificationFaults } : {}),
    ...(flags.retention === undefined ? {} : { retentionMs: number('--retention', flags.retention) }),
    ...(flags.tokenTtl === undefined ? {} : { tokenTtlMs: number('--token-ttl', flags.tokenTtl) }),
    ...(flags.maxConcurrentJobs === undefined ? {} : { maxConcurrentJobs: integer('--max-concurrent-jobs', flags.maxConcurrentJobs) }),
    ...(flags.maxBodyBytes === undefined ? {} : { maxBodyBytes: integer('--max-body-bytes', flags.maxBodyBytes) }),
    ...(flags.headersTimeout === undefined ? {} : { headersTimeoutMs: integer('--headers-timeout', flags.headersTimeout) }),
    ...(flags.requestTimeout === undefined ? {} : { requestTimeoutMs: integer('--request-timeout', flags.requestTimeout) }),
    ...(credentials ? { credentials } : {}),
    ...(flags.roundedNumbers ? { numbers: 'rounded' as const } : {}),
    ...(flags.pageCacheBytes === undefined ? {} : { pageCacheBytes: integer('--page-cache-bytes', flags.pageCacheBytes) }),
    faults: { tps, random, script },
  };
}

function msOrRange(flag: string, text: string): number | { min: number; max: number } {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text);
  if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new InvalidParameterError(flag, 'milliseconds or a range min-max', text);
  return m[2] === undefined ? Number(m[1]) : { min: Number(m[1]), max: Number(m[2]) };
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidParameterError(flag, 'a number >= 0', text);
  return value;
}

function integer(flag: string, text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidParameterError(flag, 'an integer', text);
  return value;
}

function probability(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new InvalidParameterError(flag, 'a probability from 0 to 1', text);
  return value;
}

function operation(flag: string, name: string): OperationName {
  if (!(OPERATIONS as readonly string[]).includes(name)) {
    throw new InvalidParameterError(flag, `an operation (${OPERATIONS.join(', ')})`, name);
  }
  return name as OperationName;
}

function formatEntry(e: RequestLogEntry): string {
  const parts = [`#${e.seq}`, e.operation, String(e.status)];
  if (e.errorType) parts.push(e.errorType);
  if (e.fault) parts.push(`fault=${e.fault}`);
  if (e.jobId) parts.push(`job=${e.jobId.slice(0, 12)}…`);
  if (e.detections) parts.push(`detections=${e.detections}`);
  return parts.join(' ');
}

async function writeGroundTruth(emu: Emulator, jobId: string, path: string): Promise<void> {
  const out = createWriteStream(path);
  try {
    for (const line of motLines(emu.video(jobId))) {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

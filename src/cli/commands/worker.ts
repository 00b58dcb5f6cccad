import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { durationFlag, MAX_POLL_INTERVAL_HELP, pollFromFlags } from '../durationFlag.js';
import { type FleetWriter, InvalidParameterError, MAX_RESULTS_LIMIT, runBatchWorker } from '../../index.js';
import { type OutputState, outputPaths, writeCheckpointedNdjson } from '../batch/checkpointedNdjson.js';
import { derivedOutputsOf } from '../batch/derivedOutputs.js';
import { removeFiles } from '../batch/durableFile.js';
import { parseVideoLine } from '../batch/videoList.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from '../clientFromOptions.js';
import { addPolicyOptions, type PolicyFlags, policyFromFlags } from '../policyOptions.js';
import { describe, positiveInteger } from './batch.js';

interface WorkerFlags extends ClientFlags, PolicyFlags {
  readonly queue: string;
  readonly queueName: string;
  readonly out: string;
  readonly concurrency: string;
  readonly readConcurrency?: string;
  readonly exitWhenDrained?: boolean;
  readonly waitTimeout?: string;
  readonly pollInterval?: string;
  readonly maxPollInterval?: string;
  readonly maxResults?: string;
  readonly lockDuration?: string;
  readonly stalledInterval?: string;
  readonly name?: string;
  readonly tracks?: string | boolean;
  readonly windows?: string;
}

/**
 * `face-stream worker --queue redis://HOST:PORT --out DIR`: a worker of a fleet. Takes videos from the queue
 * filled by `face-stream batch --queue`, runs their Rekognition jobs under the fleet-wide job limit, and writes
 * `DIR/<bucket>/<key>.ndjson` per finished video (the contract of `face-stream batch --out`). The checkpoint of a
 * video being written is kept in its BullMQ job, so when a worker dies (even SIGKILL) another one continues the
 * same file from it, exactly once. Run any number of workers, on any number of machines sharing DIR.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { workerCommand } from './worker.js';
 *
 * const program = new Command('face-stream').addCommand(workerCommand());
 * ```
 */
export function workerCommand(): Command {
  const command = new Command('worker')
    .description('process the videos of a queue filled by `face-stream batch --queue` (any number of workers and machines)')
    .requiredOption('--queue <url>', 'the Redis of the queue, e.g. redis://127.0.0.1:6379')
    .requiredOption('--out <dir>', 'output directory (shared by the workers): DIR/<bucket>/<key>.ndjson per finished video')
    .option('--queue-name <name>', 'BullMQ queue name', 'face-stream')
    .option('--concurrency <n>', 'Rekognition jobs this worker waits for at once (the fleet-wide limit is set by batch --max-concurrent-jobs)', '20')
    .option('--read-concurrency <n>', 'videos this worker reads and writes at once, after their jobs ended (default: --concurrency)')
    .option('--exit-when-drained', 'exit once no video is waiting or running on any worker')
    .option('--wait-timeout <duration>', 'deadline of each job, e.g. 90m (default 1h)')
    .option('--poll-interval <duration>', 'first status-poll delay (default 5s); it grows 1.5× per poll')
    .option('--max-poll-interval <duration>', MAX_POLL_INTERVAL_HELP)
    .option('--max-results <n>', `detections per page (1..${MAX_RESULTS_LIMIT})`)
    .option('--lock-duration <duration>', "how long a dead worker's video stays locked before another worker takes it over (default 30s)")
    .option('--stalled-interval <duration>', 'how often workers look for videos of dead workers (default 30s)')
    .option('--name <name>', 'worker name shown by batch --status (default host:pid)')
    .option('--tracks [flags]', 'also write <key>.tracks.jsonl per video: `face-stream tracks` with these flags (as --tracks="--min-hits 3")')
    .option('--windows <flags>', 'also write <key>.windows.jsonl (.csv) per video: `face-stream windows` with these flags (quoted, e.g. "--size 60000")');
  addClientOptions(command);
  addPolicyOptions(command);
  return command.action(async (flags: WorkerFlags) => {
    process.exitCode = await runWorker(flags);
  });
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  if (!/^rediss?:\/\/[^\s]+$/.test(flags.queue)) throw new InvalidParameterError('--queue', 'a redis:// or rediss:// URL', flags.queue);
  const concurrency = positiveInteger('--concurrency', flags.concurrency, 10_000);
  const readConcurrency = flags.readConcurrency === undefined ? concurrency : positiveInteger('--read-concurrency', flags.readConcurrency, 10_000);
  const maxResults = flags.maxResults === undefined ? undefined : positiveInteger('--max-results', flags.maxResults, MAX_RESULTS_LIMIT);
  const waitTimeout = durationFlag('--wait-timeout', flags.waitTimeout);
  const poll = pollFromFlags(flags);
  const lockDuration = durationFlag('--lock-duration', flags.lockDuration);
  const stalledInterval = durationFlag('--stalled-interval', flags.stalledInterval);
  const client = clientFromOptions(flags);
  // The TPS budget is shared by the whole fleet through the limiter on the queue's Redis (unless --redis says another).
  const policy = policyFromFlags({ ...flags, redis: flags.redis ?? flags.queue });
  const derived = await derivedOutputsOf(flags);
  await mkdir(flags.out, { recursive: true });

  const write: FleetWriter = async (event, checkpoint) => {
    const parsed = parseVideoLine(0, event.uri);
    if (parsed === undefined || 'message' in parsed) throw new InvalidParameterError('video', 'an s3://bucket/key that maps to a file', event.uri);
    const base = join(flags.out, parsed.relativePath);
    const paths = outputPaths(`${base}.ndjson`);
    if (existsSync(paths.final)) {
      // Complete already (a worker died after the rename, before the queue heard of it; or an earlier batch).
      await removeFiles(paths.partial, paths.state, `${paths.state}.tmp`);
      await derived?.write(paths.final, base, { onlyMissing: true });
      return { skipped: true };
    }
    await mkdir(dirname(paths.final), { recursive: true });
    const state = checkpoint.state as OutputState | undefined;
    const detections = await writeCheckpointedNdjson({
      paths,
      jobId: event.jobId,
      state,
      openPages: (from) =>
        event.pages({
          ...(maxResults === undefined ? {} : { maxResults }),
          ...(from === undefined ? {} : { startingToken: from.startingToken, startingCount: from.startingCount }),
        }),
      extra: { video: event.uri },
      saveState: (state) => checkpoint.save(state),
      // Track summaries and window rows exist before the detections are renamed to <key>.ndjson.
      ...(derived === undefined ? {} : { beforeCommit: (partial: string) => derived.write(partial, base) }),
    });
    // resumedAt: the line a takeover continued from (0 for a fresh start).
    return { detections, resumedAt: state?.jobId === event.jobId ? (state.checkpoint?.startingCount ?? 0) : 0 };
  };

  const worker = await runBatchWorker({
    connection: flags.queue,
    queueName: flags.queueName,
    client,
    policy,
    write,
    concurrency,
    readConcurrency,
    exitWhenDrained: flags.exitWhenDrained === true,
    ...(flags.name === undefined ? {} : { name: flags.name }),
    ...(waitTimeout === undefined ? {} : { waitTimeout }),
    ...(poll === undefined ? {} : { poll }),
    ...(lockDuration === undefined ? {} : { lockDuration }),
    ...(stalledInterval === undefined ? {} : { stalledInterval }),
  });
  worker.events.subscribe((event) => {
    if (event.type === 'failed') process.stderr.write(`face-stream: ${event.uri}: FAILED: ${describe(event.error)}\n`);
  });
  const stop = (): void => void worker.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const counts = await worker.closed;
    process.stderr.write(`face-stream: worker stopped: ${counts.succeeded} videos done, ${counts.failed} failed\n`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    client.destroy();
    await policy.close();
  }
}

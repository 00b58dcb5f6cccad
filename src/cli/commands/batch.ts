import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import {
  type BatchEvent,
  faceDetectionBatch,
  InvalidParameterError,
  isFaceStreamError,
  jobIdentity,
  MAX_RESULTS_LIMIT,
  systemClock,
  type VideoRef,
} from '../../index.js';
import { durationFlag, MAX_POLL_INTERVAL_HELP, pollFromFlags } from '../durationFlag.js';
import { checkVideoList, parseVideoLine, readVideoLines, type VideoLine } from '../batch/videoList.js';
import { type OutputState, outputPaths, writeCheckpointedNdjson } from '../batch/checkpointedNdjson.js';
import { derivedOutputsOf } from '../batch/derivedOutputs.js';
import { readJson, removeFiles, writeJsonAtomic } from '../batch/durableFile.js';
import { orderFromOptions } from '../batch/orderFromOptions.js';
import { notificationsFromOptions, type NotificationFlags } from '../batch/sqsFromOptions.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from '../clientFromOptions.js';
import { addPolicyOptions, type PolicyFlags, policyFromFlags } from '../policyOptions.js';
import { addProgressOptions, progressEnabled, type ProgressFlags } from '../progress.js';
import { type FleetBatchFlags, runFleetBatch } from './fleetBatch.js';

interface BatchFlags extends ClientFlags, NotificationFlags, PolicyFlags, ProgressFlags {
  /** Required without --queue (checked in runBatch: commander cannot express "required unless"). */
  readonly videos: string;
  readonly out: string;
  readonly maxConcurrentJobs: string;
  readonly faceAttributes: 'DEFAULT' | 'ALL';
  readonly waitTimeout?: string;
  readonly pollInterval?: string;
  readonly maxPollInterval?: string;
  readonly maxResults?: string;
  readonly tracks?: string | boolean;
  readonly windows?: string;
  readonly order?: 'size' | 'input';
}

/** Videos whose detections are written at the same time. */
const CONCURRENT_WRITERS = 4;
/** Finished videos waiting for a writer before the batch stops taking events (a few hundred bytes each). */
const MAX_PENDING_WRITES = 1000;

/**
 * `face-stream batch --videos FILE --out DIR`: starts a face-detection job per video (at most
 * `--max-concurrent-jobs`, fewer while other applications hold the account's job slots), waits for each, and
 * writes every detection of each job exactly once, in service order, to `DIR/<bucket>/<key>.ndjson` — a file that
 * appears only when complete. Partial data and state live beside it under other suffixes (`.ndjson.partial`,
 * `.ndjson.state`), so a rerun after a crash (even SIGKILL) starts no second job and writes no line twice.
 * Exit 0 when every video is done, 1 with a per-video summary otherwise, 2 for a bad FILE (before any request).
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { batchCommand } from './batch.js';
 *
 * const program = new Command('face-stream').addCommand(batchCommand());
 * ```
 */
export function batchCommand(): Command {
  const command = new Command('batch')
    .description('start, wait for and write the face detections of many videos (one s3://bucket/key per line of FILE)')
    .option('--videos <file>', 'one s3://bucket/key per line (blank lines and # comments ignored)')
    .option('--out <dir>', 'output directory: DIR/<bucket>/<key>.ndjson per finished video')
    .option('--queue <url>', 'run on a fleet: enqueue the videos in this Redis for `face-stream worker` processes (see docs/fleet.md)')
    .option('--queue-name <name>', 'with --queue: BullMQ queue name', 'face-stream')
    .option('--detach', 'with --queue: enqueue and exit (default: follow the batch until every video is done or failed)')
    .option('--status', 'with --queue: show videos per state and per worker, throughput, ETA and failed videos, then exit')
    .option('--retry-failed', 'with --queue: requeue the failed videos (then follow, unless --detach)')
    .option('--max-concurrent-jobs <n>', 'jobs in progress at once (the account quota is shared by every Start*)', '20')
    .addOption(
      new Option('--order <order>', 'size: the largest videos first, by S3 HeadObject size (default when @aws-sdk/client-s3 is installed); input: FILE order').choices([
        'size',
        'input',
      ]),
    )
    .addOption(new Option('--face-attributes <set>', 'face attributes to detect').choices(['DEFAULT', 'ALL']).default('DEFAULT'))
    .option('--sqs-queue-url <url>', 'wait by notification: the SQS queue subscribed to --sns-topic-arn')
    .option('--sns-topic-arn <arn>', 'SNS topic Rekognition publishes completion to (with --sqs-queue-url)')
    .option('--role-arn <arn>', 'IAM role Rekognition assumes to publish (with --sqs-queue-url)')
    .option('--wait-timeout <duration>', 'deadline of each job, e.g. 90m (default 1h)')
    .option('--poll-interval <duration>', 'first status-poll delay (default 5s; 60s with SQS); it grows 1.5× per poll')
    .option('--max-poll-interval <duration>', MAX_POLL_INTERVAL_HELP)
    .option('--max-results <n>', `detections per page (1..${MAX_RESULTS_LIMIT})`)
    .option('--tracks [flags]', 'also write <key>.tracks.jsonl per video: `face-stream tracks` with these flags (as --tracks="--min-hits 3")')
    .option('--windows <flags>', 'also write <key>.windows.jsonl (.csv) per video: `face-stream windows` with these flags (quoted, e.g. "--size 60000")');
  // --progress before --no-progress: commander then leaves the default undefined (a terminal decides).
  addProgressOptions(command).option('--no-progress', 'no progress on stderr (as --quiet)');
  addClientOptions(command);
  addPolicyOptions(command);
  return command.action(async (flags: BatchFlags & FleetBatchFlags) => {
    process.exitCode = flags.queue === undefined ? await runBatch(flags) : await runFleetBatch(flags);
  });
}

async function runBatch(flags: BatchFlags): Promise<number> {
  const maxConcurrentJobs = positiveInteger('--max-concurrent-jobs', flags.maxConcurrentJobs, 10_000);
  const waitTimeout = durationFlag('--wait-timeout', flags.waitTimeout);
  const poll = pollFromFlags(flags);
  const maxResults = flags.maxResults === undefined ? undefined : positiveInteger('--max-results', flags.maxResults, Number.MAX_SAFE_INTEGER);
  const faceAttributes = flags.faceAttributes;
  if ((flags.videos as string | undefined) === undefined) throw new InvalidParameterError('--videos', 'a file (one s3://bucket/key per line)', undefined);
  if ((flags.out as string | undefined) === undefined) throw new InvalidParameterError('--out', 'an output directory (or --queue URL to run on a fleet)', undefined);
  if (!existsSync(flags.videos)) throw new InvalidParameterError('--videos', 'an existing file', flags.videos);

  // Bad lines are reported all at once, before any request.
  const check = await checkVideoList(flags.videos);
  if (check.bad.length > 0) {
    for (const bad of check.bad.slice(0, 20)) process.stderr.write(`face-stream: ${flags.videos} line ${bad.line}: ${bad.message}\n`);
    if (check.bad.length > 20) process.stderr.write(`face-stream: … and ${check.bad.length - 20} more bad lines\n`);
    process.stderr.write(`face-stream: batch not started: fix the ${check.bad.length === 1 ? 'line' : 'lines'} above (no request was sent)\n`);
    return 2;
  }

  const derived = await derivedOutputsOf(flags);
  const wiring = await notificationsFromOptions(flags);
  const ordering = await orderFromOptions(flags);
  const client = clientFromOptions(flags);
  const policy = policyFromFlags(flags);
  await mkdir(flags.out, { recursive: true });
  const progress = progressEnabled(flags) ? new ProgressLine(check.videos, process.stderr.isTTY === true) : undefined;

  // Videos in flight, by batch index (bounded by the order's window, the job concurrency and the writers).
  const inFlight = new Map<number, { readonly entry: VideoLine; state: OutputState | undefined }>();
  const failures: { readonly line: number; readonly uri: string; readonly message: string }[] = [];
  let alreadyDone = 0;
  const pollFirst = new Set<number>();
  let index = 0;

  // The second pass over FILE: lazy, so memory does not grow with the number of videos. A video is taken here
  // up to a window ahead of its Start (size order): its state is written only once it is chosen (beforeStart).
  async function* videos(): AsyncGenerator<VideoRef> {
    for await (const { line, text } of readVideoLines(flags.videos)) {
      const parsed = parseVideoLine(line, text);
      if (parsed === undefined || 'message' in parsed) continue; // checked above
      const paths = outputPaths(join(flags.out, `${parsed.relativePath}.ndjson`));
      if (existsSync(paths.final)) {
        alreadyDone++;
        await removeFiles(paths.partial, paths.state, `${paths.state}.tmp`); // leftovers of a crash after the rename
        await derived?.write(paths.final, join(flags.out, parsed.relativePath), { onlyMissing: true });
        progress?.update({ done: 1 });
        continue;
      }
      const state = (await readJson(paths.state)) as OutputState | undefined;
      if (state !== undefined) pollFirst.add(index); // an earlier run may have started the job: it will publish nothing new
      inFlight.set(index++, { entry: parsed, state });
      yield parsed.video;
    }
  }

  // Recorded before the Start is sent (once the video is chosen to start next): a rerun then knows to poll first.
  const beforeStart = async (_video: VideoRef, i: number): Promise<void> => {
    const item = inFlight.get(i);
    if (item === undefined || item.state !== undefined) return;
    const paths = outputPaths(join(flags.out, `${item.entry.relativePath}.ndjson`));
    const { video } = item.entry;
    const plan = jobIdentity({ video, faceAttributes, notificationChannel: wiring?.channel });
    await mkdir(dirname(paths.final), { recursive: true });
    await writeJsonAtomic(paths.state, { v: 1, video: `s3://${video.bucket}/${video.name}`, clientRequestToken: plan.clientRequestToken } satisfies OutputState);
  };

  const writers = new Set<Promise<void>>();
  const pendingWrites: Extract<BatchEvent, { type: 'succeeded' }>[] = [];
  const startWriters = (): void => {
    while (writers.size < CONCURRENT_WRITERS && pendingWrites.length > 0) {
      const task: Promise<void> = write(pendingWrites.shift()!).finally(() => {
        writers.delete(task);
        startWriters();
      });
      writers.add(task);
    }
  };
  const write = async (event: Extract<BatchEvent, { type: 'succeeded' }>): Promise<void> => {
    const item = inFlight.get(event.index)!;
    const base = join(flags.out, item.entry.relativePath);
    const paths = outputPaths(`${base}.ndjson`);
    try {
      await writeCheckpointedNdjson({
        paths,
        jobId: event.jobId,
        state: item.state,
        openPages: (checkpoint) =>
          event.pages({
            ...(maxResults === undefined ? {} : { maxResults }),
            ...(checkpoint === undefined ? {} : { startingToken: checkpoint.startingToken, startingCount: checkpoint.startingCount }),
          }),
        extra: { video: event.uri, clientRequestToken: event.clientRequestToken },
        ...(derived === undefined ? {} : { beforeCommit: (partial: string) => derived.write(partial, base) }),
      });
      progress?.update({ done: 1 });
    } catch (error) {
      failures.push({ line: item.entry.line, uri: event.uri, message: describe(error) });
      await recordFailure(paths.state, describe(error));
      progress?.update({ failed: 1 });
    } finally {
      inFlight.delete(event.index);
    }
  };

  try {
    const batch = faceDetectionBatch(videos(), {
      client,
      policy,
      maxConcurrentJobs,
      faceAttributes,
      pollFirst: (_video, i) => pollFirst.has(i),
      order: ordering.order,
      beforeStart,
      ...(wiring ? { notificationChannel: wiring.channel, notifications: wiring.notifications } : {}),
      ...(waitTimeout === undefined ? {} : { waitTimeout }),
      ...(poll === undefined ? {} : { poll }),
    });
    for await (const event of batch) {
      switch (event.type) {
        case 'started': {
          const item = inFlight.get(event.index);
          if (item && item.state?.jobId !== event.jobId) {
            item.state = { ...item.state, v: 1, video: event.uri, clientRequestToken: event.clientRequestToken, jobId: event.jobId, checkpoint: undefined, bytes: undefined, failed: undefined };
            await writeJsonAtomic(outputPaths(join(flags.out, `${item.entry.relativePath}.ndjson`)).state, item.state);
          } else if (item?.state?.failed !== undefined) {
            // Retried: the failure of an earlier run no longer holds (the checkpoint does).
            item.state = { ...item.state, failed: undefined };
            await writeJsonAtomic(outputPaths(join(flags.out, `${item.entry.relativePath}.ndjson`)).state, item.state);
          }
          progress?.update({ running: 1 });
          break;
        }
        case 'succeeded': {
          progress?.update({ running: -1 });
          pendingWrites.push(event);
          startWriters();
          // Finished videos wait for a writer without holding up the jobs, up to a bound (then the batch waits).
          while (pendingWrites.length >= MAX_PENDING_WRITES) await Promise.race(writers);
          break;
        }
        case 'failed': {
          const item = inFlight.get(event.index);
          inFlight.delete(event.index);
          if (event.jobId !== undefined) progress?.update({ running: -1 });
          failures.push({ line: item?.entry.line ?? 0, uri: event.uri, message: describe(event.error) });
          if (item) await recordFailure(outputPaths(join(flags.out, `${item.entry.relativePath}.ndjson`)).state, describe(event.error));
          progress?.update({ failed: 1 });
          break;
        }
        case 'limit-exceeded':
          progress?.update({ limited: 1 });
          break;
        default:
          break;
      }
    }
    while (writers.size > 0) await Promise.all(writers);
  } finally {
    progress?.end();
    await wiring?.close();
    ordering.close();
    client.destroy();
    await policy.close();
  }

  const succeeded = check.videos - failures.length;
  if (failures.length === 0) {
    process.stderr.write(`face-stream: batch done: ${check.videos} videos (${alreadyDone} already complete)\n`);
    return 0;
  }
  failures.sort((a, b) => a.line - b.line);
  for (const failure of failures) process.stderr.write(`face-stream: line ${failure.line} ${failure.uri}: FAILED: ${failure.message}\n`);
  process.stderr.write(`face-stream: batch incomplete: ${succeeded} of ${check.videos} videos done, ${failures.length} failed (rerun the same command to retry them)\n`);
  return 1;
}

/**
 * Records a video's failure in its state file (`failed`: the one-line reason), keeping the rest (token, job,
 * checkpoint) for the rerun; `face-stream report --batch` shows it. Best effort: the failure is reported anyway.
 */
async function recordFailure(statePath: string, message: string): Promise<void> {
  try {
    const state = (await readJson(statePath)) as OutputState | undefined;
    if (state !== undefined) await writeJsonAtomic(statePath, { ...state, failed: message } satisfies OutputState, { syncDir: false });
  } catch {
    // The state file is unreadable or unwritable: the summary on stderr still names the failure.
  }
}

/** An integer flag from 1 to `max` (a one-line error naming the flag otherwise). */
export function positiveInteger(flag: string, text: string, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new InvalidParameterError(flag, `an integer from 1 to ${max}`, text);
  return value;
}

/** One line for an error of a video. */
export function describe(error: unknown): string {
  if (isFaceStreamError(error)) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The videos by state on stderr: on a terminal one line redrawn at most every 200 ms; elsewhere (`--progress`
 * into a pipe or a log) a plain line at most every 5 s, and the last one at the end.
 */
class ProgressLine {
  readonly #total: number;
  readonly #tty: boolean;
  #done = 0;
  #running = 0;
  #failed = 0;
  #limited = 0;
  #drawn = 0;

  constructor(total: number, tty: boolean) {
    this.#total = total;
    this.#tty = tty;
  }

  update(delta: { done?: number; running?: number; failed?: number; limited?: number }): void {
    this.#done += delta.done ?? 0;
    this.#running += delta.running ?? 0;
    this.#failed += delta.failed ?? 0;
    this.#limited += delta.limited ?? 0;
    const now = systemClock.now();
    if (now - this.#drawn < (this.#tty ? 200 : 5000)) return;
    this.#drawn = now;
    this.#draw();
  }

  #draw(): void {
    const line = `batch: ${this.#done}/${this.#total} done, ${this.#running} running, ${this.#failed} failed${this.#limited ? `, ${this.#limited} Starts refused (job quota)` : ''}`;
    process.stderr.write(this.#tty ? `\r\x1b[K${line}` : `${line}\n`);
  }

  end(): void {
    this.#draw();
    if (this.#tty) process.stderr.write('\n');
  }
}

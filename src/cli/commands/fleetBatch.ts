/**
 * `face-stream batch --queue redis://…`: the fleet side of `batch` — enqueue, follow, `--status`,
 * `--retry-failed` (the workers are `face-stream worker` processes).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { enqueueBatch, type FleetStatus, fleetStatus, InvalidParameterError, retryFailedVideos, systemClock } from '../../index.js';
import { orderFromOptions } from '../batch/orderFromOptions.js';
import { checkVideoList, parseVideoLine, readVideoLines } from '../batch/videoList.js';
import { positiveInteger } from './batch.js';

/** The flags of `batch` used in fleet mode. */
export interface FleetBatchFlags {
  readonly queue?: string;
  readonly queueName: string;
  readonly videos?: string;
  readonly maxConcurrentJobs: string;
  readonly faceAttributes: 'DEFAULT' | 'ALL';
  readonly detach?: boolean;
  readonly status?: boolean;
  readonly retryFailed?: boolean;
  readonly progress?: boolean;
  /** `size` (default when @aws-sdk/client-s3 loads): the largest videos first, by S3 HeadObject; `input`: FILE order. */
  readonly order?: 'size' | 'input';
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
}

/** How often the batch is checked while followed (ms). */
const FOLLOW_INTERVAL = 1000;

/** Runs `batch --queue`; resolves with the exit code. */
export async function runFleetBatch(flags: FleetBatchFlags): Promise<number> {
  const connection = flags.queue!;
  if (!/^rediss?:\/\/[^\s]+$/.test(connection)) throw new InvalidParameterError('--queue', 'a redis:// or rediss:// URL', connection);
  const target = { connection, queueName: flags.queueName };
  if (flags.status === true) {
    printStatus(await fleetStatus(target));
    return 0;
  }
  if (flags.retryFailed === true) {
    const requeued = await retryFailedVideos(target);
    process.stderr.write(`face-stream: ${requeued} failed videos requeued\n`);
  }
  if (flags.videos !== undefined) {
    const maxConcurrentJobs = positiveInteger('--max-concurrent-jobs', flags.maxConcurrentJobs, 10_000);
    if (!existsSync(flags.videos)) throw new InvalidParameterError('--videos', 'an existing file', flags.videos);
    const check = await checkVideoList(flags.videos);
    if (check.bad.length > 0) {
      for (const bad of check.bad.slice(0, 20)) process.stderr.write(`face-stream: ${flags.videos} line ${bad.line}: ${bad.message}\n`);
      if (check.bad.length > 20) process.stderr.write(`face-stream: … and ${check.bad.length - 20} more bad lines\n`);
      process.stderr.write(`face-stream: batch not enqueued: fix the ${check.bad.length === 1 ? 'line' : 'lines'} above (nothing was added)\n`);
      return 2;
    }
    const lines: { readonly uri: string; readonly line: number }[] = [];
    for await (const { line, text } of readVideoLines(flags.videos)) {
      const parsed = parseVideoLine(line, text);
      if (parsed !== undefined && !('message' in parsed)) lines.push({ uri: text.trim(), line });
    }
    const lineOf = new Map(lines.map((l) => [l.uri, l.line]));
    // Fleet-wide start order: each video's BullMQ priority from its S3 size (looked up for new videos only).
    const ordering = await orderFromOptions(flags);
    let result: Awaited<ReturnType<typeof enqueueBatch>>;
    try {
      result = await enqueueBatch(
        lines.map((l) => l.uri),
        { ...target, maxConcurrentJobs, faceAttributes: flags.faceAttributes, order: ordering.order, indexOf: (video) => lineOf.get(video as string) ?? 0 },
      );
    } finally {
      ordering.close();
    }
    process.stderr.write(
      `face-stream: ${result.added} videos enqueued, ${result.existing} already in the queue; at most ${maxConcurrentJobs} jobs in progress fleet-wide\n`,
    );
  } else if (flags.retryFailed !== true) {
    throw new InvalidParameterError('--videos', 'a file (or --status / --retry-failed with --queue)', undefined);
  }
  if (flags.detach === true) return 0;
  return follow(target, flags.progress !== false && process.stderr.isTTY === true);
}

/** Follows the queue until nothing is waiting, delayed or running; exit 1 when a video failed. */
async function follow(target: { readonly connection: string; readonly queueName: string }, tty: boolean): Promise<number> {
  for (;;) {
    const status = await fleetStatus({ ...target, maxFailures: 0 });
    const { waiting, active, delayed, completed, failed } = status.counts;
    if (tty) {
      process.stderr.write(`\r\x1b[Kbatch: ${completed} done, ${active} running, ${waiting + delayed} waiting, ${failed} failed${eta(status)}`);
    }
    if (waiting + active + delayed === 0) break;
    await systemClock.sleep(FOLLOW_INTERVAL);
  }
  if (tty) process.stderr.write('\n');
  const status = await fleetStatus({ ...target, maxFailures: 1000 });
  const { completed, failed } = status.counts;
  if (failed === 0) {
    process.stderr.write(`face-stream: batch done: ${completed} videos\n`);
    return 0;
  }
  for (const f of status.failures) process.stderr.write(`face-stream: line ${f.index} ${f.uri}: FAILED: ${f.reason}\n`);
  process.stderr.write(
    `face-stream: batch incomplete: ${completed} videos done, ${failed} failed (face-stream batch --queue … --retry-failed to retry them)\n`,
  );
  return 1;
}

function eta(status: FleetStatus): string {
  return status.etaMs === undefined || status.etaMs === 0 ? '' : `, ETA ${Math.ceil(status.etaMs / 1000)} s`;
}

function printStatus(status: FleetStatus): void {
  const { waiting, active, delayed, completed, failed } = status.counts;
  const { jobs, reads } = status.stages;
  const out: string[] = [
    `videos: ${waiting} waiting, ${active} running, ${delayed} delayed (retry backoff), ${completed} done, ${failed} failed`,
    `running: ${jobs.active} Rekognition jobs in progress, ${reads.waiting} waiting to be read, ${reads.active} being read`,
    `fleet-wide limit of jobs in progress: ${status.maxConcurrentJobs ?? 'not set'}`,
    `throughput: ${status.throughputPerMinute.toFixed(1)} videos/min, ${status.jobsPerMinute.toFixed(1)} Rekognition jobs ended/min (last 5 min)${status.etaMs === undefined ? ', ETA unknown' : `, ETA ${Math.ceil(status.etaMs / 1000)} s`}`,
    `workers: ${status.workers.length === 0 ? 'none' : status.workers.map((w) => `${w.name} (${w.jobs} jobs, ${w.reads} reading)`).join(', ')}`,
    ...status.failures.map((f) => `failed: line ${f.index} ${f.uri}: ${f.reason}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Batches: 200 videos of 1–60 min under the account's job quota (20), processing time proportional to the
 * video's duration, the GetFaceDetection TPS quota on. Three contenders, each against a fresh emulator (in
 * process, real time):
 *
 * 1. ours: `faceDetectionBatch` with SQS completion notifications (emulator SNS → SQS) and its slow polling
 *    fallback, reading each finished video's pages (up to 8 videos at once) through the shared policy. As the CLI
 *    does by default, the largest videos start first, by their S3 `HeadObject` size (`s3ObjectSizes`, the
 *    emulator's size model: duration × a log-normal per-video bitrate, so size only approximates duration);
 *    rows: the default adaptive policy, the same in input order, and the size order with the policy given the
 *    TPS quota (`tps`, `burst`);
 * 2. AWS's sample strategy (aws-samples large-scale video processing): submit in input order until
 *    `LimitExceededException`, then fixed 5 s sleeps (scaled) and retry; completion by polling each started job
 *    every 5 s (scaled); pages read with a fixed 5 s sleep on `ProvisionedThroughputExceededException`, at most
 *    5 times; SDK default client (3 attempts);
 * 3. a naive `Promise.all` of Starts, each then polled and read (SDK default client).
 *
 * Lower bound of the makespan: the larger of the job-quota bound (a longest-processing-time-first schedule of the
 * processing times on 20 slots) and the page bound (pages / TPS).
 *
 * Scaling: 1 minute of video is processed in `MS_PER_VIDEO_MINUTE` ms (a real job on a 60-min video taking ~30
 * min, scaled by 1/150), and sleeps of the AWS sample are scaled the same way. The synthetic content of each
 * video is its duration in *seconds* (1–60 s, `preset=meeting`), read in pages of 100, so that the client's
 * JSON parsing does not dominate the measurement; the page bound is made comparable to the job bound by the TPS
 * quota.
 */
import { GetFaceDetectionCommand, RekognitionClient, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '../src/core/Clock.js';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { objectSize } from '../src/emulator/s3/objectSize.js';
import { type BatchSucceededEvent, faceDetectionBatch } from '../src/jobs/faceDetectionBatch.js';
import { sqsJobNotifications } from '../src/jobs/sqsJobNotifications.js';
import { s3ObjectSizes } from '../src/jobs/videoSizes.js';
import { createRequestPolicy } from '../src/resilience/createRequestPolicy.js';
import { createRekognitionClient } from '../src/source/createRekognitionClient.js';
import { type BenchVideo, benchVideos, scheduleBounds, slotGaps, startRecorder } from './lib/schedule.js';
import { fmt, table } from './lib/stats.js';
import type { Benchmark } from './lib/types.js';

const QUOTA = 20;
const TPS = 25;
const MAX_RESULTS = 100;
const MS_PER_VIDEO_MINUTE = 200;
/** Real seconds → scaled ms: a 60-min video (≈30 min of real processing) takes 12 s here. */
const SCALE = (60 * MS_PER_VIDEO_MINUTE) / (30 * 60 * 1000);
const SLEEP_5S = Math.round(5000 * SCALE);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionBench';
const CHANNEL = { snsTopicArn: TOPIC, roleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS' };
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };
const SEED = 5;
/** The emulator's default size model (`medianBitrate`, `bitrateSigma`). */
const BITRATE = { median: 2_500_000, sigma: 0.25 };

type Video = BenchVideo;

/** Development aid: `BENCH_CONTENDERS=ours` runs only the contenders whose name contains it. */
const selected = (name: string): boolean => process.env.BENCH_CONTENDERS === undefined || name.includes(process.env.BENCH_CONTENDERS);

/** Processing time of a video of the list, from its object name (the emulator's `processingTimeMs`). */
const processingOf = (name: string): number => Number(/duration=(\d+)s/.exec(name)?.[1] ?? 0) * MS_PER_VIDEO_MINUTE;

async function emulator(recorder: ReturnType<typeof startRecorder>): Promise<Emulator> {
  const emu = await startEmulator({
    onRequest: recorder.observe,
    seed: SEED,
    maxConcurrentJobs: QUOTA,
    // The synthetic duration is in seconds; processing is proportional to the nominal minutes (same number).
    processingTimeMs: (video) => (video.durationMs / 1000) * MS_PER_VIDEO_MINUTE,
    faults: { tps: { GetFaceDetection: { rate: TPS, burst: TPS } } },
    requestLogSize: 10,
  });
  emu.subscribe(TOPIC, 'bench');
  return emu;
}

interface Outcome {
  readonly makespan: number;
  readonly failed: number;
  readonly pages: number;
  readonly detections: number;
}

async function ours(emu: Emulator, list: readonly Video[], knownQuota: boolean, bySize: boolean): Promise<Outcome> {
  const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, fastPath: true });
  const sqs = new SQSClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  // The CLI's S3 client: same endpoint, path style, the SDK's standard retries.
  const s3 = new S3Client({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true });
  const sizes = s3ObjectSizes({ client: s3 });
  const policy = createRequestPolicy(knownQuota ? { tps: TPS, burst: TPS } : {});
  const notifications = sqsJobNotifications({ sqs, queueUrl: emu.queueUrl('bench') });
  const started = systemClock.now();
  let failed = 0;
  let pages = 0;
  let detections = 0;
  // Finished videos wait here for one of 8 readers; the event loop never blocks on reading, so the job pipeline
  // keeps every slot busy while reading catches up (a pending entry is a few hundred bytes).
  const pending: BatchSucceededEvent[] = [];
  let readers = 0;
  let drained: (() => void) | undefined;
  const read = async (event: BatchSucceededEvent): Promise<void> => {
    try {
      for await (const page of event.pages({ maxResults: MAX_RESULTS })) {
        pages++;
        detections += page.Faces.length;
      }
    } catch {
      failed++;
    }
  };
  const pump = (): void => {
    while (readers < 8 && pending.length > 0) {
      readers++;
      void read(pending.shift()!).finally(() => {
        readers--;
        pump();
        if (readers === 0 && pending.length === 0) drained?.();
      });
    }
  };
  try {
    for await (const event of faceDetectionBatch(
      list.map((v) => v.uri),
      {
        client,
        policy,
        notifications,
        notificationChannel: CHANNEL,
        maxConcurrentJobs: QUOTA,
        poll: { minDelay: 2000, maxDelay: 10_000 },
        order: bySize ? { largestFirst: sizes } : 'input',
      },
    )) {
      if (event.type === 'failed') failed++;
      if (event.type !== 'succeeded') continue;
      pending.push(event);
      pump();
    }
    if (readers > 0 || pending.length > 0) await new Promise<void>((resolve) => (drained = resolve));
  } finally {
    notifications.close();
    sqs.destroy();
    sizes.close();
    s3.destroy();
    client.destroy();
    await policy.close();
  }
  return { makespan: systemClock.now() - started, failed, pages, detections };
}

const sleep = (ms: number) => systemClock.sleep(ms);
const errorName = (error: unknown) => (error as { name?: string })?.name ?? '';

/** Reads every page of a job, sleeping 5 s (scaled) on a throughput error, at most 5 times per page (AWS sample). */
async function readAll(client: RekognitionClient, jobId: string): Promise<{ pages: number; detections: number }> {
  let token: string | undefined;
  let pages = 0;
  let detections = 0;
  do {
    let tries = 0;
    for (;;) {
      try {
        const out = await client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: MAX_RESULTS, ...(token ? { NextToken: token } : {}) }));
        pages++;
        detections += out.Faces?.length ?? 0;
        token = out.NextToken;
        break;
      } catch (error) {
        if (errorName(error) !== 'ProvisionedThroughputExceededException' || ++tries > 5) throw error;
        await sleep(SLEEP_5S);
      }
    }
  } while (token);
  return { pages, detections };
}

/** Polls a job's status every 5 s (scaled) until it is no longer IN_PROGRESS. */
async function pollUntilDone(client: RekognitionClient, jobId: string): Promise<string> {
  for (;;) {
    try {
      const out = await client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: 1 }));
      if (out.JobStatus !== 'IN_PROGRESS') return out.JobStatus ?? 'UNKNOWN';
    } catch (error) {
      if (errorName(error) !== 'ProvisionedThroughputExceededException') throw error;
    }
    await sleep(SLEEP_5S);
  }
}

async function awsSample(emu: Emulator, list: readonly Video[]): Promise<Outcome> {
  const client = new RekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
  const started = systemClock.now();
  let failed = 0;
  let pages = 0;
  let detections = 0;
  const running: Promise<void>[] = [];
  try {
    for (const video of list) {
      let jobId: string | undefined;
      while (jobId === undefined) {
        try {
          const out = await client.send(
            new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: video.bucket, Name: video.name } }, ClientRequestToken: `cam${list.indexOf(video)}`, JobTag: `cam${list.indexOf(video)}` }),
          );
          jobId = out.JobId!;
        } catch (error) {
          if (errorName(error) !== 'LimitExceededException') throw error;
          await sleep(SLEEP_5S);
        }
      }
      const id = jobId;
      running.push(
        (async () => {
          const status = await pollUntilDone(client, id);
          if (status !== 'SUCCEEDED') throw new Error(status);
          const read = await readAll(client, id);
          pages += read.pages;
          detections += read.detections;
        })().catch(() => {
          failed++;
        }),
      );
    }
    await Promise.all(running);
  } finally {
    client.destroy();
  }
  return { makespan: systemClock.now() - started, failed, pages, detections };
}

async function naive(emu: Emulator, list: readonly Video[]): Promise<Outcome> {
  const client = new RekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
  const started = systemClock.now();
  let failed = 0;
  let pages = 0;
  let detections = 0;
  try {
    await Promise.all(
      list.map(async (video) => {
        try {
          const out = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: video.bucket, Name: video.name } } }));
          const status = await pollUntilDone(client, out.JobId!);
          if (status !== 'SUCCEEDED') throw new Error(status);
          const read = await readAll(client, out.JobId!);
          pages += read.pages;
          detections += read.detections;
        } catch {
          failed++;
        }
      }),
    );
  } finally {
    client.destroy();
  }
  return { makespan: systemClock.now() - started, failed, pages, detections };
}

const benchmark: Benchmark = {
  title: 'Batches',
  order: 70,
  async run({ quick, log }) {
    const count = quick ? 40 : 200;
    const list = benchVideos(count);
    const times = list.map((v) => v.minutes * MS_PER_VIDEO_MINUTE);
    // The sizes HeadObject reports (the emulator's model), for the size-order reference schedule.
    const sizes = list.map((v) => objectSize({ bucket: v.bucket, name: v.name }, SEED, BITRATE));
    const { jobBound, inputOrder, sizeOrder } = scheduleBounds({ times, slots: QUOTA, pages: 0, tps: TPS, sizes });
    const contenders: [string, (emu: Emulator, list: readonly Video[]) => Promise<Outcome>][] = [
      ['ours: faceDetectionBatch (SQS + polling fallback), largest first by HeadObject size, adaptive policy (default)', (emu, l) => ours(emu, l, false, true)],
      ['ours, the same in input order', (emu, l) => ours(emu, l, false, false)],
      [`ours, largest first, the policy given the quota (tps ${TPS}, burst ${TPS})`, (emu, l) => ours(emu, l, true, true)],
      ['AWS sample: submit until LimitExceeded, 5 s sleeps, polling', awsSample],
      ['naive Promise.all of Starts', naive],
    ];
    const rows: string[][] = [];
    let referencePages = 0;
    let bound = jobBound;
    for (const [name, run] of contenders.filter(([name]) => selected(name))) {
      log(`batch: ${name} (${count} videos)`);
      const recorder = startRecorder();
      const emu = await emulator(recorder);
      try {
        const outcome = await run(emu, list);
        const gaps = slotGaps(emu, recorder.starts, processingOf, QUOTA);
        const stats = emu.jobStats();
        const counters = emu.counters();
        if (referencePages === 0) {
          referencePages = outcome.pages;
          bound = scheduleBounds({ times, slots: QUOTA, pages: referencePages, tps: TPS }).bound;
        }
        const duplicates = stats.byObject.filter((o) => o.jobIds.length > 1).length;
        const byOp = counters.byOperation as Record<string, number>;
        const requests = Object.entries(byOp)
          .filter(([op]) => op === 'StartFaceDetection' || op === 'GetFaceDetection')
          .reduce((sum, [, n]) => sum + n, 0);
        const heads = byOp['HeadObject'] ?? 0;
        rows.push([
          name,
          `${fmt(outcome.makespan / 1000, 1)} s`,
          `${(outcome.makespan / bound).toFixed(2)}×`,
          `${outcome.failed}`,
          `${duplicates}`,
          `${(requests / count).toFixed(1)}`,
          `${(heads / count).toFixed(1)}`,
          `${((byOp['StartFaceDetection'] ?? 0) / count).toFixed(1)}`,
          `${fmt(stats.limitExceeded)}`,
          `${fmt(counters.throttled)}`,
          `${stats.peakInProgress.total}`,
          `${fmt(gaps.meanRefill)} / ${fmt(gaps.p90Refill)} ms`,
          `${fmt((outcome.makespan - gaps.jobSpan) / 1000, 1)} s`,
        ]);
        log(`batch: ${name}: ${(outcome.makespan / 1000).toFixed(1)} s, ${outcome.failed} failed, ${outcome.pages} pages`);
      } finally {
        await emu.close();
      }
    }
    return [
      `${count} videos of 1–60 min (seeded), job quota ${QUOTA}, processing ${MS_PER_VIDEO_MINUTE} ms per minute of video`,
      `(a 60-min video ≈ 30 min of real processing, scaled by 1/${Math.round(1 / SCALE)}; the AWS sample's 5 s sleeps scaled the same:`,
      `${SLEEP_5S} ms), GetFaceDetection TPS quota ${TPS} (burst ${TPS}), pages of ${MAX_RESULTS}. Synthetic content: ${'`preset=meeting`'}, one`,
      'second of video per nominal minute (to keep JSON parsing out of the measurement). Emulator in process, real',
      'time; each contender against a fresh emulator.',
      '',
      `For reference, zero-overhead greedy schedules: in input order (what a client that knows nothing of the`,
      `durations can do) ${fmt(inputOrder / 1000, 1)} s (${(inputOrder / bound).toFixed(2)}× the bound); in size order, largest first by the`,
      `HeadObject sizes (duration × a per-video bitrate, log-normal σ ${BITRATE.sigma}: size only approximates duration)`,
      `${fmt(sizeOrder / 1000, 1)} s (${(sizeOrder / bound).toFixed(2)}× the bound).`,
      '',
      `Lower bound: ${fmt(bound / 1000, 1)} s = max(job-quota bound ${fmt(jobBound / 1000, 1)} s (longest-first schedule on ${QUOTA} slots),`,
      `page bound ${fmt(referencePages / TPS, 1)} s (${fmt(referencePages)} pages / ${TPS} TPS)).`,
      '',
      table(
        [
          'contender',
          'makespan',
          'vs bound',
          'failed videos',
          'duplicate jobs',
          'requests / video',
          'HeadObject / video',
          'Starts / video',
          'LimitExceeded',
          'throttled',
          'peak jobs',
          'slot refill mean / p90',
          'after last job',
        ],
        rows,
      ),
      '',
      'Requests per video count StartFaceDetection and GetFaceDetection (pages and status polls); HeadObject (S3,',
      'the size lookups of the largest-first rows) separately; ours also sends SQS ReceiveMessage/DeleteMessage, not',
      'counted. Goal for ours: ≤ 1.10× the bound, 0 failed, 0 duplicate jobs.',
      'Slot refill: from a job\'s end in the emulator to the Start that took its slot (completion detection, the',
      'scheduler\'s reaction, a slot held while pages are read), mean and 90th percentile over the Starts after the first',
      `${QUOTA}. After last job: the makespan minus the emulator-side span from the first Start to the last job's end`,
      '(reading the last pages, and the first Start\'s delay).',
    ].join('\n');
  },
};

export default benchmark;

/**
 * Shared pieces of the throttled-account benchmark (benchmarks/throttled.bench.ts) and its cluster worker
 * (benchmarks/lib/clusterWorker.ts): the emulator setup, the stream runners of each contender and the result
 * shape.
 */
import {
  GetFaceDetectionCommand,
  RekognitionClient,
  type RekognitionClientConfig,
  StartFaceDetectionCommand,
} from '@aws-sdk/client-rekognition';
import pRetry from 'p-retry';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createRekognitionClient, createRequestPolicy, faceDetections, type RequestPolicyOptions, ServiceError } from '../../src/index.js';
import { classifyError } from '../../src/resilience/classifyError.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Base client config pointing at the emulator. */
export function clientConfig(endpoint: string): RekognitionClientConfig {
  return {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' },
  };
}

/** One job to stream. */
export interface BenchJob {
  readonly jobId: string;
  readonly expected: number;
}

/** A throttled emulator with `streams` finished jobs of `pages` pages each. */
export interface ThrottledSetup {
  readonly emu: Emulator;
  readonly jobs: readonly BenchJob[];
  readonly maxResults: number;
  /** Pages of all jobs together (each video differs slightly in length). */
  readonly totalPages: number;
}

/** What a throttled emulator does beside its quota. */
export interface ThrottledFaults {
  /**
   * Fraction of the GetFaceDetection requests that pass the quota throttled at random, half as
   * `ThrottlingException`, half as `ProvisionedThroughputExceededException` (load shedding). @default 0
   */
  readonly sporadic?: number;
  /** Seed of the random faults (the videos are the same whatever the seed). @default 7 */
  readonly faultSeed?: number;
  /**
   * Every GetFaceDetection answer that passes the quota and the random throttles comes after this much time, ms
   * (the service's own time per request; throttles are answered at once, at the door). @default 0
   */
  readonly serviceTimeMs?: number;
}

/** Starts an emulator with a GetFaceDetection quota of `tps` (burst `burst`) and `streams` jobs of `pages` pages. */
export async function throttledSetup(
  tps: number,
  burst: number,
  streams: number,
  pages: number,
  { sporadic = 0, faultSeed = 7, serviceTimeMs = 0 }: ThrottledFaults = {},
): Promise<ThrottledSetup> {
  // P(throttle) = h + (1 − h)·q = sporadic with h = sporadic / 2 and q = h / (1 − h).
  const half = sporadic / 2;
  const random = {
    ...(sporadic > 0 ? { throttle: half, provisioned: half / (1 - half) } : {}),
    ...(serviceTimeMs > 0 ? { latency: 1, latencyMs: serviceTimeMs } : {}),
  };
  const emu = await startEmulator({
    seed: 7,
    processingTimeMs: 0,
    faults: {
      seed: faultSeed,
      tps: { GetFaceDetection: { rate: tps, burst } },
      ...(Object.keys(random).length > 0 ? { random: { ...random, operations: ['GetFaceDetection' as const] } } : {}),
    },
  });
  const client = new RekognitionClient({ ...clientConfig(emu.endpoint), maxAttempts: 1 });
  const jobs: BenchJob[] = [];
  for (let i = 0; i < streams; i++) {
    const { JobId } = await client.send(
      new StartFaceDetectionCommand({
        Video: { S3Object: { Bucket: 'bench', Name: `preset=meeting,duration=90s/stream-${i}.mp4` } },
      }),
    );
    jobs.push({ jobId: JobId!, expected: emu.video(JobId!).detectionCount() });
  }
  client.destroy();
  const mean = jobs.reduce((sum, job) => sum + job.expected, 0) / jobs.length;
  const maxResults = Math.ceil(mean / pages);
  const totalPages = jobs.reduce((sum, job) => sum + Math.ceil(job.expected / maxResults), 0);
  return { emu, jobs, maxResults, totalPages };
}

/** What one contender achieved on one job. */
export interface StreamOutcome {
  readonly received: number;
  readonly failed: boolean;
  readonly error?: string;
}

/** Streams a job with the library (`faceDetections`) through `policy`. */
export async function streamWithLibrary(
  client: RekognitionClient,
  job: BenchJob,
  maxResults: number,
  policy: ReturnType<typeof createRequestPolicy>,
  signal?: AbortSignal,
): Promise<StreamOutcome> {
  let received = 0;
  try {
    for await (const _ of faceDetections({ client, jobId: job.jobId, maxResults, policy, ...(signal ? { signal } : {}) })) received++;
    return { received, failed: false };
  } catch (error) {
    return { received, failed: true, error: (error as Error).message };
  }
}

/** Paginates a job naively with the SDK (one `send` per page, SDK retries only). */
export async function paginateNaively(
  client: RekognitionClient,
  job: BenchJob,
  maxResults: number,
  send: (command: GetFaceDetectionCommand) => Promise<{ Faces?: unknown[]; NextToken?: string }> = (c) => client.send(c),
  signal?: AbortSignal,
): Promise<StreamOutcome> {
  let received = 0;
  let token: string | undefined;
  try {
    do {
      signal?.throwIfAborted();
      const page = await send(new GetFaceDetectionCommand({ JobId: job.jobId, MaxResults: maxResults, NextToken: token }));
      received += page.Faces?.length ?? 0;
      token = page.NextToken;
    } while (token);
    return { received, failed: false };
  } catch (error) {
    return { received, failed: true, error: (error as Error).name };
  }
}

/** Contenders of the benchmark. */
export type Contender = 'ours-tps' | 'ours-adaptive' | 'sdk-standard' | 'sdk-adaptive' | 'p-retry';

/** Runs `contender` over every job concurrently (one stream per job); returns the outcomes. */
export async function runContender(
  contender: Contender,
  endpoint: string,
  jobs: readonly BenchJob[],
  maxResults: number,
  policyOptions: RequestPolicyOptions,
  signal?: AbortSignal,
): Promise<{ outcomes: StreamOutcome[]; ourThrottles?: number }> {
  const config = clientConfig(endpoint);
  if (contender === 'ours-tps' || contender === 'ours-adaptive') {
    const client = createRekognitionClient(config);
    const policy = createRequestPolicy(policyOptions);
    const outcomes = await Promise.all(jobs.map((job) => streamWithLibrary(client, job, maxResults, policy, signal)));
    const ourThrottles = policy.stats.throttled;
    await policy.close();
    client.destroy();
    return { outcomes, ourThrottles };
  }
  if (contender === 'sdk-standard' || contender === 'sdk-adaptive') {
    const client = new RekognitionClient({ ...config, ...(contender === 'sdk-adaptive' ? { retryMode: 'adaptive' } : {}) });
    const send = (command: GetFaceDetectionCommand) => client.send(command, signal ? { abortSignal: signal } : {});
    const outcomes = await Promise.all(jobs.map((job) => paginateNaively(client, job, maxResults, send, signal)));
    client.destroy();
    return { outcomes };
  }
  // p-retry alone: its defaults (10 retries, 1 s doubling) with jitter, retrying what is retryable; no limiter.
  const client = new RekognitionClient({ ...config, maxAttempts: 1 });
  const send = (command: GetFaceDetectionCommand) =>
    pRetry(() => client.send(command), {
      randomize: true,
      shouldRetry: ({ error }) => {
        const classified = classifyError(error, 'GetFaceDetection');
        return classified instanceof ServiceError && classified.retryable;
      },
    });
  const outcomes = await Promise.all(jobs.map((job) => paginateNaively(client, job, maxResults, send)));
  client.destroy();
  return { outcomes };
}

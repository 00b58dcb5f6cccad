/**
 * The emulator serving a 1M-detection job in pages of 1000 to a plain HTTP client (keep-alive, no JSON
 * parsing but the last page), the emulator in its own process (`face-stream emulator`): detections/s and the
 * emulator's peak RSS at 10k, 100k and 1M detections. Baselines from the same run: the naive in-process cost
 * of building and `JSON.stringify`-ing the same detections, and the real SDK's `paginateGetFaceDetection`
 * reading the same job (a client; the emulator must never be its bottleneck).
 */
import { paginateGetFaceDetection, RekognitionClient, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/core/Clock.js';
import { getFaceDetection } from '../src/emulator/handlers/getFaceDetection.js';
import { syntheticVideo } from '../src/emulator/index.js';
import { JobStore } from '../src/emulator/jobs/JobStore.js';
import type { NumberFormat } from '../src/emulator/synthetic/decimal.js';
import { toFaceDetection } from '../src/emulator/synthetic/faceDetail.js';
import { PaginationTokens } from '../src/emulator/tokens/PaginationTokens.js';
import { fmt, median, mib, ratio, table } from './lib/stats.js';
import type { Benchmark } from './lib/types.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OBJECT = 'bench/preset=meeting,people=12,duration=6h.mp4';
const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/rekognition/aws4_request, SignedHeaders=host, Signature=' +
  '0'.repeat(64);

interface Server {
  readonly endpoint: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--seed', '7', '--processing-time', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    endpoint,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak resident set of a process (Linux `VmHWM`), bytes. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Sends one signed-looking awsJson1_1 request on `agent`. */
function send(agent: Agent, url: URL, target: string, body: string, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const req = request(
    {
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/',
      agent,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `RekognitionService.${target}`,
        authorization: AUTH,
        'content-length': Buffer.byteLength(body),
      },
    },
    onResponse,
  );
  req.end(body);
  return req;
}

function post(agent: Agent, url: URL, target: string, body: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    send(agent, url, target, body, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** Reads `limit` detections (pages of 1000) with a plain HTTP client; returns detections and seconds. */
async function readPlain(endpoint: string, jobId: string, limit: number): Promise<{ detections: number; seconds: number; bytes: number }> {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let token: string | undefined;
  let detections = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  try {
    do {
      const body = await post(agent, url, 'GetFaceDetection', JSON.stringify({ JobId: jobId, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
      bytes += body.length;
      // NextToken sits right after VideoMetadata, near the start of the body.
      token = /"NextToken":"([^"]+)"/.exec(body.subarray(0, 512).toString('latin1'))?.[1];
      detections += token ? 1000 : (JSON.parse(body.toString('utf8')) as { Faces: unknown[] }).Faces.length;
    } while (token && detections < limit);
  } finally {
    agent.destroy();
  }
  return { detections, seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes };
}

async function startJob(endpoint: string, name = OBJECT): Promise<string> {
  const client = new RekognitionClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  try {
    const out = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bench-videos', Name: name } } }));
    return out.JobId!;
  } finally {
    client.destroy();
  }
}

/** The real SDK's paginator reading `limit` detections: a client-side baseline. */
async function readSdk(endpoint: string, jobId: string, limit: number): Promise<number> {
  const client = new RekognitionClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  let n = 0;
  const started = process.hrtime.bigint();
  try {
    for await (const page of paginateGetFaceDetection({ client, pageSize: 1000 }, { JobId: jobId })) {
      n += page.Faces?.length ?? 0;
      if (n >= limit) break;
    }
  } finally {
    client.destroy();
  }
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** The emulator's page building alone (no HTTP): the same handler, pieces consumed in process. */
function handlerOnly(limit: number, faceAttributes: 'DEFAULT' | 'ALL' = 'DEFAULT', numbers: NumberFormat = 'float32'): number {
  const clock = systemClock;
  const jobs = new JobStore({
    seed: 7,
    clock,
    processingTimeMs: 0,
    retentionMs: 86_400_000,
    maxConcurrentJobs: 20,
    maxVideoDurationMs: 6 * 3_600_000,
    maxRetainedJobs: 10,
    numbers,
  });
  const context = { jobs, tokens: new PaginationTokens(86_400_000), clock };
  const job = jobs.start({
    s3Object: { Bucket: 'bench-videos', Name: OBJECT },
    faceAttributes,
    jobTag: undefined,
    clientRequestToken: undefined,
    notificationChannel: undefined,
  });
  let token: string | undefined;
  let n = 0;
  const started = process.hrtime.bigint();
  do {
    const page = getFaceDetection({ JobId: job.jobId, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }, context);
    let first: Buffer | undefined;
    for (const piece of page.body as Iterable<Buffer>) first ??= piece;
    n += page.detections;
    token = /"NextToken":"([^"]+)"/.exec(first!.subarray(0, 512).toString('latin1'))?.[1];
  } while (token && n < limit);
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Naive in-process baseline: generate the same detections as objects and JSON.stringify them. */
function naive(limit: number): number {
  const video = syntheticVideo({ seed: 1, preset: 'meeting', people: 12, durationMs: 6 * 3_600_000 });
  const started = process.hrtime.bigint();
  let n = 0;
  let bytes = 0;
  for (const face of video.rawDetections()) {
    bytes += JSON.stringify(toFaceDetection(face, 'DEFAULT')).length;
    if (++n >= limit) break;
  }
  if (bytes === 0) throw new Error('nothing serialised');
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

const benchmark: Benchmark = {
  title: 'Emulator: serving a 1M-detection job',
  order: 5,
  async run({ quick, log }) {
    const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    const reps = quick ? 1 : 3;
    const rows: string[][] = [];
    const naiveRate = median(Array.from({ length: reps }, () => naive(100_000)));
    log(`naive in-process JSON.stringify baseline: ${fmt(naiveRate)} detections/s`);
    handlerOnly(50_000); // warm-up
    const handlerRate = median(Array.from({ length: reps }, () => handlerOnly(200_000)));
    log(`page building alone (no HTTP): ${fmt(handlerRate)} detections/s`);
    handlerOnly(50_000, 'DEFAULT', 'rounded'); // warm-up
    const roundedRate = median(Array.from({ length: reps }, () => handlerOnly(200_000, 'DEFAULT', 'rounded')));
    log(`page building alone, rounded numbers: ${fmt(roundedRate)} detections/s`);
    handlerOnly(5_000, 'ALL'); // warm-up
    const allRate = median(Array.from({ length: reps }, () => handlerOnly(quick ? 20_000 : 50_000, 'ALL')));
    log(`page building alone, FaceAttributes ALL: ${fmt(allRate)} detections/s`);
    // The SDK baseline: its paginator reading the same job from a fresh emulator (after a warm-up read).
    let sdkRate: number;
    {
      const server = await startServer();
      try {
        const jobId = await startJob(server.endpoint);
        await readSdk(server.endpoint, jobId, 10_000);
        sdkRate = await readSdk(server.endpoint, jobId, 100_000);
        log(`SDK paginator: ${fmt(sdkRate)} detections/s`);
      } finally {
        await server.stop();
      }
    }
    for (const size of sizes) {
      const rates: number[] = [];
      const rss: number[] = [];
      let bytes = 0;
      for (let r = 0; r < reps; r++) {
        const server = await startServer();
        try {
          // Warm the emulator's JIT on another object first: the figures are steady-state serving rates.
          await readPlain(server.endpoint, await startJob(server.endpoint, 'warmup/preset=meeting,people=12,duration=1h'), 30_000);
          const jobId = await startJob(server.endpoint);
          const result = await readPlain(server.endpoint, jobId, size);
          rates.push(result.detections / result.seconds);
          bytes = result.bytes;
          rss.push(peakRss(server.child.pid!));
          log(`${fmt(size)} detections: ${fmt(result.detections / result.seconds)}/s, peak RSS ${mib(rss[rss.length - 1]!)}`);
        } finally {
          await server.stop();
        }
      }
      const rate = median(rates);
      rows.push([fmt(size), fmt(rate), ratio(rate, naiveRate), ratio(rate, sdkRate), mib(median(rss)), `${fmt(bytes / size)} B`]);
    }
    return [
      `Job \`${OBJECT}\` (DEFAULT attributes, ≈1.1M detections, numbers as AWS prints them: float32 widened to`,
      'double, the emulator\'s default), read in pages of 1000 by a plain keep-alive HTTP',
      'client (no JSON parsing except the last page); the emulator runs alone in a child process',
      '(`face-stream emulator`), warmed up on 30k detections of another job. Peak RSS is the emulator process\'s',
      `\`VmHWM\`, which includes Node, tsx and the warm-up. Median of ${reps} run(s) per size, each against a fresh`,
      'emulator process. Client and emulator share the 2 cores.',
      '',
      table(
        [
          'detections read',
          'detections/s',
          'vs naive JSON.stringify (in process)',
          'vs the SDK paginator reading 100k',
          'emulator peak RSS',
          'bytes/detection',
        ],
        rows,
      ),
      '',
      'The client sends one request at a time, the next when the previous page has fully arrived (as the SDK',
      'paginator does); the emulator prepares the next page while the client receives the current one.',
      '',
      `The emulator's page building alone (the same handler, no HTTP, in process): ${fmt(handlerRate)} detections/s`,
      `(${ratio(handlerRate, naiveRate)} the naive baseline); with \`FaceAttributes: ALL\` (≈3.3 kB per detection,`,
      `full FaceDetail objects): ${fmt(allRate)} detections/s (${ratio(allRate, naiveRate)}); DEFAULT with`,
      `\`numbers: 'rounded'\` (≈500 bytes per detection instead of ≈690): ${fmt(roundedRate)} detections/s.`,
      '',
      `Baselines measured in this run: building the same detections as objects and \`JSON.stringify\`-ing them in`,
      `process: ${fmt(naiveRate)} detections/s; the real SDK's \`paginateGetFaceDetection\` reading 100k detections from`,
      `the emulator: ${fmt(sdkRate)} detections/s — the emulator serves several times faster than the SDK can`,
      'consume, so it is never the bottleneck of a client benchmark.',
    ].join('\n');
  },
};

export default benchmark;

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
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { syntheticVideo } from '../src/emulator/index.js';
import { toFaceDetection } from '../src/emulator/synthetic/faceDetail.js';
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

function post(agent: Agent, url: URL, target: string, body: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
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
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
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

async function startJob(endpoint: string): Promise<string> {
  const client = new RekognitionClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  try {
    const out = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bench-videos', Name: OBJECT } } }));
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
    let sdkRate = NaN;
    for (const size of sizes) {
      const rates: number[] = [];
      const rss: number[] = [];
      let bytes = 0;
      for (let r = 0; r < reps; r++) {
        const server = await startServer();
        try {
          const jobId = await startJob(server.endpoint);
          const result = await readPlain(server.endpoint, jobId, size);
          rates.push(result.detections / result.seconds);
          bytes = result.bytes;
          rss.push(peakRss(server.child.pid!));
          if (size === 100_000 && r === 0) sdkRate = await readSdk(server.endpoint, jobId, 100_000);
          log(`${fmt(size)} detections: ${fmt(result.detections / result.seconds)}/s, peak RSS ${mib(rss[rss.length - 1]!)}`);
        } finally {
          await server.stop();
        }
      }
      const rate = median(rates);
      rows.push([fmt(size), fmt(rate), ratio(rate, naiveRate), mib(median(rss)), `${fmt(bytes / size)} B`]);
    }
    return [
      `Job \`${OBJECT}\` (DEFAULT attributes, ≈1.1M detections), read in pages of 1000 by a plain keep-alive HTTP`,
      'client (no JSON parsing except the last page); the emulator runs alone in a child process',
      '(`face-stream emulator`). Peak RSS is the emulator process\'s `VmHWM`, which includes Node and tsx.',
      `Median of ${reps} run(s) per size, each against a fresh emulator process.`,
      '',
      table(['detections read', 'detections/s', 'vs naive JSON.stringify (in-process)', 'emulator peak RSS', 'bytes/detection'], rows),
      '',
      `Baselines measured in this run: building the same detections as objects and \`JSON.stringify\`-ing them in`,
      `process: ${fmt(naiveRate)} detections/s; the real SDK's \`paginateGetFaceDetection\` reading 100k detections from`,
      `the emulator: ${fmt(sdkRate)} detections/s — the emulator serves ${ratio(median(rows.map((r) => Number(r[1]!.replace(/,/g, '')))), sdkRate)} faster`,
      'than the SDK can consume, so it is never the bottleneck of a client benchmark.',
    ].join('\n');
  },
};

export default benchmark;

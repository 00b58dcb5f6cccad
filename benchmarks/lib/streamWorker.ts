/**
 * One client-side benchmark run, in a fresh process (`node --expose-gc --import tsx streamWorker.ts '<json>'`),
 * against an emulator running in another process. Prints one JSON line of {@link WorkerResult}.
 *
 * Variants:
 * - `sdk`: the SDK's `paginateGetFaceDetection` loop (the baseline);
 * - `stream`: `faceDetections` with a plain SDK client and the default request policy, consumed with `for await`;
 * - `stream-rx`: the same stream consumed as an Observable (`subscribe`: items of a page emitted synchronously);
 * - `stream-direct`: the same with `directPolicy` (no retry/limiter layer: the page source's own overhead);
 * - `stream-fast`: the same with the fast `GetFaceDetection` parser;
 * - `sdk-fast`: the SDK's paginator loop on a client with the fast parser installed: what the SDK's request path
 *   (middleware, signing, HTTP handler) costs on its own, with no stream or retry layer of ours;
 * - `raw`: a raw HTTP + `JSON.parse` client (keep-alive, no signing: a lower bound);
 * - `stream-slow` / `stream-slow-direct` / `collect-slow`: a slow consumer (1 ms pause per 50 detections) fed by
 *   `faceDetections` (default policy / `directPolicy`), or by collecting every page with the SDK paginator first
 *   (the collect-all baseline), for the memory figures.
 */
import http from 'node:http';
import { join } from 'node:path';
import v8 from 'node:v8';
import { paginateGetFaceDetection, RekognitionClient } from '@aws-sdk/client-rekognition';
import { lastValueFrom, type Observable, take } from 'rxjs';
import type { FaceDetection } from '@aws-sdk/client-rekognition';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { withFastGetFaceDetection } from '../../src/source/fastGetFaceDetection/withFastGetFaceDetection.js';
import { BENCH_CREDENTIALS } from './emulatorProcess.js';

/** What a worker is asked to do. */
export interface WorkerTask {
  readonly variant: 'sdk' | 'stream' | 'stream-rx' | 'stream-direct' | 'stream-fast' | 'sdk-fast' | 'raw' | 'stream-slow' | 'stream-slow-direct' | 'collect-slow';
  readonly endpoint: string;
  readonly jobId: string;
  /** CPU the consumer spends on every detection, µs (a busy loop: synchronous work, as a real consumer's). @default 0 */
  readonly workUs?: number;
  /** Slow consumers: pause 1 ms after every this many detections. @default 50 (slower than the source) */
  readonly pauseEvery?: number;
  /** Slow consumers: force a GC and read the live heap every this many pauses. */
  readonly liveSampleEvery?: number;
  /**
   * Also write a heap snapshot at the baseline and at every live sample, into this directory (for the parent to
   * analyse). Slows the run and raises its RSS: use a separate run from the one whose times and RSS are reported.
   */
  readonly snapshotDir?: string;
}

/** What a worker reports. */
export interface WorkerResult {
  readonly count: number;
  /** Wall time from the first request to the last detection consumed, ms. */
  readonly wallMs: number;
  /** CPU time (user + system) over the same span, ms. */
  readonly cpuMs: number;
  /** Process peak RSS (bytes). */
  readonly peakRss: number;
  /** Peak `heapUsed` above the baseline after GC, sampled every 2 ms; includes garbage not yet collected (bytes). */
  readonly peakHeap: number;
  /** Peak live heap: `heapUsed` above the baseline right after a forced GC, at evenly spaced pauses (bytes). */
  readonly peakLiveHeap: number;
  /** Heap snapshots written (baseline first, then one per live sample) when the task gave `snapshotDir`. */
  readonly snapshots: readonly string[];
  /** Time to the first detection, ms. */
  readonly firstMs: number;
  /** A checksum of timestamps (same job → same value for every variant). */
  readonly checksum: number;
}

const task = JSON.parse(process.argv[2]!) as WorkerTask;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function client(fast: boolean): RekognitionClient {
  const c = new RekognitionClient({
    region: 'us-east-1',
    endpoint: task.endpoint,
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 1,
    // Writing a heap snapshot can stop this process for longer than the emulator keeps an idle connection
    // (5 s): the next request would go out on a socket the server has closed (ECONNRESET, not retried by
    // `directPolicy`). The memory runs open a connection per request instead; their figures are heap sizes.
    ...(task.snapshotDir ? { requestHandler: { httpAgent: new http.Agent({ keepAlive: false }) } } : {}),
  });
  return fast ? withFastGetFaceDetection(c) : c;
}

async function* sdkPages(c: RekognitionClient): AsyncIterable<readonly FaceDetection[]> {
  for await (const page of paginateGetFaceDetection({ client: c }, { JobId: task.jobId, MaxResults: 1000 })) yield page.Faces ?? [];
}

async function* rawPages(): AsyncIterable<readonly FaceDetection[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(task.endpoint);
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/rekognition/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64);
  let token: string | undefined;
  do {
    const body = JSON.stringify({ JobId: task.jobId, MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: '/',
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'RekognitionService.GetFaceDetection',
            'content-length': Buffer.byteLength(body),
            'x-amz-date': '20260101T000000Z',
            authorization,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`HTTP ${res.statusCode}`))));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const page = JSON.parse(text) as { Faces?: FaceDetection[]; NextToken?: string };
    token = page.NextToken;
    yield page.Faces ?? [];
  } while (token);
  agent.destroy();
}

async function* collectAll(c: RekognitionClient): AsyncIterable<readonly FaceDetection[]> {
  const all: FaceDetection[] = [];
  for await (const faces of sdkPages(c)) all.push(...faces);
  for (let i = 0; i < all.length; i += 1000) yield all.slice(i, i + 1000);
}

/** Opens a fresh source of the task's variant: pages (SDK, raw, collect-all) or items (our stream). */
function opener(c: RekognitionClient | undefined): () => {
  pages?: AsyncIterable<readonly FaceDetection[]>;
  items?: AsyncIterable<FaceDetection>;
  rx?: Observable<FaceDetection>;
} {
  switch (task.variant) {
    case 'stream-rx':
      return () => ({ rx: faceDetections({ client: c!, jobId: task.jobId }) });
    case 'sdk':
    case 'sdk-fast':
      return () => ({ pages: sdkPages(c!) });
    case 'collect-slow':
      return () => ({ pages: collectAll(c!) });
    case 'raw':
      return () => ({ pages: rawPages() });
    case 'stream-direct':
    case 'stream-slow-direct':
      return () => ({ items: faceDetections({ client: c!, jobId: task.jobId, policy: directPolicy }) });
    case 'stream':
    case 'stream-slow':
    case 'stream-fast':
      return () => ({ items: faceDetections({ client: c!, jobId: task.jobId }) });
  }
}

/** JIT and connection warm-up: the first 10,000 detections (or the whole job, if smaller) through the same path. */
async function warmUp(open: ReturnType<typeof opener>): Promise<void> {
  let n = 0;
  const { pages, items, rx } = open();
  if (rx) {
    await lastValueFrom(rx.pipe(take(10_000)), { defaultValue: undefined });
  } else if (items) {
    for await (const _ of items) if (++n >= 10_000) break;
  } else {
    for await (const faces of pages!) if ((n += faces.length) >= 10_000) break;
  }
}

async function main(): Promise<void> {
  const c = task.variant === 'raw' ? undefined : client(task.variant === 'stream-fast' || task.variant === 'sdk-fast');
  const open = opener(c);
  // (collect-all warms up through the plain paginator: collecting a whole 1M job twice would measure nothing new)
  await warmUp(task.variant === 'collect-slow' ? () => ({ pages: sdkPages(c!) }) : open);
  const { pages, items, rx } = open();
  const slow = task.variant.includes('-slow');
  gc();
  gc();
  const heapBase = process.memoryUsage().heapUsed;
  const snapshots: string[] = [];
  const snapshot = () => {
    if (task.snapshotDir) snapshots.push(v8.writeHeapSnapshot(join(task.snapshotDir, `${snapshots.length}.heapsnapshot`)));
  };
  snapshot();
  let peakHeap = 0;
  const sample = () => {
    const h = process.memoryUsage().heapUsed - heapBase;
    if (h > peakHeap) peakHeap = h;
  };
  const sampler = slow ? setInterval(sample, 2) : undefined;
  let pauses = 0;
  let peakLiveHeap = 0;
  const liveEvery = task.liveSampleEvery ?? 0;
  const pause = () => {
    sample();
    if (liveEvery > 0 && ++pauses % liveEvery === 0) {
      gc();
      peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed - heapBase);
      snapshot();
    }
    return new Promise((r) => setTimeout(r, 1));
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let count = 0;
  let checksum = 0;
  let firstMs = -1;
  const pauseEvery = task.pauseEvery ?? 50;
  /** The consumer: returns true when a slow consumer pauses. */
  const workMs = (task.workUs ?? 0) / 1000;
  const consume = (d: FaceDetection): boolean => {
    if (count === 0) firstMs = performance.now() - t0;
    checksum = (checksum + (d.Timestamp ?? 0) * 31 + count) % 1_000_000_007;
    if (workMs > 0) for (const end = performance.now() + workMs; performance.now() < end; );
    return ++count % pauseEvery === 0 && slow;
  };
  if (rx) {
    await new Promise<void>((resolve, reject) => rx.subscribe({ next: consume, error: reject, complete: resolve }));
  } else if (items) {
    for await (const d of items) if (consume(d)) await pause();
  } else {
    for await (const faces of pages!) for (const d of faces) if (consume(d)) await pause();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (sampler) clearInterval(sampler);
  sample();
  c?.destroy();
  const result: WorkerResult = {
    count,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRss: process.resourceUsage().maxRSS * 1024,
    peakHeap,
    peakLiveHeap,
    firstMs,
    snapshots,
    checksum,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();

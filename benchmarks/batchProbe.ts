/**
 * Development aid (not a RESULTS.md section): where a "Batches" run of ours loses time against the bound.
 * `npx tsx benchmarks/batchProbe.ts [size|input] [adaptive|tps] [videos]` (RATES=1 also prints the policy's
 * throttle and rate events with their times). Same list, emulator and reading as benchmarks/batch.bench.ts; it
 * splits each slot refill into end → SNS/SQS published → ReceiveMessage answered → our `succeeded` event → the
 * next Start, and the makespan into the first Start's delay, the job span and the reading tail after the last
 * job; with the reading rate per 5 s window, the readers' backlog and the event loop's lag. It wraps the SQS
 * client in a pass-through that timestamps answers (measurement only).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '../src/core/Clock.js';
import { startEmulator } from '../src/emulator/index.js';
import { faceDetectionBatch, type BatchSucceededEvent } from '../src/jobs/faceDetectionBatch.js';
import { sqsJobNotifications } from '../src/jobs/sqsJobNotifications.js';
import { s3ObjectSizes } from '../src/jobs/videoSizes.js';
import { createRequestPolicy } from '../src/resilience/createRequestPolicy.js';
import { createRekognitionClient } from '../src/source/createRekognitionClient.js';
import { benchVideos } from './lib/schedule.js';
import { parseJobNotification } from '../src/jobs/parseJobNotification.js';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const [orderArg = 'size', policyArg = 'adaptive', countArg = '200'] = process.argv.slice(2);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionBench';
const CHANNEL = { snsTopicArn: TOPIC, roleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS' };
const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };
const starts = new Map<string, number>();
const emu = await startEmulator({
  seed: 5, maxConcurrentJobs: 20, requestLogSize: 10,
  processingTimeMs: (v) => (v.durationMs / 1000) * 200,
  faults: { tps: { GetFaceDetection: { rate: 25, burst: 25 } } },
  onRequest: (e) => { if (e.operation === 'StartFaceDetection' && e.status === 200 && e.jobId && !starts.has(e.jobId)) starts.set(e.jobId, e.time); },
});
emu.subscribe(TOPIC, 'bench');
const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, fastPath: true });
const rawSqs = new SQSClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
const received = new Map<string, number>();
let receives = 0, batchSizes: number[] = [], deleteMs: number[] = [];
const sqs = { send: async (command: any, options?: any) => {
  const sent = systemClock.now();
  const out: any = await rawSqs.send(command, options);
  if (command instanceof ReceiveMessageCommand) { receives++; batchSizes.push(out.Messages?.length ?? 0); for (const m of (out.Messages ?? []) as { Body?: string }[]) { const n = parseJobNotification(m.Body); if (n && !received.has(n.jobId)) received.set(n.jobId, systemClock.now()); } }
  else deleteMs.push(systemClock.now() - sent);
  return out;
} };
const rateLog: string[] = [];
let tStart = 0;
// Pages read per second (GetFaceDetection answered with faces), to see the reading rate over time.
const policy = createRequestPolicy({
  ...(policyArg === 'tps' ? { tps: 25, burst: 25 } : {}),
  onThrottle: (e) => rateLog.push(`${((systemClock.now() - tStart) / 1000).toFixed(1)}s throttle ${e.operation} rate→${Number.isFinite(e.rate) ? e.rate.toFixed(1) : '∞'} (${(e as { cause?: string }).cause ?? ''})`),
  onRateChange: (e) => rateLog.push(`${((systemClock.now() - tStart) / 1000).toFixed(1)}s rate ${e.operation} ${Number.isFinite(e.rate) ? e.rate.toFixed(1) : '∞'}`),
});
const notifications = sqsJobNotifications({ sqs, queueUrl: emu.queueUrl('bench') });
const s3 = new S3Client({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true });
const sizes = s3ObjectSizes({ client: s3 });
const list = benchVideos(Number(countArg));
const succeededAt = new Map<string, number>();
const startedEvent = new Map<string, number>();
const pageTimes: number[] = []; const backlog: number[] = [];
const pending: BatchSucceededEvent[] = []; let readers = 0; let drained: (() => void) | undefined;
const pump = () => { while (readers < 8 && pending.length) { readers++; const e = pending.shift()!; void (async () => { for await (const _ of e.pages({ maxResults: 100 })) pageTimes.push(systemClock.now()); })().finally(() => { readers--; pump(); if (!readers && !pending.length) drained?.(); }); } };
// event-loop lag probe
const lags: number[] = []; let probing = true;
(async () => { while (probing) { const t = performance.now(); await new Promise((r) => setTimeout(r, 20)); lags.push(performance.now() - t - 20); } })();
const t0 = systemClock.now(); tStart = t0;
for await (const ev of faceDetectionBatch(list.map((v) => v.uri), { client, policy, notifications, notificationChannel: CHANNEL, maxConcurrentJobs: 20, poll: { minDelay: 2000, maxDelay: 10_000 }, order: orderArg === 'size' ? { largestFirst: sizes } : 'input' })) {
  if (ev.type === 'started') startedEvent.set(ev.jobId, systemClock.now());
  if (ev.type === 'succeeded') { succeededAt.set(ev.jobId, systemClock.now()); pending.push(ev); pump(); backlog.push(pending.length); }
}
if (readers || pending.length) await new Promise<void>((r) => (drained = r));
const makespan = systemClock.now() - t0; probing = false;
const pub = new Map(emu.notifications().map((n) => [n.jobId, n.publishedAt]));
const jobs = emu.jobs().map((j) => ({ id: j.jobId, start: starts.get(j.jobId)!, end: j.readyAt })).sort((a, b) => a.start - b.start);
// Match each Start after the first 20 to the earliest-ended job still holding a slot (as slotGaps does).
const ends = jobs.slice(0, 20).map((j) => j); const parts: number[][] = [];
for (const job of jobs.slice(20)) {
  ends.sort((a, b) => a.end - b.end); const freed = ends.shift()!;
  const p = pub.get(freed.id)!, r = received.get(freed.id)!, s = succeededAt.get(freed.id)!;
  parts.push([p - freed.end, r - p, s - r, job.start - s, job.start - freed.end]);
  ends.push(job);
}
const mean = (i: number) => parts.reduce((a, x) => a + x[i]!, 0) / parts.length;
const p90 = (i: number) => parts.map((x) => x[i]!).sort((a, b) => a - b)[Math.floor(parts.length * 0.9)]!;
const fmt = (i: number) => `${mean(i).toFixed(0)} / ${p90(i).toFixed(0)}`;
lags.sort((a, b) => a - b);
console.log(`${orderArg} ${policyArg} n=${countArg}: makespan ${(makespan / 1000).toFixed(1)} s; first Start after ${(jobs[0]!.start - t0).toFixed(0)} ms; last job end → done ${(makespan - (Math.max(...jobs.map((j) => j.end)) - t0)).toFixed(0)} ms`);
console.log(`refill mean / p90 ms: end→published ${fmt(0)}; published→received ${fmt(1)}; received→succeeded event ${fmt(2)}; succeeded→next Start ${fmt(3)}; total ${fmt(4)}`);
console.log(`receives ${receives}, messages per receive mean ${(batchSizes.reduce((a, b) => a + b, 0) / batchSizes.length).toFixed(2)} max ${Math.max(...batchSizes)}; DeleteMessage mean ${(deleteMs.reduce((a, b) => a + b, 0) / deleteMs.length).toFixed(1)} ms; event-loop lag p50 ${lags[Math.floor(lags.length / 2)]!.toFixed(1)} p90 ${lags[Math.floor(lags.length * 0.9)]!.toFixed(1)} p99 ${lags[Math.floor(lags.length * 0.99)]!.toFixed(1)} ms; throttled ${emu.counters().throttled}; polls ${emu.counters().byOperation['GetFaceDetection']}`);
if (process.env.RATES) console.log(rateLog.join('\n'));
const per5 = new Array(Math.ceil(makespan / 5000)).fill(0); for (const t of pageTimes) per5[Math.floor((t - t0) / 5000)]++;
console.log(`pages per s, by 5 s window: ${per5.map((n: number) => (n / 5).toFixed(0)).join(' ')}; videos waiting for a reader, max ${Math.max(...backlog)}`);
notifications.close(); rawSqs.destroy(); sizes.close(); s3.destroy(); client.destroy(); await policy.close(); await emu.close();

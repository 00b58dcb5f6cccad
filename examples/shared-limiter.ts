/**
 * Several streams of one account share one rate limit: a policy with a fixed TPS (the account's quota) and,
 * optionally, Redis so that other processes share it too. Throttling is retried with backoff and never reaches
 * the consumer.
 *
 * Run against the local emulator (no AWS account needed):
 *   npx tsx examples/shared-limiter.ts
 * With a Redis-backed limiter shared by every process that uses the same Redis and id:
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/shared-limiter.ts
 */
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { startEmulator } from 'rekognition-face-stream/emulator';
import { createRekognitionClient, createRequestPolicy, faceDetections } from 'rekognition-face-stream';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// An emulated account whose GetFaceDetection quota is 5 TPS (burst 5).
const emu = await startEmulator({ processingTimeMs: 0, faults: { tps: { GetFaceDetection: { rate: 5, burst: 5 } } } });
const client = createRekognitionClient({
  region: 'us-east-1',
  endpoint: emu.endpoint,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});

// One policy for every stream of this account + region. Leave out `tps` to let it adapt to the quota instead.
const policy = createRequestPolicy({
  tps: 5,
  burst: 5,
  ...(process.env.REDIS_URL ? { redis: { url: process.env.REDIS_URL, id: 'example' } } : {}),
  onThrottle: (e) => console.error(`throttled (${e.error.serviceCode}); rate now ${e.rate.toFixed(1)}/s`),
});

const jobIds: string[] = [];
for (const name of ['preset=meeting,duration=20s/a.mp4', 'preset=interview,duration=20s/b.mp4', 'preset=walkers,duration=20s/c.mp4']) {
  const { JobId } = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'example', Name: name } } }));
  jobIds.push(JobId!);
}

const started = performance.now();
const counts = await Promise.all(
  jobIds.map(async (jobId) => {
    let n = 0;
    for await (const _detection of faceDetections({ client, jobId, maxResults: 50, policy })) n++;
    return n;
  }),
);
const seconds = (performance.now() - started) / 1000;
const { attempts, throttled, retries } = policy.stats;
console.log(`detections per stream: ${counts.join(', ')}`);
console.log(`${attempts} requests in ${seconds.toFixed(1)} s (${(attempts / seconds).toFixed(1)}/s), ${throttled} throttled, ${retries} retried`);

await policy.close();
client.destroy();
await emu.close();

/**
 * Stream every face detection of a finished Rekognition Video job and print how many faces were seen in each
 * second of video, with the job metadata that came with the first page.
 *
 * With a real job (credentials and region from the standard AWS chain):
 *   npx tsx examples/basic.ts <JobId>
 * Without an AWS account (starts the local emulator and a synthetic job):
 *   npx tsx examples/basic.ts
 */
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { createRekognitionClient, faceDetections } from 'rekognition-face-stream';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let jobId = process.argv[2];
let stop = async (): Promise<void> => {};
let client = createRekognitionClient({ fastPath: true });
if (jobId === undefined) {
  const { startEmulator } = await import('rekognition-face-stream/emulator');
  const emu = await startEmulator({ processingTimeMs: 0 });
  client = createRekognitionClient({
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    fastPath: true,
  });
  const { JobId } = await client.send(
    new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'example', Name: 'preset=meeting,duration=30s.mp4' } } }),
  );
  jobId = JobId!;
  stop = () => emu.close();
}

// Lazy and backpressured: pages are requested as the loop consumes them (one request in flight at a time).
const detections = faceDetections({ client, jobId });
const perSecond = new Map<number, number>();
for await (const detection of detections) {
  const second = Math.floor((detection.Timestamp ?? 0) / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
}

const video = detections.job?.VideoMetadata;
console.log(`job ${jobId}: ${video?.FrameWidth}×${video?.FrameHeight}, ${((video?.DurationMillis ?? 0) / 1000).toFixed(1)} s`);
for (const [second, count] of perSecond) console.log(`${String(second).padStart(5)} s  ${'#'.repeat(Math.min(count, 60))} ${count}`);
console.log(`${detections.stats.itemsFetched} detections in ${detections.stats.pagesFetched} pages`);

client.destroy();
await stop();

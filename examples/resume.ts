/**
 * Checkpoint and resume: process a job page by page, save a checkpoint after each page, and after a crash carry
 * on exactly where it stopped — no detection lost, none processed twice. An expired token (after a long pause)
 * is recovered through the checkpoint's `startingCount`.
 *
 * Runs against the local emulator (no AWS account needed):
 *   npx tsx examples/resume.ts
 */
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { startEmulator } from 'rekognition-face-stream/emulator';
import { type Checkpoint, createRekognitionClient, faceDetectionPages, faceDetections } from 'rekognition-face-stream';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const emu = await startEmulator({ processingTimeMs: 0 });
const client = createRekognitionClient({
  endpoint: emu.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const { JobId } = await client.send(
  new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'example', Name: 'preset=walkers,duration=2m.mp4' } } }),
);
const jobId = JobId!;

// A durable store would go here (a file, a database row, a Step Functions state).
let saved: Checkpoint | undefined;
let processed = 0;

// First run: "crashes" after three pages.
for await (const page of faceDetectionPages({ client, jobId, maxResults: 200 })) {
  processed += page.Faces.length; // process the page...
  saved = page.checkpoint; // ...then checkpoint it (undefined once the job is complete)
  if (page.index === 2) break;
}
console.log(`first run: ${processed} detections, checkpoint at ${saved?.startingCount}`);

// Second run: resume from the checkpoint. Items only, this time.
if (saved) {
  for await (const _detection of faceDetections({ client, ...saved })) processed++;
}
const total = emu.video(jobId).detectionCount();
console.log(`after resuming: ${processed} detections processed; the job has ${total}`);

client.destroy();
await emu.close();

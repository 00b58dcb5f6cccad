/**
 * The Rekognition Video emulator with the real AWS SDK: start a job on a synthetic "walkers" clip, read it page
 * by page with the SDK's own paginator while the emulator throttles, then compare with the ground truth.
 *
 * Run: npx tsx examples/emulator.ts
 */
import {
  GetFaceDetectionCommand,
  paginateGetFaceDetection,
  RekognitionClient,
  StartFaceDetectionCommand,
} from '@aws-sdk/client-rekognition';
import { startEmulator } from 'rekognition-face-stream/emulator';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const emu = await startEmulator({
  seed: 7,
  processingTimeMs: 500,
  // The account's GetFaceDetection quota: 5 requests/s, bursts of 5.
  faults: { tps: { GetFaceDetection: { rate: 5, burst: 5 } } },
});
console.log(`emulator at ${emu.endpoint}`);

// The SDK's own retries (standard mode, 3 attempts) absorb the throttling here.
const client = new RekognitionClient({
  region: 'us-east-1',
  endpoint: emu.endpoint,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
});

try {
  const { JobId } = await client.send(
    new StartFaceDetectionCommand({
      Video: { S3Object: { Bucket: 'my-bucket', Name: 'street/preset=walkers,duration=30s.mp4' } },
      JobTag: 'example',
    }),
  );
  // Wait for the job (the real service would notify SNS; polling is fine against the emulator).
  for (;;) {
    const { JobStatus } = await client.send(new GetFaceDetectionCommand({ JobId, MaxResults: 1 }));
    if (JobStatus !== 'IN_PROGRESS') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  let faces = 0;
  let pages = 0;
  for await (const page of paginateGetFaceDetection({ client, pageSize: 100 }, { JobId })) {
    faces += page.Faces?.length ?? 0;
    pages++;
  }
  const people = new Set([...emu.groundTruth(JobId!)].map((d) => d.personId).filter((id) => id !== null));
  const counters = emu.counters();
  console.log(`${faces} detections in ${pages} pages; ${people.size} different people really walked by`);
  console.log(`requests: ${counters.requests}, throttled: ${counters.throttled}`);
  console.log('first MOT ground-truth rows:');
  console.log(emu.groundTruthMot(JobId!).split('\n').slice(0, 3).join('\n'));
} finally {
  client.destroy();
  await emu.close();
}

/**
 * The CLI benchmark's baseline: a plain SDK-paginator script writing the same NDJSON as `face-stream detections`
 * (one `JSON.stringify(FaceDetection)` a line, a write per page, waiting for 'drain').
 * Usage: `node --import tsx sdkNdjson.ts <jobId> <output file>` with the AWS env chain configured.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { paginateGetFaceDetection, RekognitionClient } from '@aws-sdk/client-rekognition';

const [jobId, file] = process.argv.slice(2) as [string, string];
const client = new RekognitionClient({ maxAttempts: 1 });
const out = createWriteStream(file);
for await (const page of paginateGetFaceDetection({ client }, { JobId: jobId, MaxResults: 1000 })) {
  const faces = page.Faces ?? [];
  if (faces.length === 0) continue;
  if (!out.write(`${faces.map((f) => JSON.stringify(f)).join('\n')}\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
client.destroy();

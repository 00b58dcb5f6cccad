/**
 * A batch of videos under the account's job quota, waiting by SQS notification: idempotent Starts (a rerun reuses
 * the jobs), `LimitExceededException` treated as "wait for a slot" while another application holds most of the
 * quota, and each video's detections read as its job completes.
 *
 * Runs against the local emulator (no AWS account needed; its SNS → SQS wiring is set up in code):
 *   npx tsx examples/batch.ts
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator } from 'rekognition-face-stream/emulator';
import { createRekognitionClient, faceDetectionBatch, sqsJobNotifications } from 'rekognition-face-stream';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionExample';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
// Jobs take 20 ms per second of video; another application holds 3 of the 5 job slots for 2 s.
const emu = await startEmulator({ maxConcurrentJobs: 5, processingTimeMs: { perVideoSecondMs: 20 }, otherApplications: { slots: 3, forMs: 2000 } });
emu.subscribe(TOPIC, 'rekognition-jobs');

const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials, fastPath: true });
const sqs = new SQSClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials });
const notifications = sqsJobNotifications({ sqs, queueUrl: emu.queueUrl('rekognition-jobs') });
const videos = Array.from({ length: 8 }, (_, i) => `s3://example/cam${i}/preset=meeting,duration=${10 + 5 * i}s.mp4`);

for await (const event of faceDetectionBatch(videos, {
  client,
  notifications,
  notificationChannel: { snsTopicArn: TOPIC, roleArn: 'arn:aws:iam::123456789012:role/RekognitionSNS' },
  maxConcurrentJobs: 5,
})) {
  if (event.type === 'succeeded') {
    let faces = 0;
    for await (const _ of event.detections()) faces++;
    console.log(`${event.uri}: ${faces} detections (completion by ${event.via})`);
  } else if (event.type === 'limit-exceeded') console.log(`${event.uri}: job quota full, waiting for a slot`);
  else if (event.type === 'failed') console.log(`${event.uri}: ${event.error.message}`);
  else if (event.type === 'done') console.log('done:', event.counts);
}

await notifications.close(); // the deletes in flight finish first: destroy the SQS client after it
sqs.destroy();
client.destroy();
await emu.close();

import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { lastValueFrom, Subject } from 'rxjs';
import {
  createRekognitionClient,
  type FaceDetection,
  faceDetections,
  faceReport,
  InvalidParameterError,
  renderReportHtml,
  systemClock,
} from '../../index.js';
import { VERSION } from '../version.js';

interface DemoFlags {
  readonly video: string;
  readonly seed: string;
  readonly report: string;
}

/** What the demo measured. */
interface DemoFigures {
  detections: number;
  frames: number;
  maxPerFrame: number;
  firstDetectionMs: number | undefined;
}

/**
 * `face-stream demo`: zero configuration, no AWS account. Starts the embedded emulator on a free loopback port,
 * starts a face-detection job on a synthetic video, waits for it, streams every detection through
 * `faceDetections` (the same path as real AWS, fast parser on) and prints a short human summary: faces,
 * detections per second of video, how long the job and the stream took.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { lastValueFrom, Subject } from 'rxjs';
 * import { demoCommand } from './demo.js';
 *
 * const program = new Command('face-stream').addCommand(demoCommand());
 * ```
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('start the embedded emulator, run a face-detection job on a synthetic video and stream it (no AWS account)')
    .option('--video <name>', 'synthetic video, chosen by S3 object name (preset=, duration=, people=)', 'preset=meeting,duration=10m.mp4')
    .option('--seed <n>', 'seed of the synthetic content', '1')
    .option('--report <file>', 'where to write the HTML report of the job', join(tmpdir(), 'face-stream-demo-report.html'))
    .action(async (flags: DemoFlags) => {
      if (!/^[^]{1,1024}$/.test(flags.video)) {
        throw new InvalidParameterError('--video', 'an S3 object name of 1–1024 characters', flags.video);
      }
      if (!/^-?\d{1,9}$/.test(flags.seed)) throw new InvalidParameterError('--seed', 'an integer of at most 9 digits', flags.seed);
      const video = flags.video;
      const seed = Number(flags.seed);
      if (flags.report === '') throw new InvalidParameterError('--report', 'a file path', flags.report);
      const reportPath = flags.report;
      const clock = systemClock;
      // The demo is self-contained: the SDK's Node-version notice would only be noise here.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      // Loaded on demand so that other subcommands do not pay for the emulator at start-up.
      const { startEmulator } = await import('../../emulator/index.js');
      const emulator = await startEmulator({ seed, processingTimeMs: 1500 });
      const client = createRekognitionClient({
        endpoint: emulator.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo-secret' },
        fastPath: true,
      });
      const out = (line: string) => process.stdout.write(`${line}\n`);
      try {
        out(`face-stream demo — embedded Rekognition Video emulator at ${emulator.endpoint}`);
        const started = clock.now();
        const { JobId } = await client.send(
          new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'face-stream-demo', Name: video } }, JobTag: 'demo', FaceAttributes: 'ALL' }),
        );
        const jobId = JobId!;
        out(`started job ${jobId} on s3://face-stream-demo/${video}`);
        const stream = faceDetections({ client, jobId, waitForJob: { minDelay: 250, maxDelay: 1000 } });
        const figures: DemoFigures = { detections: 0, frames: 0, maxPerFrame: 0, firstDetectionMs: undefined };
        let streamStarted = 0;
        let lastTimestamp: number | undefined;
        let perFrame = 0;
        // The report is built in the same pass: each detection also goes to the tracker and the report model.
        const reported = new Subject<FaceDetection>();
        const model = lastValueFrom(reported.pipe(faceReport({ info: () => ({ ...(stream.job ? { job: stream.job } : {}), stats: stream.stats }) })));
        for await (const detection of stream) {
          reported.next(detection);
          if (figures.detections++ === 0) {
            streamStarted = clock.now();
            figures.firstDetectionMs = streamStarted - started;
          }
          if (detection.Timestamp !== lastTimestamp) {
            figures.frames++;
            perFrame = 0;
            lastTimestamp = detection.Timestamp;
          }
          if (++perFrame > figures.maxPerFrame) figures.maxPerFrame = perFrame;
        }
        const ended = clock.now();
        reported.complete();
        const report = await model;
        const meta = stream.job?.VideoMetadata;
        const videoSeconds = (meta?.DurationMillis ?? 0) / 1000;
        const streamSeconds = Math.max(ended - streamStarted, 1) / 1000;
        const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
        out(
          `video: ${f(videoSeconds / 60, 1)} min, ${meta?.FrameWidth}×${meta?.FrameHeight} @ ${f(meta?.FrameRate ?? 0, 2)} fps ${meta?.Codec ?? ''}`.trimEnd(),
        );
        out(`job: ${stream.job?.JobStatus ?? 'unknown'}; first detection ${f((figures.firstDetectionMs ?? 0) / 1000, 2)} s after start (job wait included)`);
        out(
          `faces: ${f(figures.detections)} detections in ${f(figures.frames)} sampled frames ` +
            `(${f(figures.detections / Math.max(figures.frames, 1), 2)} per frame, at most ${figures.maxPerFrame})`,
        );
        out(`rate: ${f(figures.detections / Math.max(videoSeconds, 1e-9), 1)} detections per second of video`);
        out(
          `stream: ${f(stream.stats.pagesFetched)} pages in ${f(streamSeconds, 2)} s ` +
            `(${f(figures.detections / streamSeconds)} detections/s, at most ${f(stream.stats.maxBuffered)} buffered); ` +
            `total ${f((ended - started) / 1000, 2)} s`,
        );
        await writeFile(reportPath, renderReportHtml(report, { generator: `face-stream ${VERSION} demo` }));
        out(`report: ${f(report.tracks.length)} face track${report.tracks.length === 1 ? '' : 's'}; open ${reportPath}`);
      } finally {
        client.destroy();
        await emulator.close();
      }
    });
}

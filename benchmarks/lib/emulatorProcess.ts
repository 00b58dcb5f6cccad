import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RekognitionClient, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';

/** Credentials every benchmark client signs with. */
export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' } as const;

/** An emulator running in its own process. */
export interface EmulatorProcess {
  readonly endpoint: string;
  /** Starts a job on a synthetic video (object-name convention) and returns its JobId. */
  startJob(name: string, faceAttributes?: 'DEFAULT' | 'ALL'): Promise<string>;
  stop(): Promise<void>;
}

/** Options of {@link startEmulatorProcess}. */
export interface EmulatorProcessOptions {
  /** The emulator's `pageCacheBytes`: served pages kept and served again from memory. @default 0 */
  readonly pageCacheBytes?: number;
  /** Every GetFaceDetection is answered after this many ms (the service's time for a page). @default 0 */
  readonly latencyMs?: number;
}

/** Spawns benchmarks/lib/emulatorServer.ts and waits for its endpoint. */
export async function startEmulatorProcess(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const script = fileURLToPath(new URL('./emulatorServer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(options.pageCacheBytes ?? 0), String(options.latencyMs ?? 0)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { endpoint: string }).endpoint));
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
  const client = new RekognitionClient({ region: 'us-east-1', endpoint, credentials: BENCH_CREDENTIALS, maxAttempts: 1 });
  return {
    endpoint,
    async startJob(name, faceAttributes = 'DEFAULT') {
      const out = await client.send(
        new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bench-videos', Name: name } }, FaceAttributes: faceAttributes }),
      );
      return out.JobId!;
    },
    async stop() {
      client.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

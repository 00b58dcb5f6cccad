/**
 * Test helper: an emulator per test plus a real, configured `RekognitionClient` (one attempt, no SDK
 * retries), with teardown.
 *
 * ```ts
 * const t = await startTestEmulator({ seed: 1 });          // processingTimeMs defaults to 0 here
 * try { ... t.client.send(...) ... } finally { await t.close(); }
 *
 * // or, per test with automatic teardown (mocha):
 * const ctx = withEmulator({ seed: 1 });
 * it('…', async () => { await ctx().client.send(...); });
 * ```
 */
import { RekognitionClient, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import type { RekognitionClientConfig } from '@aws-sdk/client-rekognition';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Credentials the test client signs with (also accepted when the emulator verifies signatures). */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } as const;

/** A running emulator, a client pointed at it, and their teardown. */
export interface TestEmulator {
  readonly emu: Emulator;
  readonly client: RekognitionClient;
  /** Destroys the client and closes the emulator. */
  close(): Promise<void>;
  /** Starts a job on `name` (object-name convention) and returns its JobId. */
  startJob(name?: string, input?: { readonly FaceAttributes?: 'DEFAULT' | 'ALL'; readonly JobTag?: string }): Promise<string>;
}

/** Options: emulator options (`processingTimeMs` defaults to 0) plus client overrides. */
export interface TestEmulatorOptions extends EmulatorOptions {
  /** Extra client configuration (e.g. `maxAttempts`). */
  readonly clientConfig?: Partial<RekognitionClientConfig>;
}

/** Starts an emulator (port 0, `processingTimeMs: 0` unless given) and a real SDK client for it. */
export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const { clientConfig, ...emulatorOptions } = options;
  const emu = await startEmulator({ processingTimeMs: 0, ...emulatorOptions });
  const client = createTestClient(emu.endpoint, clientConfig);
  return {
    emu,
    client,
    async close() {
      client.destroy();
      await emu.close();
    },
    async startJob(name = 'preset=meeting,duration=10s.mp4', input = {}) {
      const out = await client.send(
        new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'test-bucket', Name: name } }, ...input }),
      );
      return out.JobId!;
    },
  };
}

/** A real SDK client for `endpoint`: test credentials, us-east-1, one attempt (no SDK retries). */
export function createTestClient(endpoint: string, config: Partial<RekognitionClientConfig> = {}): RekognitionClient {
  return new RekognitionClient({
    region: 'us-east-1',
    endpoint,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    ...config,
  });
}

/**
 * Mocha hook helper: starts a fresh emulator before each test of the enclosing `describe` and closes it
 * after; returns an accessor for the current one.
 */
export function withEmulator(options: TestEmulatorOptions = {}): () => TestEmulator {
  let current: TestEmulator | undefined;
  beforeEach(async () => {
    current = await startTestEmulator(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('withEmulator(): no emulator outside a test.');
    return current;
  };
}

/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepack`) → install the tarball into a
 * temporary project → type-check a consumer (strict, exactOptionalPropertyTypes, skipLibCheck: false) → run
 * it against the emulator, and run the packed `face-stream` bin. Run by `npm run test:package` and `.ci/run`.
 *
 * Offline: the tarball is unpacked into the temporary project's node_modules (what `npm install` does with
 * it), and its declared `dependencies` and required `peerDependencies`, plus the consumer's `typescript` and
 * `@types/node`, are linked from this repository's node_modules (installed by `npm ci`). Nothing else is
 * linked, so an undeclared runtime dependency, or a type that needs the optional `ioredis`, fails the check.
 * The temporary project is removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

function fail(message: string): never {
  throw new Error(`package check: ${message}`);
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    fail(`\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** The consumer: every public entry point, the real SDK client, the Redis option types, rxjs operators. */
const CONSUMER = `
import { RekognitionClient, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { map, toArray, lastValueFrom } from 'rxjs';
import {
  countAggregate,
  createRekognitionClient,
  createRequestPolicy,
  faceDetections,
  faceTracks,
  tumblingWindow,
  type FaceDetection,
  type RedisLimiterOptions,
  type RekognitionLike,
  type Track,
} from 'rekognition-face-stream';
import { startEmulator, type Emulator } from 'rekognition-face-stream/emulator';

// The real SDK client is a RekognitionLike (issue 10, item 11).
const sdkClient: RekognitionLike = new RekognitionClient({ region: 'us-east-1' });
sdkClient.send.bind(sdkClient);
// The Redis option types compile without ioredis installed; the policy is never connected here.
const redis: RedisLimiterOptions = { url: 'redis://127.0.0.1:1', id: 'consumer', onError: 'local' };
void redis;

const emu: Emulator = await startEmulator({ processingTimeMs: 0 });
const client = createRekognitionClient({
  endpoint: emu.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const direct = new RekognitionClient({
  endpoint: emu.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
});
try {
  const { JobId } = await client.send(
    new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'my-videos', Name: 'preset=meeting,duration=20s.mp4' } } }),
  );
  const jobId = JobId!;
  const policy = createRequestPolicy({ retries: 3 });
  const all: FaceDetection[] = await lastValueFrom(faceDetections({ client: direct, jobId, policy }).pipe(toArray()));
  const perSecond = await lastValueFrom(
    faceDetections({ client, jobId }).pipe(tumblingWindow(1000, { aggregate: countAggregate }), map((w) => w.value), toArray()),
  );
  const tracks: Track[] = await lastValueFrom(faceDetections({ client, jobId }).pipe(faceTracks(), toArray()));
  const truth = [...emu.groundTruth(jobId)].length;
  if (all.length === 0 || all.length !== truth) throw new Error(\`\${all.length} detections, ground truth \${truth}\`);
  if (perSecond.reduce((s, n) => s + n, 0) !== truth) throw new Error('windows lost detections');
  if (tracks.length === 0) throw new Error('no tracks');
  console.log(JSON.stringify({ endpoint: emu.endpoint, jobId, detections: all.length, tracks: tracks.length }));
  await policy.close?.();
} finally {
  client.destroy();
  direct.destroy();
  await emu.close();
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    lib: ['es2023'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  files: ['consumer.ts'],
};

const started = Date.now(); // a script, not library code: wall time only for the closing line
const work = mkdtempSync(join(tmpdir(), 'face-stream-package-'));
try {
  // 1. Pack (prepack builds dist/).
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const { filename, files } = packed[0] ?? fail('npm pack printed no result');
  const shipped = new Set(files.map((f) => f.path));
  for (const required of ['dist/index.js', 'dist/index.d.ts', 'dist/emulator/index.js', 'dist/emulator/index.d.ts', 'dist/cli/main.js', 'bin/face-stream.js', 'README.md']) {
    if (!shipped.has(required)) fail(`the tarball lacks ${required}`);
  }
  for (const path of shipped) {
    if (path.startsWith('src/') || path.startsWith('test/')) fail(`the tarball ships ${path}`);
    if (path.endsWith('.map')) fail(`the tarball ships a source map (${path}) whose sources are not shipped`);
  }

  // 2. Install: unpack into node_modules, link the declared dependencies from this repository.
  const project = join(work, 'consumer');
  const modules = join(project, 'node_modules');
  const target = join(modules, manifest.name);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, filename), '-C', target, '--strip-components=1']);
  const requiredPeers = Object.keys(manifest.peerDependencies ?? {}).filter((p) => !manifest.peerDependenciesMeta?.[p]?.optional);
  for (const name of [...Object.keys(manifest.dependencies ?? {}), ...requiredPeers, 'typescript', '@types/node']) {
    const from = join(root, 'node_modules', name);
    if (!existsSync(from)) fail(`${name} is not installed in this repository (run npm ci)`);
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(from, join(modules, name), 'dir');
  }
  if (existsSync(join(modules, 'ioredis'))) fail('ioredis must not be installed in the consumer');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  writeFileSync(join(project, 'consumer.ts'), CONSUMER);

  // 3. Type-check and compile the consumer with the strictest settings a user may have.
  run(process.execPath, [join(modules, 'typescript', 'bin', 'tsc'), '-p', '.'], project);

  // 4. Run it against the emulator (plain node: no tsx, no src/).
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const result = JSON.parse(run(process.execPath, ['out/consumer.js'], project, env).trim()) as { detections: number; tracks: number };

  // 5. The packed bin runs from dist/ (src/ and tsx are absent): the demo (embedded emulator, a job, a summary).
  const bin = join(target, 'bin', 'face-stream.js');
  const demo = run(process.execPath, [bin, 'demo'], project, env);
  if (!/^stream: \d+ pages/m.test(demo)) fail(`face-stream demo printed no summary:\n${demo}`);
  console.log(
    `package check passed: ${filename}, ${shipped.size} files, consumer type-checked and ran ` +
      `(${result.detections} detections, ${result.tracks} tracks), bin ok, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

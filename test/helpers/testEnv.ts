import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { TEST_CREDENTIALS } from './emulator.js';

/** The environment of a CLI run against the emulator: test credentials and a region (the standard AWS chain). */
export const TEST_AWS_ENV: Readonly<Record<string, string>> = Object.freeze({
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
});

/**
 * Sets `vars` in `process.env` (for in-process CLI runs) and returns the function that restores what was
 * there before (unset variables are deleted again).
 */
export function setEnv(vars: Readonly<Record<string, string>>): () => void {
  const saved = Object.entries(vars).map(([key]) => [key, process.env[key]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** The AWS variables of a CLI run against the emulator at `endpoint`, for Rekognition and S3 (HeadObject sizes) (for an in-process run: `setEnv(awsEnv(…))`). */
export function awsEnv(endpoint: string): Record<string, string> {
  return { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_REKOGNITION: endpoint, AWS_ENDPOINT_URL_S3: endpoint };
}

/**
 * The whole environment of a CLI child process against the emulator at `endpoint`: PATH, a temporary HOME (no
 * user config is read), the test credentials and region, and the Rekognition endpoint.
 */
export function cliProcessEnv(endpoint: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: tmpdir(),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...awsEnv(endpoint),
  };
}

/** What a CLI child process ended with. */
export interface CliProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs the real CLI (`src/cli/main.ts` under tsx) in a child process with `env` (stdout ignored); `onSpawn`
 * gets a function that kills it with SIGKILL; `imports` are preloaded with `--import` (e.g. hooks).
 */
export function runCliProcess(
  args: readonly string[],
  env: Record<string, string>,
  onSpawn?: (kill: () => void) => void,
  imports: readonly string[] = [],
): Promise<CliProcessResult> {
  return new Promise((resolve) => {
    const preload = imports.flatMap((module) => ['--import', module]);
    const child = spawn(process.execPath, ['--import', 'tsx', ...preload, CLI_MAIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    onSpawn?.(() => child.kill('SIGKILL'));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const CLI_MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

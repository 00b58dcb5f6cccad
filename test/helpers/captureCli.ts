import { tmpdir } from 'node:os';
import { runCli } from '../../src/cli/main.js';

/** What an in-process CLI run printed and returned. */
export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `face-stream ...args` in-process (`runCli`) and captures what it writes to stdout and stderr. Any CLI
 * test can use it; tests that need a real stdout pipe (backpressure, EPIPE) spawn a child process instead.
 */
export async function captureCli(...args: string[]): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  // A run that fails leaves its output's 'error' listener on process.stdout (a real process exits then): drop
  // what the run added, so that many in-process runs do not add up to a MaxListenersExceededWarning.
  const listeners = new Set(process.stdout.listeners('error'));
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(['node', 'face-stream', ...args]);
    return { code, stdout, stderr };
  } finally {
    for (const listener of process.stdout.listeners('error')) {
      if (!listeners.has(listener)) process.stdout.off('error', listener as (...args: unknown[]) => void);
    }
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The CLI entry point, for tests that spawn `node --import tsx <CLI_MAIN> …` as a real process. */
export const CLI_MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/**
 * The environment of a spawned CLI process: PATH, a temporary HOME (no user AWS config), the SDK's Node-version
 * warning off, and the standard AWS variables with the test credentials and us-east-1.
 */
export function cliProcessEnv(credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: tmpdir(),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}

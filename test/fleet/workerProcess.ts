/** `face-stream worker` as a real child process, for the fleet tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI_MAIN } from '../helpers/captureCli.js';
import { cliProcessEnv } from '../helpers/testEnv.js';

/** A spawned worker: `key` is its AWS access key id (the emulator logs it: which worker sent which request). */
export interface WorkerProcess {
  readonly key: string;
  readonly child: ChildProcess;
  readonly exited: Promise<[number | null, string | null]>;
  stderr: string;
}

/**
 * Spawns `face-stream ...args` as a real process against the emulator at `endpoint`, with `key` as its access key
 * id; its stderr is collected (`stderr: 'inherit'` passes it through instead).
 */
export function spawnCli(options: {
  readonly key: string;
  readonly endpoint: string;
  readonly args: readonly string[];
  readonly stderr?: 'pipe' | 'inherit';
}): WorkerProcess {
  const { key } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...options.args], {
    env: { ...cliProcessEnv(options.endpoint), AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: 'secret' },
    stdio: ['ignore', 'ignore', options.stderr ?? 'pipe'],
  });
  const worker: WorkerProcess = { key, child, exited: once(child, 'exit') as Promise<[number | null, string | null]>, stderr: '' };
  child.stderr?.on('data', (chunk: Buffer) => (worker.stderr += chunk.toString()));
  return worker;
}

/**
 * Spawns `face-stream worker --queue <queue> --out <out> --exit-when-drained --name <key> ...args` against the
 * emulator at `endpoint`, with `key` as its access key id.
 */
export function spawnWorker(options: {
  readonly key: string;
  readonly queue: string;
  readonly out: string;
  readonly endpoint: string;
  readonly args?: readonly string[];
}): WorkerProcess {
  return spawnCli({
    key: options.key,
    endpoint: options.endpoint,
    args: ['worker', '--queue', options.queue, '--out', options.out, '--exit-when-drained', '--name', options.key, ...(options.args ?? [])],
  });
}

/** Fast takeovers for tests: short pages, fast polls, a dead worker's video taken over within ~2 s. */
export const FAST_WORKER_ARGS = ['--max-results', '40', '--poll-interval', '50ms', '--lock-duration', '1500ms', '--stalled-interval', '500ms'];

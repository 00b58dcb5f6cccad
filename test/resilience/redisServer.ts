/** A private redis-server on a free loopback port, for the Redis tests and the throttled benchmark. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** A free TCP port on 127.0.0.1 (nothing listens on it when this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Whether the `redis-server` binary is installed. */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A running private redis-server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Kills it (SIGKILL when `abruptly`, to simulate a crash). */
  stop(abruptly?: boolean): void;
}

/**
 * Starts redis-server on `port` (default: a free one; pass the port of a stopped server to restart it); resolves
 * once it accepts connections. No persistence, unless `aofDir`: an append-only file there, fsynced on every
 * write (restart with the same port and `aofDir` to reload it).
 */
export async function startRedisServer(port?: number, aofDir?: string): Promise<RedisServer> {
  port ??= await freePort();
  const persistence = aofDir === undefined ? ['--appendonly', 'no'] : ['--dir', aofDir, '--appendonly', 'yes', '--appendfsync', 'always'];
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (/Ready to accept connections/.test(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: (abruptly = false) => {
      if (child.exitCode === null) child.kill(abruptly ? 'SIGKILL' : 'SIGTERM');
    },
  };
}

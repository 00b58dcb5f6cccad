/**
 * Mocha global fixture (loaded by `.mocharc.json` through `require`): when `REDIS_URL` is unset and
 * `redis-server` is installed, the test run starts its own redis-server (no persistence) on a free loopback
 * port, points `REDIS_URL` at it for every suite, and stops it when the run ends.
 *
 * It starts at load time, before mocha loads the spec files, so suites that read `process.env.REDIS_URL` at
 * module level see it. Without `redis-server` and without `REDIS_URL`, nothing happens (the Redis suites use
 * their default URL and skip, or fail under `CI`).
 */
import { once } from 'node:events';
import { hasRedisServer, type RedisServer, startRedisServer } from '../resilience/redisServer.js';

let server: RedisServer | undefined;

/** How long redis-server may take to accept connections before the run fails (never a hung test run). */
const START_TIMEOUT_MS = 15_000;

if (!process.env.REDIS_URL && hasRedisServer()) {
  let timer: NodeJS.Timeout | undefined;
  server = await Promise.race([
    startRedisServer(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  process.env.REDIS_URL = server.url;
  // The run may end without the teardown (an uncaught error, mocha's `exit`): never leave the server behind.
  process.once('exit', () => server?.stop());
}

/** Stops the redis-server this run started, if any, and waits until it has exited. */
export async function mochaGlobalTeardown(): Promise<void> {
  const running = server;
  server = undefined;
  if (!running || running.process.exitCode !== null || running.process.signalCode !== null) return;
  const exited = once(running.process, 'exit');
  running.stop();
  await exited;
}

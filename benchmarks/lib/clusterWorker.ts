/**
 * One process of the throttled benchmark's cluster run: streams its jobs through a policy whose limiter is
 * shared through Redis with the other processes. Spawned by benchmarks/throttled.bench.ts.
 *
 * argv[2]: JSON { endpoint, jobs, maxResults, tps?, burst?, redisUrl?, limiterId }. Without `redisUrl` the
 * process adapts on its own (no shared limiter).
 * Prints `ready`, waits for `go` on stdin, streams, prints one JSON result line, exits.
 */
import { createInterface } from 'node:readline';
import { createRekognitionClient, createRequestPolicy } from '../../src/index.js';
import { type BenchJob, clientConfig, streamWithLibrary } from './throttledScenario.js';

interface WorkerConfig {
  readonly endpoint: string;
  readonly jobs: readonly BenchJob[];
  readonly maxResults: number;
  readonly tps?: number;
  readonly burst?: number;
  readonly redisUrl?: string;
  readonly limiterId: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const client = createRekognitionClient(clientConfig(config.endpoint));
const policy = createRequestPolicy({
  ...(config.tps !== undefined ? { tps: config.tps, burst: config.burst } : {}),
  ...(config.redisUrl ? { redis: { url: config.redisUrl, id: config.limiterId } } : {}),
});
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line.trim() === 'go') break;
const outcomes = await Promise.all(config.jobs.map((job) => streamWithLibrary(client, job, config.maxResults, policy)));
process.stdout.write(`${JSON.stringify({ outcomes, stats: policy.stats })}\n`);
await policy.close();
client.destroy();
lines.close();

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { hasRedisServer } from '../resilience/redisServer.js';
import { skipOutsideCI } from './skipOutsideCI.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('test run: its own redis-server when REDIS_URL is unset (root hook)', function () {
  it('.mocharc.json loads the root hook for every run', () => {
    const config = JSON.parse(readFileSync(new URL('.mocharc.json', `file://${root}`), 'utf8')) as { require?: string[] };
    expect(config.require).to.include('test/helpers/redisRootHook.ts');
  });

  it('starts redis-server on a free port, sets REDIS_URL for the suites, and stops it after the run', async function () {
    if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
    const env = { ...process.env };
    delete env.REDIS_URL;
    const child = spawn(
      process.execPath,
      [
        'node_modules/mocha/bin/mocha.js',
        '--no-config',
        '--node-option', 'import=tsx',
        '--require', 'test/helpers/redisRootHook.ts',
        '--exit',
        'test/fixtures/redisHook/ping.spec.ts',
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output).to.equal(0);
    const match = /REDIS_URL=redis:\/\/127\.0\.0\.1:(\d+) PING=PONG/.exec(output);
    expect(match, output).to.not.equal(null);
    // The server is gone once the run has ended.
    expect(await listening(Number(match![1]))).to.equal(false);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/log/RequestLog.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { createTestClient } from '../helpers/emulator.js';
import { cliProcessEnv, runCliProcess } from '../helpers/testEnv.js';

describe('cli: face-stream detections --output FILE --resume (kill -9, then continue exactly once)', function () {
  this.timeout(90_000);
  let emu: Emulator;
  let dir: string;
  let pages = 0;
  let killAt = Infinity;
  let kill: (() => void) | undefined;
  before(async () => {
    emu = await startEmulator({
      seed: 21,
      processingTimeMs: 0,
      onRequest: (entry: RequestLogEntry) => {
        if (entry.operation !== 'GetFaceDetection') return;
        pages++;
        if (pages >= killAt && kill) {
          kill();
          kill = undefined;
        }
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'resume-'));
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], onSpawn?: (kill: () => void) => void) => runCliProcess(args, cliProcessEnv(emu.endpoint), onSpawn);

  it('the resumed file is byte-identical to a clean read, and the resume reads only the remaining pages', async () => {
    const client = createTestClient(emu.endpoint);
    const { JobId } = await client.send(
      new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bkt', Name: 'preset=walkers,duration=2m.mp4' } }, FaceAttributes: 'ALL' }),
    );
    const expected = await lastValueFrom(faceDetections({ client, jobId: JobId!, policy: directPolicy }).pipe(toArray()));
    client.destroy();
    const file = join(dir, 'faces.ndjson');
    const args = ['detections', '--job-id', JobId!, '--output', file, '--max-results', '100'];
    const totalPages = Math.ceil(expected.length / 100);

    pages = 0;
    killAt = 8;
    const killed = await run(args, (k) => (kill = k));
    expect(killed.signal).to.equal('SIGKILL');
    expect(existsSync(file)).to.equal(false); // only ever complete at its final name
    expect(statSync(`${file}.partial`).size).to.be.greaterThan(0);

    pages = 0;
    killAt = Infinity;
    const resumed = await run([...args, '--resume']);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(readFileSync(file, 'utf8')).to.equal(expected.map((d) => `${JSON.stringify(d)}\n`).join(''));
    expect(existsSync(`${file}.partial`) || existsSync(`${file}.state`)).to.equal(false);
    expect(pages).to.be.lessThan(totalPages);
  });
});

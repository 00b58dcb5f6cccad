import { expect } from 'chai';
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { captureCli as cli } from '../helpers/captureCli.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { labelFaceTracks } from '../../src/tracks/labelFaceTracks.js';
import { startTestEmulator, TEST_CREDENTIALS } from '../helpers/emulator.js';
import { hasRedisServer, startRedisServer } from '../resilience/redisServer.js';
import { skipOutsideCI } from '../helpers/skipOutsideCI.js';


describe('cli tracks', () => {
  let dir: string;
  let input: string;
  const lines: string[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracks-'));
    for (let t = 0; t <= 1000; t += 200) {
      lines.push(JSON.stringify({ Timestamp: t, Face: { BoundingBox: { Width: 0.1, Height: 0.15, Left: 0.2, Top: 0.3 }, Confidence: 99.1, Pose: { Yaw: 3, Pitch: 1, Roll: 0 } } }));
      lines.push(JSON.stringify({ Face: { Confidence: 98, BoundingBox: { Width: 0.08, Height: 0.12, Left: 0.7, Top: 0.4 } }, Timestamp: t }));
    }
    lines.push(JSON.stringify({ Timestamp: 1200, Face: { BoundingBox: { Width: 0.05, Height: 0.05, Left: 0.45, Top: 0.8 }, Confidence: 60 } }));
    input = join(dir, 'detections.ndjson');
    writeFileSync(input, `${lines.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--label writes every input line once, in order, with TrackId added and nothing else changed', async () => {
    const { code, stdout } = await cli('tracks', '--input', input, '--label');
    expect(code).to.equal(0);
    const out = stdout.trim().split('\n');
    expect(out).to.have.length(lines.length);
    out.forEach((line, i) => {
      const { TrackId, ...rest } = JSON.parse(line) as Record<string, unknown>;
      expect(JSON.stringify(rest)).to.equal(lines[i]);
      expect(TrackId).to.equal(i === lines.length - 1 ? null : (i % 2) + 1);
    });
  });

  it('writes one summary line per closed track (ndjson) or a JSON array', async () => {
    const ndjson = await cli('tracks', '--input', input);
    expect(ndjson.code).to.equal(0);
    const tracks = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as { trackId: number; detectionCount: number; detections?: unknown });
    expect(tracks.map((t) => [t.trackId, t.detectionCount])).to.deep.equal([
      [1, 6],
      [2, 6],
    ]);
    expect(tracks[0]).to.not.have.property('detections');
    const out = join(dir, 'tracks.json');
    const json = await cli('tracks', '--input', input, '--format', 'json', '--output', out, '--min-hits', '1', '--detections');
    expect(json.code).to.equal(0);
    const array = JSON.parse(readFileSync(out, 'utf8')) as { detections: unknown[] }[];
    expect(array).to.have.length(3);
    expect(array[0]?.detections).to.have.length(6);
  });

  it('refuses bad flags before reading', async () => {
    const neither = await cli('tracks');
    expect(neither.code).to.equal(1);
    expect(neither.stderr).to.match(/--job-id\/--input/);
    const bad = await cli('tracks', '--input', input, '--max-gap-ms', 'soon');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/--max-gap-ms/);
    const range = await cli('tracks', '--input', input, '--min-hits', '0');
    expect(range.code).to.equal(1);
    expect(range.stderr).to.match(/minHits/);
  });

  it('reports a malformed input line with its number', async () => {
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, `${lines[0]}\nnot json\n`);
    const { code, stderr } = await cli('tracks', '--input', broken);
    expect(code).to.equal(1);
    expect(stderr).to.match(/broken\.ndjson:2/);
  });

  it('--job-id reads the job through the page source (emulator) and labels like labelFaceTracks', async function () {
    this.timeout(30_000);
    const t = await startTestEmulator({ seed: 2 });
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    try {
      const jobId = await t.startJob('preset=walkers,duration=20s.mp4');
      const detections = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()));
      const expected = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(labelFaceTracks(), toArray()));
      process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
      const { code, stdout, stderr } = await cli('tracks', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1', '--label');
      expect(stderr).to.equal('');
      expect(code).to.equal(0);
      const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as { Timestamp: number; TrackId: number | null });
      expect(out).to.have.length(detections.length);
      expect(out.map((d) => [d.Timestamp, d.TrackId])).to.deep.equal(expected.map((d) => [d.Timestamp, d.TrackId]));
    } finally {
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
      await t.close();
    }
  });

  it('closes its request policy: no Redis connection of a --redis run outlives it', async function () {
    if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
    this.timeout(60_000);
    const t = await startTestEmulator({ seed: 3 });
    const redis = await startRedisServer();
    const admin = new Redis(redis.url);
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    try {
      const jobId = await t.startJob('preset=walkers,duration=10s.mp4');
      process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
      const { code, stderr } = await cli('tracks', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1', '--redis', redis.url);
      expect(stderr).to.equal('');
      expect(code).to.equal(0);
      // The policy's sockets are unref'd, so a leak never hangs a process: it shows as connections the server
      // still holds. A closed socket leaves the server's list within a few round trips; an open one never does.
      let clients = Infinity;
      for (let i = 0; i < 100 && clients > 1; i++) {
        clients = String(await admin.client('LIST')).trim().split('\n').length;
      }
      expect(clients, 'connections besides the test\'s own').to.equal(1);
    } finally {
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
      admin.disconnect();
      redis.stop();
      await t.close();
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

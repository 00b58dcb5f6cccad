import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { captureCli as cli } from '../helpers/captureCli.js';
import { readDetectionsNdjson } from '../../src/cli/readNdjson.js';
import { NdjsonParseError } from '../../src/errors/NdjsonParseError.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { setEnv, TEST_AWS_ENV } from '../helpers/testEnv.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

const line = (Timestamp: number, extra: Record<string, unknown> = {}) => JSON.stringify({ Timestamp, Face: { Confidence: 90 }, ...extra });

describe('cli: face-stream windows', function () {
  this.timeout(30_000);
  let dir: string;
  const file = (name: string, lines: readonly string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'windows-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('--input', () => {
    it('writes tumbling windows with the chosen aggregations as CSV', async () => {
      const input = file('a.ndjson', [
        line(0, { Face: { Confidence: 90, Smile: { Value: true, Confidence: 99 } } }),
        line(400, { Face: { Confidence: 80, Smile: { Value: false, Confidence: 99 } } }),
        '',
        line(2500),
      ]);
      const { code, stdout, stderr } = await cli('windows', '--input', input, '--size', '1000', '--aggregate', 'count,confidence,attributes', '--format', 'csv');
      expect(stderr).to.equal('');
      expect(code).to.equal(0);
      const rows = stdout.trim().split('\n');
      expect(rows[0]).to.match(/^start,end,timing,pane,isLast,count,confidence,attributes\.Smile,attributes\.Eyeglasses,.*attributes\.Gender\.Female,attributes\.Gender\.Male$/);
      expect(rows.slice(1).map((r) => r.split(',').slice(0, 8).join(','))).to.deep.equal([
        '0,1000,ON_TIME,0,true,2,85,0.5',
        '2000,3000,ON_TIME,0,true,1,90,',
      ]);
    });

    it('writes hopping and session windows as NDJSON, with empty windows up to --duration-ms', async () => {
      const input = file('b.ndjson', [line(0), line(1500), line(5000)]);
      const hopping = await cli('windows', '--input', input, '--size', '2000', '--slide', '1000');
      expect(hopping.code).to.equal(0);
      const windows = hopping.stdout.trim().split('\n').map((l) => JSON.parse(l) as { start: number; value: { count: number }; key?: unknown });
      expect(windows.map((w) => [w.start, w.value.count])).to.deep.equal([
        [-1000, 1],
        [0, 2],
        [1000, 1],
        [4000, 1],
        [5000, 1],
      ]);
      expect(windows[0]).to.not.have.property('key');
      const empty = await cli('windows', '--input', input, '--size', '1000', '--empty-windows', '--duration-ms', '7000', '--format', 'csv');
      expect(empty.stdout.trim().split('\n').slice(1).map((r) => r.split(',')[5])).to.deep.equal(['1', '1', '0', '0', '0', '1', '0']);
      const sessions = await cli('windows', '--input', input, '--gap', '2000');
      expect(sessions.stdout.trim().split('\n').map((l) => JSON.parse(l) as { start: number; end: number })).to.deep.include.members([
        { start: 0, end: 3500, pane: { timing: 'ON_TIME', index: 0, isLast: true }, value: { count: 2 } },
      ]);
    });

    it('keys windows per TrackId and counts distinct tracks (input from tracks --label)', async () => {
      const input = file('c.ndjson', [line(0, { TrackId: 1 }), line(100, { TrackId: 2 }), line(200, { TrackId: 1 }), line(300, { TrackId: null })]);
      const all = await cli('windows', '--input', input, '--size', '1000', '--aggregate', 'count,tracks', '--format', 'csv');
      expect(all.stdout.trim().split('\n')).to.deep.equal([
        'start,end,timing,pane,isLast,count,tracks.count,tracks.trackIds',
        '0,1000,ON_TIME,0,true,4,2,1 2',
      ]);
      const perTrack = await cli('windows', '--input', input, '--size', '1000', '--per-track', '--format', 'csv');
      expect(perTrack.stdout.trim().split('\n')).to.deep.equal([
        'start,end,trackId,timing,pane,isLast,count',
        '0,1000,1,ON_TIME,0,true,2',
        '0,1000,2,ON_TIME,0,true,1',
        '0,1000,,ON_TIME,0,true,1',
      ]);
    });

    it('fails on a late detection, or writes it to --late-output', async () => {
      const input = file('d.ndjson', [line(0), line(5000), line(10)]);
      const failing = await cli('windows', '--input', input, '--size', '1000');
      expect(failing.code).to.equal(1);
      expect(failing.stderr).to.match(/timestamp 10 ms arrived after its windows closed \(watermark 5000 ms\)/);
      const lateFile = join(dir, 'late.ndjson');
      const ok = await cli('windows', '--input', input, '--size', '1000', '--late-output', lateFile);
      expect(ok.code).to.equal(0);
      expect(readFileSync(lateFile, 'utf8')).to.equal(`${line(10)}\n`);
      const tolerant = await cli('windows', '--input', input, '--size', '1000', '--max-out-of-orderness', '5000');
      expect(tolerant.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { value: { count: number } }).value.count)).to.deep.equal([2, 1]);
    });

    it('names the line of bad input, and a missing file', async () => {
      const input = file('e.ndjson', [line(0), '', '{"Timestamp": 5,', '[1]']);
      const bad = await cli('windows', '--input', input, '--size', '1000');
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.contain(`${input}:3: expected a JSON object (a FaceDetection) per line, got invalid JSON`);
      const missing = await cli('windows', '--input', join(dir, 'nope.ndjson'), '--size', '1000');
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.contain('ENOENT');
      const noTime = await cli('windows', '--input', file('f.ndjson', ['{"Face":{}}']), '--size', '1000');
      expect(noTime.stderr).to.contain('Expected `Timestamp` of item #0 to be a finite number of ms, got undefined.');
    });

    it('reads stdin with --input - (real process)', async () => {
      const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', MAIN, 'windows', '--input', '-', '--size', '1000', '--format', 'csv'],
          { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } },
          (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
        );
        child.stdin!.end(`${[line(0), line(999), line(1000)].join('\n')}\n`);
      });
      expect(result.code).to.equal(0);
      expect(result.stdout.trim().split('\n').slice(1)).to.deep.equal(['0,1000,ON_TIME,0,true,2', '1000,2000,ON_TIME,0,true,1']);
    });
  });

  describe('flag validation, before anything is read', () => {
    for (const [args, message] of [
      [['--size', '1000'], '`--job-id/--input`'],
      [['--input', 'x', '--job-id', 'y', '--size', '1000'], '`--job-id/--input`'],
      [['--input', 'x'], '`--size/--gap`'],
      [['--input', 'x', '--size', '1000', '--gap', '5'], '`--size/--gap`'],
      [['--input', 'x', '--gap', '5', '--slide', '2'], '`--slide`'],
      [['--input', 'x', '--size', '0'], '`--size` to be an integer >= 1'],
      [['--input', 'x', '--size', '1e3'], '`--size`'],
      [['--input', 'x', '--size', '1000', '--slide', '2000'], '`slide`'],
      [['--input', 'x', '--size', '1000', '--aggregate', 'count,faces'], '`--aggregate`'],
      [['--input', 'x', '--size', '1000', '--allowed-lateness', '-1'], '`--allowed-lateness`'],
      [['--input', 'x', '--gap', '1000', '--empty-windows'], '`--gap`'],
      [['--input', 'x', '--size', '1000', '--per-track', '--empty-windows'], '`emptyWindows`'],
    ] as const) {
      it(`${args.join(' ')} → ${message}`, async () => {
        const { code, stdout, stderr } = await cli('windows', ...args);
        expect(code).to.equal(1);
        expect(stdout).to.equal('');
        expect(stderr).to.contain(message);
        expect(stderr).to.not.contain('ENOENT');
      });
    }
  });

  describe('--job-id (emulator)', () => {
    let t: TestEmulator;
    let jobId: string;
    let input: string;
    let restoreEnv = (): void => undefined;
    before(async () => {
      t = await startTestEmulator({ seed: 8 });
      jobId = await t.startJob('preset=meeting,duration=20s.mp4', { FaceAttributes: 'ALL' });
      const all = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()));
      input = file('job.ndjson', all.map((d) => JSON.stringify(d)));
      restoreEnv = setEnv(TEST_AWS_ENV);
    });
    after(async () => {
      restoreEnv();
      await t.close();
    });

    it('gives the same windows as --input over the same detections, for every aggregation', async () => {
      const args = ['--size', '5000', '--slide', '1000', '--aggregate', 'count,confidence,emotion,attributes,age', '--format', 'csv'];
      const fromJob = await cli('windows', '--job-id', jobId, '--endpoint', t.emu.endpoint, ...args);
      expect(fromJob.stderr).to.equal('');
      expect(fromJob.code).to.equal(0);
      const fromFile = await cli('windows', '--input', input, ...args);
      expect(fromJob.stdout).to.equal(fromFile.stdout);
      expect(fromJob.stdout.trim().split('\n').length).to.be.greaterThan(20);
    });

    it('bounds --empty-windows by the job\'s VideoMetadata.DurationMillis', async () => {
      const { code, stdout } = await cli('windows', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--size', '1000', '--empty-windows', '--format', 'csv');
      expect(code).to.equal(0);
      const starts = stdout.trim().split('\n').slice(1).map((r) => Number(r.split(',')[0]));
      expect(starts).to.deep.equal(Array.from({ length: 20 }, (_, i) => i * 1000));
    });
  });
});

describe('readDetectionsNdjson', () => {
  it('reads a stream for "-", skipping blank lines, and names stdin in errors', async () => {
    const read = async (text: string) => {
      const out: unknown[] = [];
      for await (const d of readDetectionsNdjson('-', { stdin: Readable.from([text]) })) out.push(d);
      return out;
    };
    expect(await read('{"Timestamp":1}\r\n\n{"Timestamp":2}')).to.deep.equal([{ Timestamp: 1 }, { Timestamp: 2 }]);
    const error = await read('{"Timestamp":1}\n"text"\n').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NdjsonParseError);
    expect(error).to.include({ source: 'stdin', line: 2 });
    expect((error as Error).message).to.equal('stdin:2: expected a JSON object (a FaceDetection) per line, got string.');
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs a command line and returns what it wrote (stdout and stderr separately). */
function run(file: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('cli: progress on stderr (a real pseudo-terminal and a pipe)', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let jobId: string;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    t = await startTestEmulator({ seed: 4 });
    jobId = await t.startJob('preset=meeting,duration=2m.mp4');
    dir = mkdtempSync(join(tmpdir(), 'progress-'));
    env = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_REKOGNITION: t.emu.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The CLI under `script`, which gives it a pseudo-terminal as stdin/stdout/stderr; returns the terminal's text. */
  async function underTerminal(args: readonly string[]): Promise<string> {
    const command = [process.execPath, '--import', 'tsx', MAIN, ...args].map(quote).join(' ');
    const result = await run('script', ['-qfec', command, '/dev/null'], env);
    expect(result.code).to.equal(0);
    return result.stdout;
  }

  it('report: a progress line on a terminal (share of the video, pages, detections, ETA)', async () => {
    const screen = await underTerminal(['report', '--job-id', jobId, '--out', join(dir, 'a.html')]);
    expect(screen).to.match(/report \[[█░]+\] +\d+% of the video · \d+ pages · [\d,]+ detections · [\d,]+\/s · ETA/);
    expect(screen).to.match(/100% of the video/);
    expect(screen).to.contain('report written to');
  });

  it('report: nothing but the result line when stderr is a pipe; --progress forces it; --quiet silences a terminal', async () => {
    const piped = await run(process.execPath, ['--import', 'tsx', MAIN, 'report', '--job-id', jobId, '--out', join(dir, 'b.html')], env);
    expect(piped.code).to.equal(0);
    expect(piped.stderr).to.match(/^report written to \S+b\.html \(\d+ KiB\)\n$/);

    const forced = await run(process.execPath, ['--import', 'tsx', MAIN, 'report', '--job-id', jobId, '--out', join(dir, 'c.html'), '--progress'], env);
    expect(forced.stderr).to.match(/% of the video · \d+ pages · [\d,]+ detections/);

    const quiet = await underTerminal(['report', '--job-id', jobId, '--out', join(dir, 'd.html'), '--quiet']);
    expect(quiet).to.not.match(/of the video/);
    expect(quiet).to.contain('report written to');
  });

  it('batch: the videos by state on a terminal; nothing through a pipe; --progress forces plain lines; --quiet and --no-progress silence a terminal', async function () {
    this.timeout(240_000); // five real CLI processes
    const videos = join(dir, 'videos.txt');
    writeFileSync(videos, ['s3://media-a/p1/duration=20s.mp4', 's3://media-a/p2/duration=30s.mp4', 's3://media-a/p3/fail=1.mp4'].join('\n'));
    const batch = (out: string, ...extra: string[]) => ['batch', '--videos', videos, '--out', join(dir, out), '--poll-interval', '10ms', ...extra];
    const cli = (args: readonly string[]) => run(process.execPath, ['--import', 'tsx', MAIN, ...args], env);
    const final = 'batch: 2/3 done, 0 running, 1 failed';

    // A terminal: one line redrawn in place (carriage return, erase line), ending on the final counts.
    const command = [process.execPath, '--import', 'tsx', MAIN, ...batch('tty')].map(quote).join(' ');
    const screen = (await run('script', ['-qfec', command, '/dev/null'], env)).stdout;
    expect(screen).to.contain(`\r\x1b[K${final}`);
    expect(screen).to.match(/batch: \d\/3 done, \d+ running, \d failed/);
    expect(screen).to.contain('batch incomplete: 2 of 3 videos done, 1 failed');

    // A pipe: the summary only.
    const piped = await cli(batch('pipe'));
    expect(piped.code).to.equal(1);
    expect(piped.stderr).to.not.contain('batch: ');
    expect(piped.stderr).to.contain('batch incomplete: 2 of 3 videos done, 1 failed');
    expect(piped.stdout).to.equal('');

    // --progress into a pipe: plain lines (no terminal control), the last one the final counts.
    const forced = await cli(batch('forced', '--progress'));
    expect(forced.stderr).to.not.contain('\x1b[');
    expect(forced.stderr.split('\n')).to.include(final);

    // --quiet and --no-progress on a terminal: no progress line.
    for (const flag of ['--quiet', '--no-progress']) {
      const quiet = [process.execPath, '--import', 'tsx', MAIN, ...batch(`quiet${flag}`, flag)].map(quote).join(' ');
      const text = (await run('script', ['-qfec', quiet, '/dev/null'], env)).stdout;
      expect(text, flag).to.not.contain('batch: ');
      expect(text, flag).to.contain('batch incomplete: 2 of 3 videos done, 1 failed');
    }
  });

  for (const [label, args] of [
    ['detections', ['detections', '--output', '/dev/null']],
    ['tracks', ['tracks']],
    ['windows', ['windows', '--size', '10000']],
  ] as const) {
    it(`${label}: a progress line on a terminal, none through a pipe (stdout carries only data)`, async () => {
      const screen = await underTerminal([...args, '--job-id', jobId]);
      expect(screen).to.match(new RegExp(`${label} \\[[█░]+\\] +100% of the video · \\d+ pages · [\\d,]+ detections`));
      const piped = await run(process.execPath, ['--import', 'tsx', MAIN, ...args, '--job-id', jobId], env);
      expect(piped.code).to.equal(0);
      expect(piped.stderr).to.equal('');
      expect(piped.stdout).to.not.contain('of the video');
    });
  }
});

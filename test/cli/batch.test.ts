import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/log/RequestLog.js';
import { captureCli } from '../helpers/captureCli.js';
import { listFiles } from '../helpers/listFiles.js';
import { awsEnv, cliProcessEnv, runCliProcess, setEnv } from '../helpers/testEnv.js';

const envFor = (emu: Emulator) => cliProcessEnv(emu.endpoint);
const runCli = runCliProcess;

/** Runs `work` with the AWS variables of a run against `emu` set in this process (restored afterwards). */
async function withEnv<T>(emu: Emulator, work: () => Promise<T>): Promise<T> {
  const restore = setEnv(awsEnv(emu.endpoint));
  try {
    return await work();
  } finally {
    restore();
  }
}

const VIDEOS = [
  '# a comment, then a blank line',
  '',
  's3://media-a/lobby/preset=meeting,duration=90s.mp4',
  's3://media-a/street/preset=walkers,duration=60s.mp4',
  's3://media-b/show/preset=edited,duration=2m.mp4',
  's3://media-b/desk/preset=interview,duration=70s.mp4',
  's3://media-a/hall/preset=meeting,people=8,duration=45s.mp4',
];
const VIDEO_COUNT = 5;
const ARGS = ['--max-concurrent-jobs', '2', '--max-results', '150', '--poll-interval', '50ms', '--face-attributes', 'ALL'];

describe('cli: face-stream batch', function () {
  this.timeout(120_000);
  let work: string;
  let videosFile: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'batch-'));
    videosFile = join(work, 'videos.txt');
    writeFileSync(videosFile, `${VIDEOS.join('\n')}\n`);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('kill -9 mid-batch, then the same command again: one job per video, outputs identical to a clean run', async () => {
    // The clean reference run (in-process: only the killed runs need a real process).
    const clean = await startEmulator({ seed: 3, processingTimeMs: 150 });
    const reference = join(work, 'reference');
    try {
      const run = await withEnv(clean, () => captureCli('batch', '--videos', videosFile, '--out', reference, ...ARGS));
      expect(run.stderr).to.contain('batch done: 5 videos');
      expect(run.code).to.equal(0);
    } finally {
      await clean.close();
    }
    const expectedFiles = listFiles(reference);
    expect(expectedFiles).to.have.length(VIDEO_COUNT);
    expect(expectedFiles.every((f) => f.endsWith('.ndjson'))).to.equal(true);

    // Same emulator content (same seed), killed at several points.
    let pagesRead = 0;
    let killAt = Infinity;
    let kill: (() => void) | undefined;
    const emu = await startEmulator({
      seed: 3,
      processingTimeMs: 150,
      onRequest: (entry: RequestLogEntry) => {
        if (entry.operation === 'GetFaceDetection' && entry.detections > 1) pagesRead++;
        if (pagesRead >= killAt && kill) {
          kill();
          kill = undefined;
        }
      },
    });
    const out = join(work, 'killed');
    try {
      const kills = [2, 9];
      let interrupted = 0;
      let resumedMidVideo = 0;
      for (const at of kills) {
        killAt = pagesRead + at;
        const run = await runCli(['batch', '--videos', videosFile, '--out', out, ...ARGS], envFor(emu), (k) => (kill = k));
        if (run.signal === 'SIGKILL') {
          interrupted++;
          // Killed mid-video: a partial file with data and a checkpointed state to resume from.
          const partials = listFiles(out).filter((f) => f.endsWith('.ndjson.partial') && statSync(join(out, f)).size > 0);
          if (partials.some((f) => readFileSync(join(out, f.replace(/\.partial$/, '.state')), 'utf8').includes('"checkpoint"'))) resumedMidVideo++;
        }
        else expect(run.code).to.equal(0); // finished before the kill point
        // Whatever the moment of the kill: the only *.ndjson files are complete ones.
        for (const file of listFiles(out).filter((f) => f.endsWith('.ndjson'))) {
          expect(readFileSync(join(out, file), 'utf8')).to.equal(readFileSync(join(reference, file), 'utf8'));
        }
      }
      expect(interrupted).to.be.greaterThan(0);
      expect(resumedMidVideo).to.be.greaterThan(0);
      killAt = Infinity;
      const final = await runCli(['batch', '--videos', videosFile, '--out', out, ...ARGS], envFor(emu));
      expect(final.code, final.stderr).to.equal(0);
      // One job per video over all the runs, and byte-identical outputs with nothing left over.
      expect(emu.jobs()).to.have.length(VIDEO_COUNT);
      expect(listFiles(out)).to.deep.equal(expectedFiles);
      for (const file of expectedFiles) {
        expect(readFileSync(join(out, file), 'utf8')).to.equal(readFileSync(join(reference, file), 'utf8'));
      }
      // The default order was by size: every video's HeadObject before its Start.
      expect(emu.counters().byOperation['HeadObject']).to.be.at.least(VIDEO_COUNT);
      // A further rerun sends no request at all.
      const before = emu.counters().requests;
      const again = await withEnv(emu, () => captureCli('batch', '--videos', videosFile, '--out', out, ...ARGS));
      expect(again.code).to.equal(0);
      expect(again.stderr).to.contain('5 already complete');
      expect(emu.counters().requests).to.equal(before);
    } finally {
      await emu.close();
    }
  });

  describe('in-process', () => {
    let emu: Emulator;
    let restoreEnv = () => {};
    beforeEach(async () => {
      emu = await startEmulator({ seed: 4, processingTimeMs: 0 });
      restoreEnv = setEnv(awsEnv(emu.endpoint));
    });
    afterEach(async () => {
      restoreEnv();
      await emu.close();
    });

    it('bad lines in FILE: one message per line naming it, exit 2, no request sent', async () => {
      const file = join(work, 'bad.txt');
      writeFileSync(file, ['s3://media-a/ok.mp4', 'http://media-a/x.mp4', 's3://ab/short-bucket.mp4', 's3://media-a/a/../b.mp4', 's3://media-a/ok.mp4'].join('\n'));
      const run = await captureCli('batch', '--videos', file, '--out', join(work, 'bad-out'));
      expect(run.code).to.equal(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines[0]).to.contain(`${file} line 2:`).and.contain('s3://bucket/key');
      expect(lines[1]).to.contain('line 3:').and.contain('bucket');
      expect(lines[2]).to.contain('line 4:').and.contain('".."');
      expect(lines[3]).to.contain('line 5:').and.contain('duplicate of line 1');
      expect(lines[4]).to.contain('no request was sent');
      expect(emu.counters().requests).to.equal(0);
    });

    it('--tracks and --windows: <key>.tracks.jsonl and <key>.windows.csv beside each <key>.ndjson, equal to the tracks/windows commands on it; a rerun adds missing ones', async () => {
      const file = join(work, 'derived.txt');
      writeFileSync(file, 's3://media-a/d1/preset=meeting,duration=30s.mp4\ns3://media-b/d2/preset=walkers,duration=20s.mp4\n');
      const out = join(work, 'derived-out');
      const bad = await captureCli('batch', '--videos', file, '--out', out, '--tracks=--min-hits nope');
      expect(bad.code, bad.stderr).to.equal(1);
      expect(bad.stderr).to.contain('--min-hits');
      expect(emu.counters().requests).to.equal(0);
      const reserved = await captureCli('batch', '--videos', file, '--out', out, '--windows', '--size 1000 --output x');
      expect(reserved.code).to.equal(1);
      expect(reserved.stderr).to.contain('--windows');

      const run = await captureCli('batch', '--videos', file, '--out', out, '--poll-interval', '10ms', '--tracks=--min-hits 2', '--windows', '--size 5000 --aggregate count,confidence --format csv');
      expect(run.code, run.stderr).to.equal(0);
      const base = ['media-a/d1/preset=meeting,duration=30s.mp4', 'media-b/d2/preset=walkers,duration=20s.mp4'];
      expect(listFiles(out)).to.deep.equal(base.flatMap((b) => [`${b}.ndjson`, `${b}.tracks.jsonl`, `${b}.windows.csv`]).sort());
      for (const b of base) {
        const input = join(out, `${b}.ndjson`);
        const tracks = await captureCli('tracks', '--input', input, '--min-hits', '2');
        const windows = await captureCli('windows', '--input', input, '--size', '5000', '--aggregate', 'count,confidence', '--format', 'csv');
        expect(tracks.stdout.length).to.be.greaterThan(0);
        expect(readFileSync(join(out, `${b}.tracks.jsonl`), 'utf8'), b).to.equal(tracks.stdout);
        expect(readFileSync(join(out, `${b}.windows.csv`), 'utf8'), b).to.equal(windows.stdout);
      }
      // A finished batch run again with --tracks only for missing files: nothing requested, nothing rewritten.
      rmSync(join(out, `${base[0]}.tracks.jsonl`));
      const requests = emu.counters().requests;
      const again = await captureCli('batch', '--videos', file, '--out', out, '--tracks=--min-hits 2');
      expect(again.code, again.stderr).to.equal(0);
      expect(emu.counters().requests).to.equal(requests);
      expect(listFiles(out)).to.include(`${base[0]}.tracks.jsonl`);
    });

    it('--max-poll-interval below --poll-interval: a one-line error naming it, no request', async () => {
      const file = join(work, 'poll.txt');
      writeFileSync(file, 's3://media-a/p1.mp4\n');
      const run = await captureCli('batch', '--videos', file, '--out', join(work, 'poll-out'), '--poll-interval', '1s', '--max-poll-interval', '500ms');
      expect(run.code).to.equal(1);
      expect(run.stderr.trim().split('\n')).to.have.length(1);
      expect(run.stderr).to.contain('--max-poll-interval');
      expect(emu.counters().requests).to.equal(0);
    });

    it('a FAILED job and an object the service refuses: exit 1, a summary naming the lines; the others complete', async () => {
      const file = join(work, 'mixed.txt');
      writeFileSync(file, ['s3://media-a/ok1.mp4', 's3://media-a/broken/fail=1.mp4', 's3://media-a/preset=nope.mp4', 's3://media-a/ok2/duration=10s.mp4'].join('\n'));
      const out = join(work, 'mixed-out');
      const run = await captureCli('batch', '--videos', file, '--out', out, '--poll-interval', '10ms');
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/line 2 s3:\/\/media-a\/broken\/fail=1\.mp4: FAILED: Rekognition job \w+ failed/);
      expect(run.stderr).to.match(/line 3 s3:\/\/media-a\/preset=nope\.mp4: FAILED: Could not start face detection on s3:\/\/media-a\/preset=nope\.mp4: InvalidS3ObjectException/);
      expect(run.stderr).to.contain('2 of 4 videos done, 2 failed');
      expect(listFiles(out).filter((f) => f.endsWith('.ndjson'))).to.deep.equal(['media-a/ok1.mp4.ndjson', 'media-a/ok2/duration=10s.mp4.ndjson']);
      expect(run.stdout).to.equal('');
    });

    it('--sqs-queue-url/--sns-topic-arn/--role-arn: completion by notification; the three go together', async () => {
      const topic = 'arn:aws:sns:us-east-1:123456789012:AmazonRekognitionCli';
      emu.subscribe(topic, 'cli-jobs');
      const file = join(work, 'sqs.txt');
      writeFileSync(file, 's3://media-a/n1/duration=20s.mp4\ns3://media-a/n2/duration=30s.mp4\n');
      const out = join(work, 'sqs-out');
      const role = 'arn:aws:iam::123456789012:role/RekognitionSNS';
      const run = await captureCli('batch', '--videos', file, '--out', out, '--sqs-queue-url', emu.queueUrl('cli-jobs'), '--sns-topic-arn', topic, '--role-arn', role);
      expect(run.code, run.stderr).to.equal(0);
      expect(listFiles(out).filter((f) => f.endsWith('.ndjson'))).to.have.length(2);
      // Both jobs published to the topic and the CLI consumed (deleted) both notifications (with SQS the first
      // status poll would come only after 60 s: the test finishing at once shows the notifications were used).
      expect(emu.notifications()).to.have.length(2);
      expect(emu.queueMessages('cli-jobs')).to.deep.equal([]);
      const partial = await captureCli('batch', '--videos', file, '--out', join(work, 'x'), '--sqs-queue-url', emu.queueUrl('cli-jobs'));
      expect(partial.code).to.equal(1);
      expect(partial.stderr).to.contain('--sqs-queue-url').and.contain('--sns-topic-arn and --role-arn');
    });

    it('--order size (the default) starts the largest videos first (HeadObject sizes); --order input keeps FILE order and sends no HeadObject', async () => {
      const seconds = [4, 120, 12, 40, 1];
      const names = seconds.map((d, i) => `ord/v${i}/duration=${d}s.mp4`);
      const file = join(work, 'order.txt');
      writeFileSync(file, names.map((n) => `s3://media-a/${n}`).join('\n'));
      const startOrder = (from: number) =>
        emu
          .requests()
          .filter((r) => r.seq > from && r.operation === 'StartFaceDetection' && r.status === 200)
          .map((r) => names.indexOf(emu.jobs().find((j) => j.jobId === r.jobId)!.name));
      const runWith = async (out: string, ...extra: string[]) => {
        const from = emu.requests().at(-1)?.seq ?? 0;
        const heads = emu.counters().byOperation['HeadObject'] ?? 0;
        // One job at a time: the Starts reach the emulator in the order the batch chose.
        const run = await captureCli('batch', '--videos', file, '--out', join(work, out), '--max-concurrent-jobs', '1', '--poll-interval', '10ms', ...extra);
        expect(run.code, run.stderr).to.equal(0);
        return { order: startOrder(from), heads: (emu.counters().byOperation['HeadObject'] ?? 0) - heads, stderr: run.stderr };
      };
      const bySize = await runWith('order-default');
      expect(bySize.order).to.deep.equal([1, 3, 2, 0, 4]);
      expect(bySize.heads).to.equal(names.length);
      expect(bySize.stderr).to.not.contain('HeadObject');
      const input = await runWith('order-input', '--order', 'input');
      expect(input.order).to.deep.equal([0, 1, 2, 3, 4]);
      expect(input.heads).to.equal(0);
      expect((await runWith('order-size', '--order', 'size')).order).to.deep.equal([1, 3, 2, 0, 4]);
      // S3 unreachable: sizes unknown, one line on stderr, and the batch completes (in FILE order, unknown sizes being equal).
      const restore = setEnv({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' });
      try {
        const unreachable = await runWith('order-unreachable');
        expect(unreachable.order).to.deep.equal([0, 1, 2, 3, 4]);
        expect(unreachable.stderr.match(/cannot read the size/g)).to.have.length(1);
      } finally {
        restore();
      }
      const bad = await captureCli('batch', '--videos', file, '--out', join(work, 'order-bad'), '--order', 'random');
      expect(bad.code).to.not.equal(0);
      expect(bad.stderr).to.contain('--order');
    });

    it('without @aws-sdk/client-s3 (an optional peer): FILE order with one line saying how to enable sizes; --order size is an error', async () => {
      const names = [4, 120, 12].map((d, i) => `noS3/v${i}/duration=${d}s.mp4`);
      const file = join(work, 'no-s3.txt');
      writeFileSync(file, names.map((n) => `s3://media-a/${n}`).join('\n'));
      const hide = [new URL('../helpers/withoutS3Client.mjs', import.meta.url).href];
      const from = emu.requests().at(-1)?.seq ?? 0;
      const heads = emu.counters().byOperation['HeadObject'] ?? 0;
      const args = ['batch', '--videos', file, '--max-concurrent-jobs', '1', '--poll-interval', '10ms'];
      const run = await runCliProcess([...args, '--out', join(work, 'no-s3')], envFor(emu), undefined, hide);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.contain('videos start in FILE order: npm install @aws-sdk/client-s3');
      const started = emu
        .requests()
        .filter((r) => r.seq > from && r.operation === 'StartFaceDetection' && r.status === 200)
        .map((r) => names.indexOf(emu.jobs().find((j) => j.jobId === r.jobId)!.name));
      expect(started).to.deep.equal([0, 1, 2]);
      expect((emu.counters().byOperation['HeadObject'] ?? 0) - heads).to.equal(0);
      const size = await runCliProcess([...args, '--out', join(work, 'no-s3-size'), '--order', 'size'], envFor(emu), undefined, hide);
      expect(size.code).to.not.equal(0);
      expect(size.stderr).to.contain('--order').and.contain('npm install @aws-sdk/client-s3');
      const sizeOut = join(work, 'no-s3-size');
      expect(existsSync(sizeOut) ? listFiles(sizeOut) : []).to.deep.equal([]); // refused before any work
    });

    it('start prints only the JobId; the same command again prints the same JobId (no second job); --wait waits', async () => {
      const first = await captureCli('start', '--video', 's3://media-a/one.mp4');
      expect(first.code).to.equal(0);
      expect(first.stdout).to.match(/^[0-9a-f]{64}\n$/);
      const second = await captureCli('start', '--video', 's3://media-a/one.mp4', '--wait', '--poll-interval', '10ms');
      expect(second.code, second.stderr).to.equal(0);
      expect(second.stdout).to.equal(first.stdout);
      expect(emu.jobs()).to.have.length(1);
      const other = await captureCli('start', '--video', 's3://media-a/one.mp4', '--face-attributes', 'ALL');
      expect(other.stdout).to.not.equal(first.stdout);
      const failed = await captureCli('start', '--video', 's3://media-a/x/fail=1.mp4', '--wait', '--poll-interval', '10ms');
      expect(failed.code).to.equal(1);
      expect(failed.stdout).to.match(/^[0-9a-f]{64}\n$/);
      expect(failed.stderr).to.contain('failed');
      const bad = await captureCli('start', '--video', 'media-a/one.mp4');
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.contain('`video`').and.contain('s3://bucket/key');
    });
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { ReportModel } from '../../src/report/ReportModel.js';
import { captureCli } from '../helpers/captureCli.js';
import { awsEnv, setEnv } from '../helpers/testEnv.js';

/** The embedded data of a report file (single or batch). */
function embedded<T>(path: string, id: string): T {
  const html = readFileSync(path, 'utf8');
  const json = new RegExp(`<script type="application/json" id="${id}"[^>]*>([\\s\\S]*?)</script>`).exec(html)![1]!;
  return JSON.parse(json) as T;
}

interface BatchData {
  states: string[];
  videos: {
    uri: string[];
    state: number[];
    error: string[];
    detections: number[];
    tracks: number[];
    screenTimeMs: number[];
    durationMs: number[];
    detail: number[];
  };
}

describe('cli: face-stream report --batch DIR (a real `face-stream batch` output)', function () {
  this.timeout(120_000);
  let work: string;
  let emu: Emulator;
  let restoreEnv = (): void => undefined;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'report-batch-'));
    emu = await startEmulator({ seed: 5, processingTimeMs: 0 });
    restoreEnv = setEnv(awsEnv(emu.endpoint));
  });
  after(async () => {
    restoreEnv();
    await emu?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('one row per video with its state (done, failed with the reason, incomplete) and the same numbers as report --input', async () => {
    const videos = join(work, 'videos.txt');
    writeFileSync(
      videos,
      [
        's3://media-a/lobby/preset=meeting,duration=40s.mp4',
        's3://media-a/broken/fail=1.mp4',
        's3://media-a/preset=nope.mp4',
        's3://media-b/street/preset=walkers,duration=30s.mp4',
      ].join('\n'),
    );
    const out = join(work, 'out');
    const batch = await captureCli('batch', '--videos', videos, '--out', out, '--poll-interval', '10ms', '--face-attributes', 'ALL');
    expect(batch.code, batch.stderr).to.equal(1); // two videos fail
    // A video the batch started but never finished (an interrupted run): a state file only.
    mkdirSync(join(out, 'media-b', 'later'), { recursive: true });
    writeFileSync(join(out, 'media-b', 'later', 'x.mp4.ndjson.state'), `${JSON.stringify({ v: 1, video: 's3://media-b/later/x.mp4', clientRequestToken: 'fs1-x' })}\n`);

    const html = join(work, 'batch.html');
    const run = await captureCli('report', '--batch', out, '--out', html, '--title', 'the batch');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/report written to/);
    const data = embedded<BatchData>(html, 'batch-data');
    const v = data.videos;
    const row = (uri: string) => v.uri.indexOf(uri);
    expect(v.uri).to.deep.equal([
      's3://media-a/broken/fail=1.mp4',
      's3://media-a/lobby/preset=meeting,duration=40s.mp4',
      's3://media-a/preset=nope.mp4',
      's3://media-b/later/x.mp4',
      's3://media-b/street/preset=walkers,duration=30s.mp4',
    ]);
    const state = (uri: string) => data.states[v.state[row(uri)]!];
    expect(state('s3://media-a/broken/fail=1.mp4')).to.equal('failed');
    expect(v.error[row('s3://media-a/broken/fail=1.mp4')]).to.match(/Rekognition job \w+ failed/);
    expect(state('s3://media-a/preset=nope.mp4')).to.equal('failed');
    expect(v.error[row('s3://media-a/preset=nope.mp4')]).to.contain('InvalidS3ObjectException');
    expect(state('s3://media-b/later/x.mp4')).to.equal('incomplete');
    expect(v.error[row('s3://media-b/later/x.mp4')]).to.equal('');

    // Each done video: the same detections, tracks and screen time as its own report from the file.
    for (const [uri, file] of [
      ['s3://media-a/lobby/preset=meeting,duration=40s.mp4', join(out, 'media-a', 'lobby', 'preset=meeting,duration=40s.mp4.ndjson')],
      ['s3://media-b/street/preset=walkers,duration=30s.mp4', join(out, 'media-b', 'street', 'preset=walkers,duration=30s.mp4.ndjson')],
    ] as const) {
      expect(state(uri)).to.equal('done');
      const lines = readFileSync(file, 'utf8').trim().split('\n').length;
      const single = join(work, 'single.html');
      const one = await captureCli('report', '--input', file, '--out', single);
      expect(one.code, one.stderr).to.equal(0);
      const model = embedded<Omit<ReportModel, 'tracks'> & { trackColumns: { trackId: number[]; screenTimeMs: number[] } }>(single, 'report-data');
      const i = row(uri);
      expect(v.detections[i]).to.equal(lines).and.equal(model.detections).and.be.greaterThan(0);
      expect(v.tracks[i]).to.equal(model.trackColumns.trackId.length).and.be.greaterThan(0);
      expect(v.screenTimeMs[i]).to.equal(model.trackColumns.screenTimeMs.reduce((a, b) => a + b, 0));
      expect(v.detail[i]).to.be.at.least(0);
      // Its full report is embedded and is that report's data.
      const detailHtml = embedded<string>(html, `video-report-${v.detail[i]}`);
      const detail = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(detailHtml)![1]!) as { detections: number; trackColumns: { trackId: number[] } };
      expect(detail.detections).to.equal(model.detections);
      expect(detail.trackColumns.trackId).to.deep.equal(model.trackColumns.trackId);
    }
    const page = readFileSync(html, 'utf8');
    expect(page).to.contain('<title>Faces in the batch</title>');
    expect(page).to.contain('5: 2 done, 2 failed, 1 incomplete');
  });

  it('a failure is recorded in the video state file (beside the token, for the rerun) and shown as failed', async () => {
    const videos = join(work, 'retry.txt');
    writeFileSync(videos, 's3://media-a/retry/fail=1.mp4\n');
    const out = join(work, 'retry-out');
    expect((await captureCli('batch', '--videos', videos, '--out', out, '--poll-interval', '10ms')).code).to.equal(1);
    const statePath = join(out, 'media-a', 'retry', 'fail=1.mp4.ndjson.state');
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).to.have.property('failed').that.matches(/failed/);
    const html = join(work, 'retry.html');
    expect((await captureCli('report', '--batch', out, '--out', html)).code).to.equal(0);
    const data = embedded<BatchData>(html, 'batch-data');
    expect(data.states[data.videos.state[0]!]).to.equal('failed');
  });

  it('bad use: --batch with --input, with --gt, a directory without videos: one-line errors naming the flag', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    const html = join(work, 'never.html');
    const both = await captureCli('report', '--batch', empty, '--input', 'x.ndjson', '--out', html);
    expect(both.code).to.equal(1);
    expect(both.stderr).to.contain('--batch');
    const gt = await captureCli('report', '--batch', empty, '--gt', 'gt.txt', '--out', html);
    expect(gt.code).to.equal(1);
    expect(gt.stderr).to.contain('--gt');
    const none = await captureCli('report', '--batch', empty, '--out', html);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.contain('--batch').and.contain('face-stream batch');
    const missing = await captureCli('report', '--batch', join(work, 'no-such-dir'), '--out', html);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('--batch').and.contain('readable directory');
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { launchChromium } from '../helpers/browser.js';
import { captureCli } from '../helpers/captureCli.js';
import { awsEnv, setEnv } from '../helpers/testEnv.js';

interface BatchData {
  states: string[];
  videos: { uri: string[]; state: number[]; error: string[]; detections: number[]; tracks: number[]; detail: number[] };
}

/** The embedded JSON of the element with this id. */
function embedded<T>(html: string, id: string): T {
  return JSON.parse(new RegExp(`<script type="application/json" id="${id}"[^>]*>([\\s\\S]*?)</script>`).exec(html)![1]!) as T;
}

describe('report --batch: the HTML file in a real browser (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let emu: Emulator;
  let dir: string;
  let restoreEnv = (): void => undefined;

  before(async function () {
    browser = await launchChromium(this);
    emu = await startEmulator({ seed: 6, processingTimeMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'batch-report-'));
    restoreEnv = setEnv(awsEnv(emu.endpoint));
  });
  after(async () => {
    restoreEnv();
    await browser?.close();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens offline with no request and no error; one row per video; each video report in its frame (lanes = tracks, per-second sum = detections, tooltip)', async () => {
    const videos = join(dir, 'videos.txt');
    writeFileSync(
      videos,
      ['s3://media-a/street/preset=walkers,duration=90s.mp4', 's3://media-a/x/fail=1.mp4', 's3://media-b/desk/preset=interview,duration=40s.mp4'].join('\n'),
    );
    const out = join(dir, 'out');
    const batch = await captureCli('batch', '--videos', videos, '--out', out, '--poll-interval', '10ms', '--face-attributes', 'ALL');
    expect(batch.code).to.equal(1);
    const path = join(dir, 'batch.html');
    const run = await captureCli('report', '--batch', out, '--out', path);
    expect(run.code, run.stderr).to.equal(0);
    const html = readFileSync(path, 'utf8');
    const data = embedded<BatchData>(html, 'batch-data');
    const reports = data.videos.detail.map((d) => (d < 0 ? undefined : embedded<string>(html, `video-report-${d}`)));

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    const url = pathToFileURL(path).href;
    page.on('request', (r) => {
      if (r.url() !== url && r.url() !== 'about:srcdoc') requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });

    // The overview: one row per video, the failed one with its reason.
    expect(await page.locator('#video-table tbody tr').count()).to.equal(3);
    const failedRow = page.locator('#video-table tbody tr[data-video="s3://media-a/x/fail=1.mp4"]');
    expect(await failedRow.locator('td.state-failed').textContent()).to.equal('failed');
    expect(await failedRow.locator('.error').textContent()).to.match(/^Rekognition job \w+ failed/);
    expect(await page.locator('dd[data-field="videos"]').textContent()).to.equal('3: 2 done, 1 failed, 0 incomplete');

    // Each done video's report, shown in the frame: its lanes, per-second total and a tooltip.
    const frame = page.frameLocator('#video-frame');
    for (const [i, uri] of data.videos.uri.entries()) {
      const report = reports[i];
      if (report === undefined) continue;
      await page.locator(`#video-table tbody tr[data-video="${uri}"] button`).click();
      const model = embedded<{ detections: number; trackColumns: { trackId: number[] } }>(report, 'report-data');
      expect(model.detections).to.equal(data.videos.detections[i]).and.be.greaterThan(0);
      await frame.locator(`h1:text-is("Faces in ${uri.split('/').slice(3).join('/')}")`).waitFor();
      expect(await frame.locator('svg.swimlanes .lane').count()).to.equal(data.videos.tracks[i]).and.equal(model.trackColumns.trackId.length);
      expect(Number(await frame.locator('svg.per-second').getAttribute('data-total'))).to.equal(data.videos.detections[i]);
      const first = model.trackColumns.trackId[0]!;
      await frame.locator(`.lane[data-track="${first}"]`).hover({ force: true });
      expect(await frame.locator('#tooltip').textContent()).to.contain(`Track ${first}`);
      expect(await page.locator('#video-select').inputValue()).to.equal(String(data.videos.detail[i]));
    }
    // The selector switches too.
    await page.selectOption('#video-select', '0');
    const firstUri = data.videos.uri[data.videos.detail.indexOf(0)]!;
    await frame.locator(`h1:text-is("Faces in ${firstUri.split('/').slice(3).join('/')}")`).waitFor();

    // Sorting the overview by detections, descending on the second click.
    await page.click('#video-table th[data-column="2"]');
    await page.click('#video-table th[data-column="2"]');
    const top = await page.locator('#video-table tbody tr').first().getAttribute('data-video');
    expect(data.videos.detections[data.videos.uri.indexOf(top!)]).to.equal(Math.max(...data.videos.detections));

    const png = join(dir, 'batch.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(statSync(png).size).to.be.greaterThan(10_000);
    expect(requests).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});

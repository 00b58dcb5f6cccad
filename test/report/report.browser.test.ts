import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { ReportBuilder } from '../../src/report/ReportBuilder.js';
import type { ReportModel, ReportTrack } from '../../src/report/ReportModel.js';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import type { TrackColumns } from '../../src/report/renderReportHtml.js';
import { launchChromium } from '../helpers/browser.js';
import { captureCli } from '../helpers/captureCli.js';
import { fixtureDetection, fixtureTrack } from '../helpers/reportTracks.js';
import { setEnv } from '../helpers/testEnv.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';

/** The computed fill of an element (runs in the page). */
const fillOf = (el: unknown): string => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(el).fill;

describe('report: the HTML file in a real browser (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let t: TestEmulator;
  let dir: string;
  let restoreEnv = (): void => undefined;

  before(async function () {
    browser = await launchChromium(this);
    t = await startTestEmulator({ seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'report-'));
    restoreEnv = setEnv({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey });
  });
  after(async () => {
    restoreEnv();
    await browser?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the report of a fresh job with the CLI and returns its path and embedded model. */
  type Embedded = Omit<ReportModel, 'tracks'> & { tracks: Pick<ReportTrack, 'trackId' | 'detections' | 'meanConfidence' | 'screenTimeMs'>[] };

  async function report(name: string, attributes: 'DEFAULT' | 'ALL'): Promise<{ path: string; model: Embedded }> {
    const jobId = await t.startJob(name, { FaceAttributes: attributes });
    const path = join(dir, `${attributes}.html`);
    const run = await captureCli('report', '--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1', '--out', path);
    expect(run.stderr).to.match(/report written to/);
    expect(run.code).to.equal(0);
    const html = readFileSync(path, 'utf8');
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(json) as Omit<ReportModel, 'tracks'> & { trackColumns: TrackColumns };
    const c = data.trackColumns;
    const tracks = c.trackId.map((trackId, i) => ({
      trackId,
      detections: c.detections[i]!,
      meanConfidence: c.meanConfidence[i]!,
      screenTimeMs: c.screenTimeMs[i]!,
    }));
    return { path, model: { ...data, tracks } };
  }

  /** Opens `path` from disk; collects every request other than the file itself, and every console error. */
  async function open(path: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    const url = pathToFileURL(path).href;
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests, errors };
  }

  it('opens offline with no request and no error; one swimlane per track; the per-second chart sums to the detections; tooltips', async () => {
    const { path, model } = await report('preset=walkers,duration=2m.mp4', 'ALL');
    expect(model.tracks.length).to.be.greaterThan(3);
    expect(model.attributes).to.equal('ALL');
    const { page, requests, errors } = await open(path);
    expect(requests).to.deep.equal([]);
    expect(errors).to.deep.equal([]);

    expect(await page.locator('svg.swimlanes .lane').count()).to.equal(model.tracks.length);
    expect(await page.locator('#track-table tbody tr').count()).to.equal(model.tracks.length);
    const shown = await page.locator('dd[data-field="detections"]').textContent();
    expect(Number(shown!.replace(/,/g, ''))).to.equal(model.detections);
    const chartTotal = await page.locator('svg.per-second').getAttribute('data-total');
    expect(Number(chartTotal)).to.equal(model.detections);
    expect(model.perSecond.counts.reduce((a, b) => a + b, 0)).to.equal(model.detections);
    expect(await page.locator('svg.emotions rect').count()).to.be.greaterThan(0);

    // Hover the first track's bar: the tooltip names the track and its summary.
    const first = model.tracks[0]!;
    await page.locator(`.lane[data-track="${first.trackId}"]`).hover({ force: true });
    const tip = page.locator('#tooltip');
    expect(await tip.isVisible()).to.equal(true);
    const text = (await tip.textContent())!;
    expect(text).to.contain(`Track ${first.trackId}`);
    expect(text).to.contain(`${first.detections} detections`);
    // Lanes are hit-tested by row: hovering another lane names that track, and its row is highlighted.
    const last = model.tracks.at(-1)!;
    await page.locator(`.lane[data-track="${last.trackId}"]`).hover({ force: true });
    expect(await tip.textContent()).to.contain(`Track ${last.trackId}\n`);
    expect(await page.locator('.lane.active').getAttribute('data-track')).to.equal(String(last.trackId));
    expect(await page.locator('.lane-highlight').getAttribute('y')).to.equal(
      /translate\(0,([\d.]+)\)/.exec((await page.locator(`.lane[data-track="${last.trackId}"]`).getAttribute('transform'))!)![1],
    );

    // Sorting by screen time puts the longest-on-screen track on top; the confidence filter hides lanes and rows.
    await page.selectOption('#sort', 'screen');
    const longest = [...model.tracks].sort((a, b) => b.screenTimeMs - a.screenTimeMs || a.trackId - b.trackId)[0]!;
    expect(await page.locator(`.lane[data-track="${longest.trackId}"]`).getAttribute('transform')).to.equal('translate(0,2)');
    const threshold = Math.max(...model.tracks.map((x) => x.meanConfidence));
    await page.fill('#min-confidence', String(Math.floor(threshold)));
    const visible = model.tracks.filter((x) => x.meanConfidence >= Math.floor(threshold)).length;
    expect(await page.locator('svg.swimlanes .lane:not(.hidden)').count()).to.equal(visible);
    expect(await page.locator('#track-table tbody tr').count()).to.equal(visible);

    // Colouring by gender changes the bars' fill.
    const bar = page.locator(`.lane[data-track="${first.trackId}"]`);
    const before = await bar.evaluate(fillOf);
    await page.selectOption('#colour', 'gender');
    const after = await bar.evaluate(fillOf);
    expect(after).to.not.equal(before);

    // Sorting the table by detections (descending on the second click).
    await page.click('#track-table th[data-column="4"]');
    await page.click('#track-table th[data-column="4"]');
    await page.fill('#min-confidence', '0');
    const firstRow = await page.locator('#track-table tbody tr').first().getAttribute('data-track');
    const most = [...model.tracks].sort((a, b) => b.detections - a.detections)[0]!;
    expect(model.tracks.find((x) => String(x.trackId) === firstRow)!.detections).to.equal(most.detections);

    const png = join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(statSync(png).size).to.be.greaterThan(10_000);
    expect(errors).to.deep.equal([]);
    await page.close();
  });

  it('a DEFAULT job says that attributes need FaceAttributes ALL, and still draws tracks and charts', async () => {
    const { path, model } = await report('preset=meeting,duration=30s.mp4', 'DEFAULT');
    expect(model.attributes).to.equal('DEFAULT');
    const { page, requests, errors } = await open(path);
    expect(requests).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(await page.locator('.note').first().textContent()).to.contain('FaceAttributes: ALL');
    expect(await page.locator('svg.swimlanes .lane').count()).to.equal(model.tracks.length);
    expect(await page.locator('svg.emotions').count()).to.equal(0);
    await page.close();
  });

  it('--gt adds the tracking-quality panel, with the metrics of `tracks --format mot` scored by `evaluate`', async () => {
    const jobId = await t.startJob('preset=walkers,duration=1m.mp4');
    const gt = join(dir, 'gt.txt');
    const pred = join(dir, 'pred.txt');
    writeFileSync(gt, t.emu.groundTruthMot(jobId));
    const common = ['--job-id', jobId, '--endpoint', t.emu.endpoint, '--region', 'us-east-1'];
    expect((await captureCli('tracks', ...common, '--format', 'mot', '--output', pred)).code).to.equal(0);
    const scored = await captureCli('evaluate', '--gt', gt, '--pred', pred, '--format', 'json');
    const expected = Object.values(JSON.parse(scored.stdout) as Record<string, { HOTA: number; IDF1: number; MOTA: number }>)[0]!;
    const path = join(dir, 'gt.html');
    const run = await captureCli('report', ...common, '--out', path, '--gt', gt);
    expect(run.code).to.equal(0);
    const html = readFileSync(path, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as ReportModel;
    expect(data.metrics!.HOTA).to.equal(expected.HOTA);
    expect(data.metrics!.IDF1).to.equal(expected.IDF1);
    expect(data.metrics!.MOTA).to.equal(expected.MOTA);
    const { page, requests, errors } = await open(path);
    expect(requests).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(await page.locator('#metrics dt').first().textContent()).to.equal('HOTA');
    expect(await page.locator('#metrics dd').first().textContent()).to.equal(`${(expected.HOTA * 100).toFixed(1).replace(/\.0$/, '')} %`);
    await page.close();
  });

  it('the track table renders one chunk of rows, the next as its end scrolls into view, and all on "show all"', async () => {
    const builder = new ReportBuilder();
    for (let k = 0; k < 350; k++) {
      const times = [k * 400, k * 400 + 200, k * 400 + 400];
      for (const time of times) builder.add(fixtureDetection(time));
      builder.addTrack(fixtureTrack(k + 1, times));
    }
    const path = join(dir, 'chunks.html');
    writeFileSync(path, renderReportHtml(builder.build({ title: 'chunks' })));
    const { page, requests, errors } = await open(path);
    expect(await page.locator('svg.swimlanes .lane').count()).to.equal(350);
    expect(await page.locator('#track-table tbody tr').count()).to.equal(100);
    await page.locator('.table-more').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('#track-table tbody tr').length === 200);
    await page.locator('#show-all').dispatchEvent('click'); // without scrolling to it (which would load the next chunk)
    expect(await page.locator('#track-table tbody tr').count()).to.equal(350);
    expect(await page.locator('.table-more').isHidden()).to.equal(true);
    expect(requests).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await page.close();
  });

  it('refuses --gt with --input but no frame size, before reading anything', async () => {
    const run = await captureCli('report', '--input', join(dir, 'missing.ndjson'), '--out', join(dir, 'x.html'), '--gt', join(dir, 'gt.txt'));
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/--frame-size/);
  });
});

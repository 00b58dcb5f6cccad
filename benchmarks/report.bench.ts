/**
 * The HTML report of a 6-hour job: file size and time to render in headless Chromium, for a calm scene (few
 * long tracks) and a busy one (thousands of short tracks). Baseline, in the same run: `face-stream detections`
 * writing the same job's detections as NDJSON (what the report summarises: its size, and the time of reading
 * the job without tracking or reporting). Goals (issue "See it"): ≤ 5 MB, renders in ≤ 2 s.
 *
 * Render time: from navigation start to the second animation frame after the load event (the page's script
 * has run and a frame with the charts has been produced), measured by the page's own clock; median of 5 loads.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { BENCH_CREDENTIALS, startEmulatorProcess } from './lib/emulatorProcess.js';
import { fmt, median, mib, ratio, table } from './lib/stats.js';
import type { Benchmark, BenchmarkContext } from './lib/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'src/cli/main.ts');

function cli(args: readonly string[], endpoint: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args, '--endpoint', endpoint, '--region', 'us-east-1'],
      {
        cwd: root,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`face-stream ${args[0]} failed: ${stderr || error.message}`)) : resolve(Number(process.hrtime.bigint() - started) / 1e6),
    );
  });
}

async function renderTimes(path: string, runs: number): Promise<{ ms: number; lanes: number; tracks: number }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const times: number[] = [];
    let lanes = 0;
    let tracks = 0;
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
      times.push(Number(await page.evaluate('new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))')));
      lanes = await page.locator('svg.swimlanes .lane').count();
      tracks = Number(await page.evaluate("JSON.parse(document.getElementById('report-data').textContent).trackColumns.trackId.length"));
      await page.close();
    }
    return { ms: median(times), lanes, tracks };
  } finally {
    await browser.close();
  }
}

const benchmark: Benchmark = {
  title: 'Report: a 6-hour job as one HTML file',
  order: 70,
  async run(ctx: BenchmarkContext) {
    const duration = ctx.quick ? '10m' : '6h';
    const scenes = [
      { label: 'calm: meeting, 12 people', name: `preset=meeting,people=12,duration=${duration}.mp4` },
      { label: 'busy: walkers (people cross the frame)', name: `preset=walkers,duration=${duration}.mp4` },
    ];
    const emu = await startEmulatorProcess();
    const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
    const rows: string[][] = [];
    try {
      for (const scene of scenes) {
        const jobId = await emu.startJob(scene.name);
        const ndjson = join(dir, 'detections.ndjson');
        const html = join(dir, 'report.html');
        const detectionsMs = await cli(['detections', '--job-id', jobId, '--output', ndjson], emu.endpoint);
        const reportMs = await cli(['report', '--job-id', jobId, '--out', html], emu.endpoint);
        const lines = await countLines(ndjson);
        const raw = statSync(ndjson).size;
        const size = statSync(html).size;
        const render = await renderTimes(html, ctx.quick ? 2 : 5);
        ctx.log(`${scene.label}: ${fmt(lines)} detections, ${fmt(render.tracks)} tracks, ${mib(size, 2)}, render ${fmt(render.ms)} ms`);
        rows.push([
          scene.label,
          fmt(lines),
          `${fmt(render.tracks)} (${fmt(render.lanes)} lanes)`,
          mib(raw, 0),
          mib(size, 2),
          ratio(size, raw, 3),
          `${fmt(render.ms)} ms`,
          `${fmt(detectionsMs / 1000, 1)} s`,
          `${fmt(reportMs / 1000, 1)} s`,
          ratio(reportMs, detectionsMs),
        ]);
      }
    } finally {
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return [
      `Two ${duration} synthetic jobs (DEFAULT attributes) read from the emulator (its own process) by the real CLI. "report" is`,
      '`face-stream report --job-id … --out report.html` (stream + tracker + report in one pass); the baseline is',
      '`face-stream detections --output file.ndjson` on the same job in the same run. Render: headless Chromium (Debian',
      'package), from navigation start to the second animation frame after `load`, median of several loads.',
      '',
      table(
        ['scene', 'detections', 'tracks', 'NDJSON (baseline)', 'report', 'vs NDJSON', 'render', 'detections run', 'report run', 'vs detections run'],
        rows,
      ),
      '',
      'Goals: report ≤ 5 MB and render ≤ 2 s for a 6-hour, 1M-detection job. Beyond 1,000 tracks the swimlanes draw the',
      '1,000 with the most screen time (every track stays in the table and the downloads).',
    ].join('\n');
  },
};

async function countLines(path: string): Promise<number> {
  const { createReadStream } = await import('node:fs');
  let n = 0;
  for await (const chunk of createReadStream(path)) for (const byte of chunk as Buffer) if (byte === 10) n++;
  return n;
}

export default benchmark;

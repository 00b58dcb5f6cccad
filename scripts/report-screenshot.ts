/**
 * Writes docs/images/report.png, the README's picture of `face-stream report`: the embedded emulator, a job on
 * a synthetic clip with FaceAttributes ALL, the report written by the CLI, and a screenshot in headless
 * Chromium (the Debian package; playwright-core downloads no browser).
 *
 * Run: npm run report:screenshot
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { chromium } from 'playwright-core';
import { runCli } from '../src/cli/main.js';
import { startEmulator } from '../src/emulator/index.js';
import { createRekognitionClient } from '../src/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY = 'example';
const out = new URL('../docs/images/report.png', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'report-shot-'));
const emu = await startEmulator({ seed: 11, processingTimeMs: 0 });
const client = createRekognitionClient({ endpoint: emu.endpoint, region: 'us-east-1' });
try {
  const { JobId } = await client.send(
    new StartFaceDetectionCommand({
      Video: { S3Object: { Bucket: 'my-videos', Name: 'board-room/preset=meeting,people=8,duration=10m.mp4' } },
      FaceAttributes: 'ALL',
    }),
  );
  const html = join(dir, 'report.html');
  const code = await runCli(['node', 'face-stream', 'report', '--job-id', JobId!, '--endpoint', emu.endpoint, '--region', 'us-east-1', '--out', html]);
  if (code !== 0) throw new Error(`face-stream report exited ${code}`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1250 }, colorScheme: 'light' });
  await page.goto(pathToFileURL(html).href);
  await page.selectOption('#colour', 'emotion');
  await page.screenshot({ path: out, fullPage: process.argv.includes('--full') });
  await browser.close();
  console.log(`wrote ${out}`);
} finally {
  client.destroy();
  await emu.close();
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}

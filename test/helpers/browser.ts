/**
 * Test helper: the system's headless Chromium (Debian package `chromium`) driven by playwright-core, which
 * never downloads a browser. `CHROMIUM_PATH` overrides the executable. Suites skip with a message when no
 * browser is installed, except under `CI`, where a missing browser fails them.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { skipOutsideCI } from './skipOutsideCI.js';

/** The Chromium executable, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

/**
 * Launches headless Chromium, or skips the calling suite (mocha `this`) when there is none outside CI. The
 * flags keep it off the network (the machine has none) and let it run as root.
 */
export async function launchChromium(context: Mocha.Context): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    skipOutsideCI(context, 'no Chromium installed (apt-get install chromium)');
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

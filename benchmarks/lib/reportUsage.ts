/**
 * Preload (`node --import …/reportUsage.ts`) that writes the process's CPU time and peak RSS as JSON to the file
 * named by `FACE_STREAM_USAGE_FILE` when it exits — measures a CLI run without touching the CLI.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.FACE_STREAM_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRss: usage.maxRSS * 1024 }));
  });
}

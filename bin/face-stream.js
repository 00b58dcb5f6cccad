#!/usr/bin/env node
// Runs the compiled CLI when the package is built (dist/), else the TypeScript source through tsx
// (a development checkout: `npm install` then `npx face-stream …`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
let runCli;
if (existsSync(built)) {
  ({ runCli } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(new URL('../src/cli/main.ts', import.meta.url).href));
}
process.exitCode = await runCli(process.argv);

#!/usr/bin/env node
// Runs the compiled CLI when the package is built (dist/: always so in the published package, which `prepack`
// builds), else the TypeScript source through tsx (a development checkout: `npm install` then `npx face-stream …`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
let runCli;
if (existsSync(built)) {
  ({ runCli } = await import(pathToFileURL(built).href));
} else if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(pathToFileURL(source).href));
} else {
  process.stderr.write('face-stream: this installation has no dist/ (run `npm run build` in the package)\n');
  process.exit(1);
}
process.exitCode = await runCli(process.argv);

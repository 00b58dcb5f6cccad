import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = fileURLToPath(new URL('../', import.meta.url));
const examples = readdirSync(new URL('../examples/', import.meta.url)).filter((f) => f.endsWith('.ts'));

/**
 * The examples are what a user copies: they import the package by name (resolved to src/ in a clone through
 * tsconfig.json `paths`, which tsx honours) and each runs with `npx tsx examples/<name>.ts`.
 */
describe('examples/', function () {
  this.timeout(240_000);

  it('import the package by its name, never ../src', () => {
    expect(examples.length).to.be.greaterThan(3);
    for (const file of examples) {
      const text = readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8');
      expect(text, file).to.not.match(/from '\.\.\/src|import\('\.\.\/src/);
      expect(text, file).to.match(/from 'rekognition-face-stream(\/emulator)?'/);
    }
  });

  it('each runs with `npx tsx examples/<name>.ts` from a clone (no dist/ needed), exit 0', async () => {
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmpdir() };
    if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
    const runs = examples.map(
      (file) =>
        new Promise<{ file: string; code: number; stderr: string }>((resolve) => {
          execFile(process.execPath, [tsx, `examples/${file}`], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }, (error, _out, stderr) =>
            resolve({ file, code: error ? Number(error.code ?? 1) : 0, stderr }),
          );
        }),
    );
    for (const { file, code, stderr } of await Promise.all(runs)) expect(code, `${file}: ${stderr}`).to.equal(0);
  });
});

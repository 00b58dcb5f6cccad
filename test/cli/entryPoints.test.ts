import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { captureCli } from '../helpers/captureCli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cliDir = join(root, 'src/cli');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('cli: the first user of the public API', () => {
  it('imports the library only through src/index.ts and src/emulator/index.ts (plus CLI-internal modules)', () => {
    const allowed = new Set(['src/index.js', 'src/emulator/index.js']);
    const offending: string[] = [];
    for (const file of sourceFiles(cliDir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from\s+|import\()\s*'(\.[^']+)'/g)) {
        const target = relative(root, resolve(dirname(file), match[1]!));
        if (!target.startsWith('src/cli/') && !allowed.has(target)) offending.push(`${relative(root, file)} → ${match[1]}`);
      }
    }
    expect(offending).to.deep.equal([]);
  });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await captureCli('--version');
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal(version);
  });
});

/**
 * `npm run bench`: runs every `benchmarks/*.bench.ts` and writes benchmarks/RESULTS.md itself (machine, Node
 * version, commit, then one section per benchmark). Figures are never edited by hand.
 *
 * Usage: `npm run bench [-- --quick] [-- --only NAME[,NAME]] [-- --out FILE]`
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './lib/types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = valueOf('--only');
const only = onlyArg ? onlyArg.split(',') : undefined;
const out = valueOf('--out') ?? (quick ? `${here}RESULTS.quick.md` : `${here}RESULTS.md`);

function valueOf(flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function git(...argv: string[]): string {
  try {
    return execFileSync('git', argv, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || only.some((o) => f.startsWith(o)))
  .sort();
const benches: { file: string; bench: Benchmark }[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(`${here}${file}`).href)) as { default: Benchmark };
  benches.push({ file, bench: mod.default });
}
benches.sort((a, b) => a.bench.order - b.bench.order);

const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : '';
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (benchmarks/run.ts); never edited by hand. Every ratio compares figures measured',
  'in the same run. Timings are medians of several runs on a noisy 2-core machine.',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
  `- Node: ${process.version}`,
  `- Commit: ${git('rev-parse', '--short', 'HEAD')}${dirty}`,
  `- Mode: ${quick ? 'quick (smoke sizes)' : 'full'}${only ? `, only ${only.join(', ')}` : ''}`,
  '',
];
const sections: string[] = [];
for (const { file, bench } of benches) {
  process.stderr.write(`\n== ${bench.title} (${file})\n`);
  const started = process.hrtime.bigint();
  const body = await bench.run({ quick, log: (m) => process.stderr.write(`  ${m}\n`) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  sections.push(`## ${bench.title}\n\n_Source: benchmarks/${file}; ran in ${seconds.toFixed(0)} s._\n\n${body.trim()}\n`);
  writeFileSync(out, `${header.join('\n')}\n${sections.join('\n')}`);
}
writeFileSync(out, `${header.join('\n')}\n${sections.join('\n')}`);
process.stderr.write(`\nwrote ${out}\n`);

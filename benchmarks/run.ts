/**
 * `npm run bench`: runs every `benchmarks/*.bench.ts` and writes benchmarks/RESULTS.md itself (machine, Node
 * version, then one section per benchmark, each with the commit and date of the run that wrote it). Figures are
 * never edited by hand.
 *
 * Usage: `npm run bench [-- --quick] [-- --only NAME[,NAME]] [-- --out FILE]`
 *
 * `--only` re-runs some benchmarks and replaces just their sections in the output file, keeping the others as
 * their own runs wrote them (each section names its commit). Every ratio in a section compares figures of
 * that section's run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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

const allFiles = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const benches: { file: string; bench: Benchmark; selected: boolean }[] = [];
for (const file of allFiles) {
  const mod = (await import(pathToFileURL(`${here}${file}`).href)) as { default: Benchmark };
  benches.push({ file, bench: mod.default, selected: !only || only.some((o) => file.startsWith(o)) });
}
benches.sort((a, b) => a.bench.order - b.bench.order);

/** Sections of a previous results file, by title (`## Title` up to the next `## `). */
function previousSections(path: string): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(path)) return sections;
  const text = readFileSync(path, 'utf8');
  // Files written before sections named their run carry one `- Commit:` / `- Date:` line in the header.
  const oldRun = /^- Commit: (.+)$/m.exec(text)?.[1];
  const oldDate = /^- Date: (.+)$/m.exec(text)?.[1];
  for (const part of text.split(/^(?=## )/m).slice(1)) {
    const title = part.slice(3, part.indexOf('\n')).trim();
    let section = part.trimEnd() + '\n';
    if (oldRun && !/ at commit /.test(section)) section = section.replace(/ s\._/, ` s at commit ${oldRun}, ${oldDate ?? 'unknown date'}._`);
    sections.set(title, section);
  }
  return sections;
}

// The results files are this script's own output (a second `--only` run in the same checkout finds the first
// one's): a change to them says nothing about the code measured.
const dirty = git('status', '--porcelain', '--untracked-files=no', '--', ':/', ':(top,exclude)benchmarks/RESULTS*.md')
  ? ' (with uncommitted changes)'
  : '';
const commit = `${git('rev-parse', '--short', 'HEAD')}${dirty}`;
const date = new Date().toISOString();
const kept = only ? previousSections(out) : new Map<string, string>();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';

function header(): string[] {
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (benchmarks/run.ts); never edited by hand. Every ratio compares figures measured',
    'in the same run. Timings are medians of several runs on a noisy 2-core machine. Each section names the',
    'commit and date of the run that wrote it (`--only` re-runs some sections and keeps the others).',
    '',
    `- Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    `- Node: ${process.version}`,
    `- Last run: ${date}, commit ${commit}, ${quick ? 'quick (smoke sizes)' : 'full'}${only ? `, only ${only.join(', ')}` : ''}`,
    '',
  ];
}

const written = new Map<string, string>();
function write(): void {
  const sections = benches
    .map(({ bench }) => written.get(bench.title) ?? kept.get(bench.title))
    .filter((s): s is string => s !== undefined);
  writeFileSync(out, `${header().join('\n')}\n${sections.join('\n')}`);
}

for (const { file, bench, selected } of benches) {
  if (!selected) continue;
  process.stderr.write(`\n== ${bench.title} (${file})\n`);
  // The 1-minute load average when the section starts: a busy machine explains a figure better than a guess.
  const load = os.loadavg()[0]!.toFixed(2);
  const started = process.hrtime.bigint();
  const body = await bench.run({ quick, log: (m) => process.stderr.write(`  ${m}\n`) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mode = quick ? ', quick mode' : '';
  written.set(
    bench.title,
    `## ${bench.title}\n\n_Source: benchmarks/${file}; ran in ${seconds.toFixed(0)} s at commit ${commit}, ${date}${mode}; load average ${load} when it started (${os.cpus().length} cores)._\n\n${body.trim()}\n`,
  );
  write();
}
write();
process.stderr.write(`\nwrote ${out}\n`);

/**
 * Track summaries and window rows written beside a batch's detections (`batch --out` and `worker`, flags
 * `--tracks [FLAGS]` and `--windows FLAGS`): each is the output of the `tracks` / `windows` command (same flags,
 * same format) run over the video's complete detections file, written through `<file>.partial` and renamed.
 *
 * Names: `<key>.tracks.jsonl` (`.tracks.json` with `--format json`, `.tracks.mot.txt` with `--format mot`),
 * `<key>.windows.jsonl` (`.windows.csv` with `--format csv`) — never `….ndjson`, so `DIR/**\/*.ndjson` stays
 * exactly the set of finished videos' detections. They are written *before* the detections are renamed to
 * `<key>.ndjson`: a video whose `.ndjson` exists has all its files, and a worker killed before that rename leaves
 * the video to be redone (the derived files are recomputed from the same detections: identical).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidParameterError } from '../../index.js';
import { tracksCommand } from '../commands/tracks.js';
import { windowsCommand } from '../commands/windows.js';

/** One derived output: the command that makes it and its file suffix. */
interface Derived {
  readonly flag: string;
  readonly make: () => Command;
  readonly args: readonly string[];
  readonly suffix: string;
}

/** The derived outputs of a batch. */
export interface DerivedOutputs {
  /** Writes every derived file of the complete detections file `detections` beside `base` (`DIR/<bucket>/<key>`). */
  write(detections: string, base: string, options?: { readonly onlyMissing?: boolean }): Promise<void>;
}

/** Flags the batch sets itself: not accepted in `--tracks` / `--windows`. */
const RESERVED = ['--input', '--job-id', '--output', '--late-output', '--progress', '--quiet'];

/**
 * The derived outputs asked for by `--tracks [FLAGS]` (`true` without FLAGS) and `--windows FLAGS`
 * (space-separated flags of the `tracks` and `windows` commands), validated at once by running each command on
 * empty input; `undefined` when neither is given.
 */
export async function derivedOutputsOf(flags: {
  readonly tracks?: string | boolean | undefined;
  readonly windows?: string | undefined;
}): Promise<DerivedOutputs | undefined> {
  const outputs: Derived[] = [];
  if (flags.tracks !== undefined && flags.tracks !== false) {
    const args = splitFlags('--tracks', flags.tracks === true ? '' : flags.tracks);
    const format = formatOf(tracksCommand(), args) as 'ndjson' | 'json' | 'mot';
    outputs.push({ flag: '--tracks', make: tracksCommand, args, suffix: { ndjson: '.tracks.jsonl', json: '.tracks.json', mot: '.tracks.mot.txt' }[format] });
  }
  if (flags.windows !== undefined) {
    const args = splitFlags('--windows', flags.windows);
    const format = formatOf(windowsCommand(), args) as 'ndjson' | 'csv';
    outputs.push({ flag: '--windows', make: windowsCommand, args, suffix: { ndjson: '.windows.jsonl', csv: '.windows.csv' }[format] });
  }
  if (outputs.length === 0) return undefined;
  // Every flag checked before any video: each command run once over no detections, into /dev/null.
  for (const output of outputs) await run(output, '/dev/null', '/dev/null');
  return {
    async write(detections, base, options = {}) {
      for (const output of outputs) {
        const file = `${base}${output.suffix}`;
        if (options.onlyMissing === true && existsSync(file)) continue;
        await run(output, detections, file);
      }
    },
  };
}

async function run(output: Derived, input: string, file: string): Promise<void> {
  const command = output.make().exitOverride();
  command.configureOutput({ writeErr: (text) => process.stderr.write(`face-stream: ${output.flag}: ${text.replace(/^error:\s*/, '')}`) });
  await command.parseAsync(['--input', input, '--output', file, '--quiet', ...output.args], { from: 'user' });
}

function splitFlags(flag: string, text: string): string[] {
  const args = text.split(/\s+/).filter((arg) => arg !== '');
  const reserved = args.find((arg) => RESERVED.includes(arg.split('=')[0]!));
  if (reserved !== undefined) throw new InvalidParameterError(flag, `flags of the ${flag.slice(2)} command other than ${RESERVED.join(', ')} (the batch sets them)`, text);
  return args;
}

/** The `--format` the flags choose (the command's default otherwise). */
function formatOf(command: Command, args: readonly string[]): string {
  command.exitOverride().configureOutput({ writeErr: () => {} });
  command.parseOptions([...args]);
  return String(command.opts().format);
}

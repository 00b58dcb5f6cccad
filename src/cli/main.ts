#!/usr/bin/env node
/**
 * The `face-stream` command line: argument parsing (commander), subcommand registration and the one place
 * where errors become a one-line message on stderr and a non-zero exit code.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isFaceStreamError } from '../index.js';
import { VERSION } from './version.js';

/**
 * The subcommands, one module each (src/cli/commands/*.ts), in help order; each loaded only when needed: a run
 * of one command loads that command's module alone (start-up time and memory of the CLI's hot paths, e.g.
 * `detections`), help and unknown commands load them all.
 */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Command>])[] = [
  ['batch', async () => (await import('./commands/batch.js')).batchCommand()],
  ['worker', async () => (await import('./commands/worker.js')).workerCommand()],
  ['detections', async () => (await import('./commands/detections.js')).detectionsCommand()],
  ['demo', async () => (await import('./commands/demo.js')).demoCommand()],
  ['emulator', async () => (await import('./commands/emulator.js')).emulatorCommand()],
  ['evaluate', async () => (await import('./commands/evaluate.js')).evaluateCommand()],
  ['start', async () => (await import('./commands/start.js')).startCommand()],
  ['report', async () => (await import('./commands/report.js')).reportCommand()],
  ['tracks', async () => (await import('./commands/tracks.js')).tracksCommand()],
  ['windows', async () => (await import('./commands/windows.js')).windowsCommand()],
];

/**
 * Builds the `face-stream` program with every subcommand registered, or only the subcommand `argv` (as
 * `process.argv`) runs, when it names one.
 */
export async function createProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('face-stream')
    .description('Amazon Rekognition Video face detections as streams, windows and tracks; with a local emulator.')
    .version(VERSION)
    .option('--debug', 'print stack traces on error', false);
  // (the first argument that is not an option: the top-level options take no value)
  const named = argv?.slice(2).find((arg) => !arg.startsWith('-'));
  const selected = COMMANDS.filter(([name]) => name === named);
  for (const [, load] of selected.length > 0 ? selected : COMMANDS) program.addCommand(await load());
  return program;
}

/**
 * Runs the CLI with `argv` (as `process.argv`) and returns the exit code instead of exiting, so it can be
 * tested in-process. Errors become one line on stderr (`face-stream: …`); `--debug` adds the stack.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  // The AWS SDK prints a 9-line Node-version notice on stderr when it builds a client on Node < 22; the CLI's
  // stderr is for its own messages (the SDK reads this switch when a client is created, not when imported).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const program = await createProgram(argv);
  // commander does not pass these settings on to commands added with addCommand(): apply them to every one,
  // so that a usage error in a subcommand returns an exit code instead of calling process.exit(), and is
  // printed like every other error: one line, `face-stream: …`, with where to find the usage.
  const configure = (command: Command, path: string): void => {
    command.exitOverride();
    command.configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(formatUsageError(text, path)),
    });
    // Wrap descriptions even beside long flag names (commander stops wrapping below 40 free columns, so
    // `tracks --help`, with its long tracker flags, printed 130-column lines on an 80-column terminal).
    command.configureHelp({ ...command.configureHelp(), minWidthToWrap: 24 });
    for (const sub of command.commands) configure(sub, `${path} ${sub.name()}`);
  };
  configure(program, program.name());
  // A command may set process.exitCode (e.g. `batch`: 1 when a video failed); read it, then restore the
  // caller's value, so in-process runs (tests) do not leak it into each other or into the host process.
  const callerExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed the message (or help/version).
      return error.exitCode;
    }
    const debug = argv.includes('--debug');
    process.stderr.write(`face-stream: ${formatError(error)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  } finally {
    process.exitCode = callerExitCode;
  }
}

/** commander's `error: unknown option '--x'\n` → `face-stream: unknown option '--x' (usage: face-stream tracks --help)`. */
function formatUsageError(text: string, path: string): string {
  const message = text.trim().replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
  return `face-stream: ${message} (usage: ${path} --help)\n`;
}

function formatError(error: unknown): string {
  if (isFaceStreamError(error)) return error.message;
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const code = await runCli(process.argv);
  process.exitCode = code;
}

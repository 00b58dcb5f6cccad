import type { Command } from 'commander';
import { type FaceSourceOptions, formatDurationMs, InvalidParameterError, type JobWaitEvent, WAIT_FOR_JOB_DEFAULTS } from '../index.js';
import { durationFlag } from './durationFlag.js';

/** The parsed source flags (commander camel-cases them). */
export interface SourceFlags {
  readonly waitTimeout?: string;
  readonly maxTokenRecoveries?: string;
}

/**
 * Adds the flags of a command that reads a job's detections: `--wait-timeout` and `--max-token-recoveries`.
 * Values are validated by {@link sourceOptionsFromFlags}.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { addSourceOptions } from './sourceOptions.js';
 *
 * const command = addSourceOptions(new Command('detections'));
 * ```
 */
export function addSourceOptions(command: Command): Command {
  return command
    .option(
      '--wait-timeout <duration>',
      `how long to wait for an IN_PROGRESS job, e.g. 90s, 10m, 2h (default ${formatDurationMs(WAIT_FOR_JOB_DEFAULTS.timeout)}; 0: fail at once)`,
    )
    .option('--max-token-recoveries <n>', 'expired-token recoveries in a row without progress before failing (default 3)');
}

/**
 * Translates the source flags into `faceDetections` options (throws `InvalidParameterError` naming the flag,
 * before any request). While the job is `IN_PROGRESS`, `log` gets a line when waiting starts and about every
 * minute after.
 */
export function sourceOptionsFromFlags(
  flags: SourceFlags,
  log: (line: string) => void = stderrLine,
): Pick<FaceSourceOptions, 'waitForJob' | 'maxTokenRecoveries'> {
  const timeout = durationFlag('--wait-timeout', flags.waitTimeout) ?? WAIT_FOR_JOB_DEFAULTS.timeout;
  let maxTokenRecoveries: number | undefined;
  if (flags.maxTokenRecoveries !== undefined) {
    const text = flags.maxTokenRecoveries.trim();
    maxTokenRecoveries = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(maxTokenRecoveries)) {
      throw new InvalidParameterError('--max-token-recoveries', 'an integer >= 0', flags.maxTokenRecoveries);
    }
  }
  return {
    waitForJob: timeout === 0 ? false : { timeout, onWait: waitReporter(log) },
    ...(maxTokenRecoveries === undefined ? {} : { maxTokenRecoveries }),
  };
}

/** Reports a wait: one line when it starts, then one each time another minute has passed. */
function waitReporter(log: (line: string) => void): (event: JobWaitEvent) => void {
  let minutes = 0;
  return ({ jobId, polls, waited, timeout }) => {
    if (polls === 1) {
      log(`face-stream: job ${jobId} is IN_PROGRESS; waiting for it to finish (at most ${formatDurationMs(timeout)}, --wait-timeout)`);
      return;
    }
    if (Math.floor(waited / 60_000) <= minutes) return;
    minutes = Math.floor(waited / 60_000);
    log(
      `face-stream: job ${jobId} still IN_PROGRESS after ${formatDurationMs(waited)} (${polls} status requests); ` +
        `giving up after ${formatDurationMs(timeout)}`,
    );
  };
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

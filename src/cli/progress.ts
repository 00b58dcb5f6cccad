/**
 * Live progress of long commands on stderr, drawn with cli-progress: pages, detections, detections/s, and the
 * share of the video done (the last `Timestamp` over `VideoMetadata.DurationMillis`) with an ETA. Shown only
 * when stderr is a terminal, unless `--progress` forces it (then one line every few seconds) or `--quiet`
 * silences it. stdout is never touched.
 *
 * @module
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { type Clock, systemClock } from '../index.js';

/** The progress flags of a command. */
export interface ProgressFlags {
  readonly progress?: boolean;
  readonly quiet?: boolean;
}

/** Adds `--progress` and `--quiet` to a command. */
export function addProgressOptions(command: Command): Command {
  return command
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .option('--quiet', 'no progress on stderr');
}

/**
 * Whether to show progress: `--quiet` (or a command's `--no-progress`, `progress: false`) wins, then
 * `--progress`, else only when `stream` is a terminal.
 */
export function progressEnabled(flags: ProgressFlags, stream: NodeJS.WriteStream = process.stderr): boolean {
  if (flags.quiet || flags.progress === false) return false;
  if (flags.progress) return true;
  return stream.isTTY === true;
}

/** What a stream's progress line reads from. */
export interface StreamProgressSource {
  /** Pages read so far (e.g. `stream.stats.pagesFetched`); undefined for file input. */
  readonly pages?: () => number;
  /** The video's duration once known (e.g. `stream.job?.VideoMetadata?.DurationMillis`). */
  readonly durationMs?: () => number | undefined;
}

/** A progress line fed one detection at a time. */
export interface StreamProgress {
  /** Counts one detection (cheap: the line is redrawn at most a few times per second). */
  tick(timestamp: number | undefined): void;
  /** Counts `count` detections at once (a page), the last at `timestamp`. */
  advance(count: number, timestamp: number | undefined): void;
  /** Draws the final state (all of the video when `completed`: the stream ended) and ends the line. */
  stop(completed: boolean): void;
}

const NO_PROGRESS: StreamProgress = { tick: () => undefined, advance: () => undefined, stop: () => undefined };
/** Detections between two updates of the bar (cli-progress also limits redraws to `fps`). */
const EVERY = 256;

/**
 * A progress line for a stream of detections, or a no-op when `enabled` is false.
 *
 * @example
 * ```ts
 * import { streamProgress } from './progress.js';
 *
 * const progress = streamProgress(true, 'detections', { durationMs: () => 60_000 });
 * progress.tick(30_000);
 * progress.stop(true);
 * ```
 */
export function streamProgress(
  enabled: boolean,
  label: string,
  source: StreamProgressSource = {},
  stream: NodeJS.WriteStream = process.stderr,
  clock: Clock = systemClock,
): StreamProgress {
  if (!enabled) return NO_PROGRESS;
  const started = clock.now();
  let detections = 0;
  let last = 0;
  let bar: cliProgress.SingleBar | undefined;
  let withTotal = false;
  const payload = () => {
    const seconds = Math.max((clock.now() - started) / 1000, 1e-3);
    return {
      label,
      detections: detections.toLocaleString('en-US'),
      pages: source.pages ? `${source.pages().toLocaleString('en-US')} pages · ` : '',
      rate: Math.round(detections / seconds).toLocaleString('en-US'),
      video: formatClock(last),
    };
  };
  const ensure = () => {
    const total = source.durationMs?.();
    if (bar && (withTotal || total === undefined)) return bar;
    bar?.stop();
    withTotal = total !== undefined && total > 0;
    bar = new cliProgress.SingleBar({
      stream,
      fps: 5,
      barsize: 24,
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: null,
      noTTYOutput: stream.isTTY !== true,
      notTTYSchedule: 5000,
      format: withTotal
        ? '{label} [{bar}] {percentage}% of the video · {pages}{detections} detections · {rate}/s · ETA {eta_formatted}'
        : '{label} {pages}{detections} detections · {rate}/s · video at {video}',
    });
    bar.start(withTotal ? total! : 1, 0, payload());
    return bar;
  };
  let sinceUpdate = EVERY;
  const advance = (count: number, timestamp: number | undefined): void => {
    detections += count;
    if (typeof timestamp === 'number' && timestamp > last) last = timestamp;
    sinceUpdate += count;
    if (sinceUpdate >= EVERY) {
      sinceUpdate = 0;
      ensure().update(withTotal ? last : 0, payload());
    }
  };
  return {
    tick: (timestamp) => advance(1, timestamp),
    advance,
    stop(completed) {
      const b = ensure();
      b.update(withTotal ? (completed ? b.getTotal() : Math.min(last, b.getTotal())) : 0, payload());
      b.stop();
    },
  };
}

function formatClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

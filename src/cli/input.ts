/**
 * The CLI's detection input, for every command that reads detections (`tracks`, `windows`): `--job-id ID`
 * (the job's detections through the resilient page source, with the client and request policy built from the
 * flags) or `--input FILE|-` (FaceDetection NDJSON), and driving an RxJS operator over it one item at a time.
 * Uses only the package's public API.
 *
 * @module
 */
import type { Command } from 'commander';
import { Subject, type OperatorFunction, type Subscription } from 'rxjs';
import { faceDetections, InvalidParameterError, type FaceDetection, type JobInfo, type SourceStats, type VideoMetadata } from '../index.js';
import { addClientOptions, type ClientFlags, clientFromOptions } from './clientFromOptions.js';
import { addPolicyOptions, type PolicyFlags, policyFromFlags } from './policyOptions.js';
import { addProgressOptions, progressEnabled, type ProgressFlags, streamProgress } from './progress.js';
import { readDetectionsNdjson } from './readNdjson.js';
import { addSourceOptions, type SourceFlags, sourceOptionsFromFlags } from './sourceOptions.js';

/** The input flags of a command that reads detections (plus its connection and resilience flags). */
export interface InputFlags extends ClientFlags, PolicyFlags, SourceFlags, ProgressFlags {
  readonly jobId?: string;
  readonly input?: string;
}

/** Detections to read, and what to release afterwards. */
export interface DetectionInput {
  readonly detections: AsyncIterable<FaceDetection>;
  /** The job's `VideoMetadata` once its first page was read; `undefined` for `--input`. */
  videoMetadata(): VideoMetadata | undefined;
  /** The job's metadata (JobId, JobStatus, Video, …) once its first page was read; `undefined` for `--input`. */
  job(): JobInfo | undefined;
  /** What reading the job cost so far (pages, requests); `undefined` for `--input`. */
  stats(): Readonly<SourceStats> | undefined;
  /** Destroys the client and closes the request policy (its limiters and Redis connections). Idempotent. */
  close(): Promise<void>;
}

/**
 * Adds `--job-id` and `--input` to a command; {@link addConnectionOptions} adds the flags that `--job-id` uses.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { addConnectionOptions, addInputOptions } from './input.js';
 *
 * const command = addConnectionOptions(addInputOptions(new Command('tracks')));
 * ```
 */
export function addInputOptions(command: Command): Command {
  return addProgressOptions(
    command
      .option('--job-id <id>', 'read the detections of this Rekognition Video job (StartFaceDetection JobId)')
      .option('--input <file>', 'read NDJSON FaceDetections from this file (- for stdin), e.g. `face-stream detections` output'),
  );
}

/**
 * Adds the connection (`--endpoint`, `--region`, `--profile`), resilience and job-source (`--wait-timeout`,
 * `--max-token-recoveries`) flags to a command.
 */
export function addConnectionOptions(command: Command): Command {
  return addSourceOptions(addPolicyOptions(addClientOptions(command)));
}

/** Which input the flags name; throws `InvalidParameterError` unless exactly one of `--job-id`, `--input`. */
export function inputKind(flags: InputFlags): 'job' | 'file' {
  if ((flags.jobId === undefined) === (flags.input === undefined)) {
    throw new InvalidParameterError('--job-id/--input', 'exactly one of --job-id ID or --input FILE|-', 'both or neither');
  }
  return flags.jobId === undefined ? 'file' : 'job';
}

/**
 * Opens the input the flags name. Every flag is validated here, before anything is read or requested (the
 * JobId once, by the page source; its errors name the flag). Call `close()` when done, on success or failure.
 * With progress on (a terminal, or `--progress`), reading draws a progress line labelled `label` on stderr.
 */
export function openDetectionInput(flags: InputFlags, label = 'reading'): DetectionInput {
  const progress = progressEnabled(flags);
  if (inputKind(flags) === 'file') {
    const detections = readDetectionsNdjson(flags.input!);
    return {
      detections: progress ? withProgress(detections, label, {}) : detections,
      videoMetadata: () => undefined,
      job: () => undefined,
      stats: () => undefined,
      close: async () => {},
    };
  }
  const sourceOptions = sourceOptionsFromFlags(flags);
  const connection = openJobConnection(flags);
  try {
    const { client, policy } = connection;
    const jobId = flags.jobId!;
    const source = withFlagNames(() => faceDetections({ client, jobId, policy, ...sourceOptions }), { jobId });
    return {
      detections: progress
        ? withProgress(source, label, { pages: () => source.stats.pagesFetched, durationMs: () => source.job?.VideoMetadata?.DurationMillis })
        : source,
      videoMetadata: () => source.job?.VideoMetadata,
      job: () => source.job,
      stats: () => source.stats,
      close: connection.close,
    };
  } catch (error) {
    void connection.close();
    throw error;
  }
}

/** `detections`, drawing a progress line as they are read (the line ends when reading ends or stops). */
async function* withProgress(
  detections: AsyncIterable<FaceDetection>,
  label: string,
  source: Parameters<typeof streamProgress>[2],
): AsyncGenerator<FaceDetection> {
  const progress = streamProgress(true, label, source);
  let completed = false;
  try {
    for await (const detection of detections) {
      progress.tick(detection.Timestamp);
      yield detection;
    }
    completed = true;
  } finally {
    progress.stop(completed);
  }
}

/** A client and request policy from the flags, closed together. */
export interface JobConnection {
  readonly client: ReturnType<typeof clientFromOptions>;
  readonly policy: ReturnType<typeof policyFromFlags>;
  /** Destroys the client and closes the policy. Idempotent. */
  close(): Promise<void>;
}

/** Builds the client and request policy of a command that talks to Rekognition (flags validated first). */
export function openJobConnection(
  flags: ClientFlags & PolicyFlags,
  options: { readonly fastPath?: boolean; readonly rawFaces?: boolean } = {},
): JobConnection {
  const policy = policyFromFlags(flags);
  let client: ReturnType<typeof clientFromOptions>;
  try {
    client = clientFromOptions(flags, options);
  } catch (error) {
    void policy.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    client,
    policy,
    close: () => {
      closed ??= (async () => {
        client.destroy();
        await policy.close();
      })();
      return closed;
    },
  };
}

/** The library's option names as the CLI's flags, for errors thrown while validating them. */
const FLAG_NAMES: Readonly<Record<string, string>> = { jobId: '--job-id', maxResults: '--max-results' };

/**
 * Runs `build`; an `InvalidParameterError` about a library option is rethrown naming the CLI flag instead, with
 * the flag's value from `received` (library option name → value given).
 */
export function withFlagNames<T>(build: () => T, received: Readonly<Record<string, unknown>>): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidParameterError && Object.hasOwn(FLAG_NAMES, error.parameter)) {
      throw new InvalidParameterError(FLAG_NAMES[error.parameter]!, error.expected, received[error.parameter], { cause: error });
    }
    throw error;
  }
}

/**
 * Feeds `source` through an operator one item at a time and hands what each item produced to `write`, awaited
 * before the next item is read, so reading follows the output's pace (the output's backpressure reaches the
 * file, stdin or the page source). The operator is built at the first item (or at the end for an empty
 * input), when a job's `VideoMetadata` is known. An operator error rejects.
 */
export async function driveOperator<T, R>(
  source: AsyncIterable<T>,
  makeOperator: () => OperatorFunction<T, R>,
  write: (results: readonly R[]) => Promise<void>,
): Promise<void> {
  const input = new Subject<T>();
  const results: R[] = [];
  let failure: { readonly error: unknown } | undefined;
  let subscription: Subscription | undefined;
  const start = (): void => {
    subscription = input.pipe(makeOperator()).subscribe({
      next: (result) => results.push(result),
      error: (error: unknown) => (failure = { error }),
    });
  };
  const drain = async (): Promise<void> => {
    if (failure) throw failure.error;
    await write(results.splice(0));
  };
  try {
    for await (const item of source) {
      if (subscription === undefined) start();
      input.next(item);
      await drain();
    }
    if (subscription === undefined) start();
    input.complete();
    await drain();
  } finally {
    subscription?.unsubscribe();
  }
}

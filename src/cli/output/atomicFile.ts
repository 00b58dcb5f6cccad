/**
 * Output files that are replaced only by a complete run.
 *
 * Convention (every command that writes a file follows it): the bytes go to `<path>.partial` in the same
 * directory; on success the partial file is flushed, fsync'd and renamed over `<path>` in one atomic step; on
 * failure `<path>.partial` is kept (with what was written), `<path>` is left untouched, and the command says
 * `partial output kept at <path>.partial` on stderr. A process killed outright (`kill -9`, power loss) leaves
 * `<path>.partial` as it was, possibly ending in a partial line.
 *
 * @module
 */
import { closeSync, fsync, fsyncSync, openSync, close as closeFd, rename, createWriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Writable } from 'node:stream';

const fsyncAsync = promisify(fsync);
const closeAsync = promisify(closeFd);
const renameAsync = promisify(rename);

/** Suffix of the in-progress file, beside the target. */
export const PARTIAL_SUFFIX = '.partial';

/** The in-progress file of `path`: `<path>.partial`, in the same directory (so the rename is atomic). */
export function partialPathOf(path: string): string {
  return `${path}${PARTIAL_SUFFIX}`;
}

/** Options of {@link openAtomicFile}. */
export interface AtomicFileOptions {
  /**
   * Continue an existing `<path>.partial` (append to it, e.g. a resumed run that first cut its partial last
   * line) instead of starting it empty.
   * @default false
   */
  readonly append?: boolean;
}

/** A file being written through `<path>.partial`. */
export interface AtomicFile {
  /** The target file, replaced only by {@link AtomicFile.commit}. */
  readonly path: string;
  /** Where the bytes go until then: `<path>.partial`. */
  readonly partialPath: string;
  /** The stream writing `partialPath` (respect its backpressure; do not `end()` it yourself). */
  readonly stream: Writable;
  /**
   * Ends the stream, fsyncs `<path>.partial`, renames it over `<path>` and fsyncs the directory. Rejects (and
   * keeps the partial file) when a write, the flush or the rename failed.
   */
  commit(): Promise<void>;
  /**
   * Ends the stream and keeps `<path>.partial` with what was written (fsync'd); `<path>` is untouched.
   * Resolves with the kept file's path. Never rejects; safe after a failed `commit`.
   */
  abandon(): Promise<string>;
}

/**
 * Opens `<path>.partial` for writing (synchronously, so a missing directory or a permission error throws at
 * once). Nothing touches `<path>` until {@link AtomicFile.commit}.
 *
 * @example
 * ```ts
 * import { openAtomicFile } from './atomicFile.js';
 *
 * const file = openAtomicFile('faces.ndjson');
 * try {
 *   file.stream.write('{"Timestamp":0}\n');
 *   await file.commit(); // faces.ndjson now holds the complete output
 * } catch (error) {
 *   console.error(`partial output kept at ${await file.abandon()}`);
 *   throw error;
 * }
 * ```
 */
export function openAtomicFile(path: string, options: AtomicFileOptions = {}): AtomicFile {
  const partialPath = partialPathOf(path);
  const fd = openSync(partialPath, options.append ? 'a' : 'w');
  const stream = createWriteStream(partialPath, { fd, autoClose: false });
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  let state: 'open' | 'closed' | 'committed' = 'open';
  let closing: Promise<void> | undefined;

  /** Ends the stream, fsyncs and closes the descriptor, once. */
  const finish = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        if (!stream.destroyed && !stream.writableFinished) {
          await new Promise<void>((resolve) => {
            stream.end(() => resolve());
            stream.once('error', () => resolve());
          });
        }
        await fsyncAsync(fd).catch((error: Error) => {
          failure ??= error;
        });
      } finally {
        state = 'closed';
        await closeAsync(fd).catch(() => undefined);
      }
    })());

  return {
    path,
    partialPath,
    stream,
    async commit() {
      if (state === 'committed') return;
      await finish();
      if (failure) throw failure;
      await renameAsync(partialPath, path);
      state = 'committed';
      syncDirectory(dirname(path));
    },
    async abandon() {
      await finish();
      return partialPath;
    },
  };
}

/** Makes a rename durable (best effort: some platforms and file systems refuse to fsync a directory). */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here: the rename is still atomic, only its durability across a power loss is not guaranteed.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

import { createWriteStream, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { type AtomicFile, openAtomicFile } from './atomicFile.js';

/** A text sink that respects backpressure. */
export interface Output {
  /** Writes `text` (a string, or bytes); resolves at once, or after 'drain' when the stream's buffer is full. */
  write(text: string | Uint8Array): Promise<void>;
  /**
   * Flushes and closes a file (stdout stays open). A file is written to `<file>.partial` and renamed over
   * `<file>` only here, after an fsync: a previous `<file>` survives every failed run.
   */
  close(): Promise<void>;
  /**
   * The run failed: keeps `<file>.partial` with what was written, leaves `<file>` untouched and says
   * `face-stream: partial output kept at <file>.partial` on stderr; for stdout, only releases its error
   * listener. Idempotent; never rejects. Never call `close()` on failure: it would commit the partial file.
   */
  abandon(): Promise<void>;
  /**
   * `true` once the reader of stdout went away (EPIPE, e.g. `| head`): later writes are dropped and the producer
   * should stop, as other Unix tools do. Not an error.
   */
  readonly readerGone: boolean;
}

/**
 * Opens `file` for writing, or stdout when `file` is undefined or `-`. A file is written atomically through
 * `<file>.partial` (see {@link openAtomicFile}): call `close()` on success, `abandon()` on failure. An
 * existing file that is not a regular file (`/dev/null`, a named pipe) is written directly. Writes wait
 * for 'drain' when the stream reports a full buffer, so a slow reader slows the producer instead of filling
 * memory. A write error rejects the pending and later writes, except EPIPE on stdout (the reader went away),
 * which sets `readerGone`.
 */
export function openOutput(file: string | undefined, stdout: Writable = process.stdout): Output {
  const toFile = file !== undefined && file !== '-';
  // A device or a pipe (/dev/null, a FIFO) cannot be replaced by a rename: it is written directly.
  const special = toFile && statSync(file, { throwIfNoEntry: false })?.isFile() === false;
  const atomic: AtomicFile | undefined = toFile && !special ? openAtomicFile(file) : undefined;
  const stream: Writable = atomic ? atomic.stream : special ? createWriteStream(file) : stdout;
  let failure: Error | undefined;
  let readerGone = false;
  let committed = false;
  let abandoned = false;
  const onError = (error: Error & { code?: string }) => {
    if (!toFile && error.code === 'EPIPE') readerGone = true;
    else failure ??= error;
  };
  stream.on('error', onError);
  return {
    get readerGone() {
      return readerGone;
    },
    async write(text: string | Uint8Array): Promise<void> {
      if (failure) throw failure;
      if (text.length === 0 || readerGone) return;
      if (!stream.write(text)) {
        await drained(stream);
        if (failure) throw failure;
      }
    },
    async close(): Promise<void> {
      if (failure) throw failure;
      await atomic?.commit();
      if (special) await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      committed = true;
      stream.off('error', onError);
      if (failure) throw failure;
    },
    async abandon(): Promise<void> {
      if (abandoned || committed) return;
      abandoned = true;
      stream.off('error', onError);
      if (special) stream.destroy();
      if (!atomic) return;
      const kept = await atomic.abandon();
      process.stderr.write(`face-stream: partial output kept at ${kept}\n`);
    },
  };
}

/** Resolves on 'drain', or when the stream closes or fails (the caller then sees the failure); no listener is left. */
function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

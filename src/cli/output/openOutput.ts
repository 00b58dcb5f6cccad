import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/** A text sink that respects backpressure. */
export interface Output {
  /** Writes `text` (a string, or bytes); resolves at once, or after 'drain' when the stream's buffer is full. */
  write(text: string | Uint8Array): Promise<void>;
  /** Flushes and closes a file (stdout stays open). */
  close(): Promise<void>;
  /**
   * `true` once the reader of stdout went away (EPIPE, e.g. `| head`): later writes are dropped and the producer
   * should stop, as other Unix tools do. Not an error.
   */
  readonly readerGone: boolean;
}

/**
 * Opens `file` for writing, or stdout when `file` is undefined or `-`. Writes wait for 'drain' when the
 * stream reports a full buffer, so a slow reader slows the producer instead of filling memory. A write error
 * rejects the pending and later writes, except EPIPE on stdout (the reader went away), which sets
 * `readerGone`.
 */
export function openOutput(file: string | undefined, stdout: Writable = process.stdout): Output {
  const toFile = file !== undefined && file !== '-';
  const stream: Writable = toFile ? createWriteStream(file) : stdout;
  let failure: Error | undefined;
  let readerGone = false;
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
      if (toFile) {
        await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      }
      stream.off('error', onError);
      if (failure) throw failure;
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

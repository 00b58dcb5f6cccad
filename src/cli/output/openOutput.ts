import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** A text sink that respects backpressure. */
export interface Output {
  /** Writes `text`; resolves at once, or after 'drain' when the stream's buffer is full. */
  write(text: string): Promise<void>;
  /** Flushes and closes a file (stdout stays open). */
  close(): Promise<void>;
}

/**
 * Opens `file` for writing, or stdout when `file` is undefined or `-`. Writes wait for 'drain' when the
 * stream reports a full buffer, so a slow reader slows the producer instead of filling memory. A write error
 * (e.g. EPIPE when the reader went away) rejects the pending and later writes.
 */
export function openOutput(file: string | undefined, stdout: Writable = process.stdout): Output {
  const toFile = file !== undefined && file !== '-';
  const stream: Writable = toFile ? createWriteStream(file) : stdout;
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  stream.on('error', onError);
  return {
    async write(text: string): Promise<void> {
      if (failure) throw failure;
      if (text.length === 0) return;
      if (!stream.write(text)) {
        await Promise.race([once(stream, 'drain'), once(stream, 'close')]);
        if (failure) throw failure;
      }
    },
    async close(): Promise<void> {
      if (failure) throw failure;
      if (toFile) {
        stream.end();
        await once(stream, 'finish');
      }
      stream.off('error', onError);
      if (failure) throw failure;
    },
  };
}

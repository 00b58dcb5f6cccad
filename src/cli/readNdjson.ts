/**
 * Reading FaceDetection NDJSON (as `face-stream detections` writes it) for the CLI subcommands that take
 * `--input FILE|-`.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { NdjsonParseError, type FaceDetection } from '../index.js';

/** Options of {@link readDetectionsNdjson}. */
export interface ReadNdjsonOptions {
  /**
   * The stream read for `-`.
   * @default process.stdin
   */
  readonly stdin?: Readable;
}

/**
 * The FaceDetections of an NDJSON file (`path`) or of stdin (`-`), one JSON object per line, blank lines
 * skipped, as a pull-based async iterable: the file is read only as fast as the consumer iterates, and
 * `break` closes it. A line that is not a JSON object throws an {@link NdjsonParseError} naming the input and
 * the line number; a missing file throws the file system's error before anything is read. Items are not
 * otherwise checked (window operators check `Timestamp`).
 *
 * @example
 * ```ts
 * import { readDetectionsNdjson } from './readNdjson.js';
 *
 * for await (const detection of readDetectionsNdjson('faces.ndjson')) console.log(detection.Timestamp);
 * ```
 */
export async function* readDetectionsNdjson(
  source: string,
  options: ReadNdjsonOptions = {},
): AsyncGenerator<FaceDetection, void, undefined> {
  const fromStdin = source === '-';
  const name = fromStdin ? 'stdin' : source;
  let input: Readable;
  if (fromStdin) {
    input = options.stdin ?? process.stdin;
  } else {
    const handle = await open(source, 'r');
    input = handle.createReadStream();
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new NdjsonParseError(name, lineNumber, `invalid JSON (${(error as Error).message})`, { cause: error });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new NdjsonParseError(name, lineNumber, Array.isArray(value) ? 'an array' : `${value === null ? 'null' : typeof value}`);
      }
      yield value as FaceDetection;
    }
  } finally {
    lines.close();
    if (!fromStdin) input.destroy();
  }
}

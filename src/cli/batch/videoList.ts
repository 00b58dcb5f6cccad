/**
 * The `--videos FILE` of `face-stream batch`: one `s3://bucket/key` per line; blank lines and lines starting
 * with `#` are ignored. Each video maps to the output path `<bucket>/<key>.ndjson` under the output directory,
 * so keys whose path would be ambiguous or escape the directory (`..`, `.`, empty segments, a trailing `/`, NUL)
 * are refused, as are duplicates.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isFaceStreamError, parseVideo, type VideoRef } from '../../index.js';

/** One video of the list. */
export interface VideoLine {
  /** 1-based line number in FILE. */
  readonly line: number;
  readonly video: VideoRef;
  /** The video's output path relative to the output directory, without the `.ndjson` suffix. */
  readonly relativePath: string;
}

/** A line that is not a usable video. */
export interface BadLine {
  readonly line: number;
  readonly message: string;
}

/** Reads the lines of FILE lazily (bounded memory). */
export async function* readVideoLines(file: string): AsyncGenerator<{ readonly line: number; readonly text: string }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      yield { line, text };
    }
  } finally {
    lines.close();
  }
}

/** Parses one line: `undefined` for a blank or comment line, a {@link VideoLine}, or a {@link BadLine}. */
export function parseVideoLine(line: number, text: string): VideoLine | BadLine | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  let video: VideoRef;
  try {
    video = parseVideo(trimmed, 'the video');
  } catch (error) {
    return { line, message: isFaceStreamError(error) ? error.message : String(error) };
  }
  const segments = video.name.split('/');
  if (video.name.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    return {
      line,
      message: `the key ${JSON.stringify(video.name.slice(0, 80))} has an empty, "." or ".." path segment, which cannot be mapped to an output file`,
    };
  }
  return { line, video, relativePath: join(video.bucket, ...segments) };
}

/**
 * Checks the whole list before any request: every line must be a usable video and no video may appear twice.
 * Returns the bad lines (empty when the list is fine) and the number of videos.
 */
export async function checkVideoList(file: string): Promise<{ readonly bad: BadLine[]; readonly videos: number }> {
  const bad: BadLine[] = [];
  const seen = new Map<string, number>();
  let videos = 0;
  for await (const { line, text } of readVideoLines(file)) {
    const parsed = parseVideoLine(line, text);
    if (parsed === undefined) continue;
    if ('message' in parsed) {
      bad.push(parsed);
      continue;
    }
    const earlier = seen.get(parsed.relativePath);
    if (earlier !== undefined) bad.push({ line, message: `duplicate of line ${earlier} (same output file)` });
    else seen.set(parsed.relativePath, line);
    videos++;
  }
  return { bad, videos };
}

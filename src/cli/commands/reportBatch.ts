/**
 * `face-stream report --batch DIR`: the report of a `face-stream batch` output directory. Every finished video
 * (`DIR/<bucket>/<key>.ndjson`) is read once, one at a time, through the same one-pass report as `--input`; a
 * video with only a state or partial file (`<key>.ndjson.state`, `<key>.ndjson.partial`) is `failed` when the
 * batch recorded a failure in its state, else `incomplete`. Full reports are kept within the detail budget of
 * {@link BatchReportBuilder}; the others are summarised.
 *
 * @module
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { from, lastValueFrom } from 'rxjs';
import {
  type BatchReportModel,
  BatchReportBuilder,
  type BatchReportBuilderOptions,
  faceReport,
  InvalidParameterError,
} from '../../index.js';
import { readJson } from '../batch/durableFile.js';
import { type InputFlags, openDetectionInput } from '../input.js';

/** The files of one video found in the batch directory. */
interface BatchEntry {
  final?: string;
  state?: string;
  partial?: string;
}

const SUFFIXES: readonly [keyof BatchEntry, string][] = [
  ['state', '.ndjson.state'],
  ['partial', '.ndjson.partial'],
  ['final', '.ndjson'],
];

/**
 * Reads a batch output directory into a {@link BatchReportModel}. `flags` are the report's input flags (progress
 * on a terminal, per video). Throws `InvalidParameterError` naming `--batch` when DIR is not a readable
 * directory or holds no video.
 */
export async function readBatchReport(
  dir: string,
  flags: InputFlags & { readonly title?: string },
  options: BatchReportBuilderOptions = {},
): Promise<BatchReportModel> {
  const entries = await scan(dir);
  if (entries.size === 0) throw new InvalidParameterError('--batch', 'a `face-stream batch` output directory (DIR/<bucket>/<key>.ndjson)', dir);
  const builder = new BatchReportBuilder(options);
  const keys = [...entries.keys()].sort();
  let index = 0;
  for (const key of keys) {
    index++;
    const entry = entries.get(key)!;
    const [bucket, ...rest] = key.split('/');
    const name = rest.join('/');
    const uri = `s3://${bucket}/${name}`;
    if (entry.final !== undefined) {
      const input = openDetectionInput({ ...flags, jobId: undefined, input: entry.final }, `report ${index}/${keys.length}`);
      try {
        const report = await lastValueFrom(
          from(input.detections).pipe(faceReport({ info: () => ({ title: name, job: { Video: { S3Object: { Bucket: bucket, Name: name } } } }) })),
        );
        builder.add({ uri, state: 'done', report });
      } finally {
        await input.close();
      }
      continue;
    }
    const state = entry.state === undefined ? undefined : await readState(entry.state);
    const failed = typeof state?.failed === 'string' ? state.failed : undefined;
    builder.add({ uri: typeof state?.video === 'string' ? state.video : uri, state: failed === undefined ? 'incomplete' : 'failed', ...(failed === undefined ? {} : { error: failed }) });
  }
  return builder.build({ title: flags.title ?? `batch ${dir}` });
}

/** A state file's content, or undefined when it is unreadable (a torn write is not a reason to fail the report). */
async function readState(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = await readJson(path);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The videos under `dir`, by `<bucket>/<key>` (with `/` separators). */
async function scan(dir: string): Promise<Map<string, BatchEntry>> {
  const entries = new Map<string, BatchEntry>();
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  } catch (error) {
    throw new InvalidParameterError('--batch', 'a readable directory', dir, { cause: error });
  }
  for (const path of files) {
    const file = relative(dir, path).split(sep).join('/');
    const match = SUFFIXES.find(([, suffix]) => file.endsWith(suffix));
    // A video's files are `<bucket>/<key>` plus a suffix: at least one `/` (bucket, then key).
    if (!match || !file.includes('/')) continue;
    const key = file.slice(0, -match[1].length);
    if (key.endsWith('/') || key === '') continue;
    const entry = entries.get(key) ?? {};
    entry[match[0]] = path;
    entries.set(key, entry);
  }
  return entries;
}

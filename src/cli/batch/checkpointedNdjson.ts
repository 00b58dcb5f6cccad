/**
 * Writes the detections of a job to an NDJSON file exactly once across crashes: lines go to `<final>.partial`;
 * after each page is written and fsynced, a state file records the page's checkpoint and the partial file's
 * length. On resume the partial file is truncated to that length (dropping a page written after the last
 * checkpoint) and reading continues from the checkpoint, so no line is duplicated or lost. When the last page is
 * flushed, the partial file is renamed to the final name (atomic) and the state removed.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import type { Checkpoint, FaceDetectionPage } from '../../index.js';
import { detectionFormatter } from '../output/formatDetections.js';
import { removeFiles, renameDurably, syncDirectory, writeJsonAtomic } from './durableFile.js';

/** What the state file of one output holds. */
export interface OutputState {
  /** Format version. */
  readonly v: 1;
  /** The job whose detections are written (a state of another job is discarded). */
  readonly jobId?: string | undefined;
  /** Where the next page starts, after `bytes` bytes of the partial file. */
  readonly checkpoint?: Checkpoint | undefined;
  /** Length of the partial file at `checkpoint`. */
  readonly bytes?: number | undefined;
  /** Why the video failed in the last run (`face-stream batch` records it; a rerun that starts it clears it). */
  readonly failed?: string | undefined;
  /** Other facts the caller keeps (video, token, tag). */
  readonly [key: string]: unknown;
}

/** The files of one output. */
export interface OutputPaths {
  /** The complete file (`….ndjson`). */
  readonly final: string;
  /** The file being written (`….ndjson.partial`). */
  readonly partial: string;
  /** The state (`….ndjson.state`). */
  readonly state: string;
}

/** The output files of `final` (`<final>.partial`, `<final>.state`). */
export function outputPaths(final: string): OutputPaths {
  return { final, partial: `${final}.partial`, state: `${final}.state` };
}

/**
 * Reads `pages` (started at `resumeFrom`, the checkpoint of `state` when it is the same job) into the output,
 * durably. `state` is the state read at start (or a fresh one); `extra` is kept in every state written.
 * `saveState` stores each state (default: the `.state` file, atomically); a fleet worker keeps it in the BullMQ
 * job instead, so the worker that takes a video over continues from it. Returns the number of detections in the
 * complete file.
 */
export async function writeCheckpointedNdjson(
  paths: OutputPaths,
  jobId: string,
  state: OutputState | undefined,
  openPages: (checkpoint: Checkpoint | undefined) => AsyncIterable<FaceDetectionPage>,
  extra: Readonly<Record<string, unknown>> = {},
  saveState: (state: OutputState) => Promise<void> = (value) => writeJsonAtomic(paths.state, value, { syncDir: false }),
): Promise<number> {
  const resume = state?.jobId === jobId && state.checkpoint !== undefined && typeof state.bytes === 'number' ? state : undefined;
  let bytes = resume?.bytes ?? 0;
  let count = resume?.checkpoint?.startingCount ?? 0;
  const formatter = detectionFormatter('ndjson');
  const handle = await open(paths.partial, resume ? 'r+' : 'w').catch(async (error: { code?: string }) => {
    if (error.code === 'ENOENT') return open(paths.partial, 'w'); // the state survived but the partial did not
    throw error;
  });
  try {
    if (resume && (await handle.stat()).size < bytes) {
      // The partial file is shorter than its checkpoint says (lost data): start the job over.
      bytes = 0;
      count = 0;
    }
    await handle.truncate(bytes);
    await syncDirectory(paths.partial.slice(0, paths.partial.lastIndexOf('/')) || '.');
    const from = bytes === 0 ? undefined : resume?.checkpoint;
    for await (const page of openPages(from)) {
      const text = formatter.page(page.Faces, false);
      if (text.length > 0) {
        const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
        await handle.write(buffer, 0, buffer.length, bytes);
        bytes += buffer.length;
        count += page.Faces.length;
        await handle.datasync();
      }
      if (page.checkpoint !== undefined) {
        await saveState({ ...extra, v: 1, jobId, checkpoint: page.checkpoint, bytes } satisfies OutputState);
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await renameDurably(paths.partial, paths.final);
  await removeFiles(paths.state, `${paths.state}.tmp`);
  return count;
}

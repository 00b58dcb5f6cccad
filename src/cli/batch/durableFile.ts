/**
 * Small durable-file primitives of the batch output: an atomic JSON write (temporary file, fsync, rename,
 * directory fsync) and a directory fsync. Crash-safe under SIGKILL and power loss, as far as the file system
 * honours fsync.
 *
 * @module
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `value` as JSON to `path` atomically: a reader (or a rerun after a crash) sees the old or the new file,
 * never a torn one. `syncDir: false` skips the directory fsync (the rename is still atomic; only its durability
 * across a power loss is left to the file system's next commit): for state rewritten after every page.
 */
export async function writeJsonAtomic(path: string, value: unknown, options: { readonly syncDir?: boolean } = {}): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(value)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  if (options.syncDir !== false) await syncDirectory(dirname(path));
}

/** Reads a JSON file written by {@link writeJsonAtomic}; `undefined` when absent (a torn temporary file is ignored). */
export async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Renames `from` to `to` and makes the rename durable. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await rename(from, to);
  await syncDirectory(dirname(to));
}

/** Removes files, ignoring absent ones. */
export async function removeFiles(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}

/** fsyncs a directory so that a rename or creation in it survives a crash (best effort where unsupported). */
export async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

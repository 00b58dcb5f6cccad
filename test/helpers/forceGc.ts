/**
 * Test helper: a full, synchronous garbage collection without `--expose-gc` on the command line (V8 exposes
 * `gc` to contexts created after the flag is set). Used to prove that a stream drops what it no longer needs,
 * with `WeakRef`s; never to measure memory.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Runs a full garbage collection now. */
export function forceGc(): void {
  gc();
}

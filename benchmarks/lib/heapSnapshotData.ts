/**
 * Reads a V8 `.heapsnapshot` and sums the self size of its data nodes: JS objects, arrays and backing stores,
 * strings, numbers, closures, regexps, bigints. V8's own machinery — compiled code, bytecode, feedback vectors
 * and deopt data (`code`), hidden classes (`object shape`), internal lists (`hidden`), `synthetic` roots — is left
 * out, and so is `native` memory (outside the JS heap, not in `heapUsed`).
 *
 * Why: the JIT keeps compiling and re-optimizing for as long as a process runs, so V8's code-related heap grows
 * with run length (a few hundred KiB between a 15k- and a 1M-detection run); what a stream holds is data.
 */
import { readFileSync } from 'node:fs';

/** Snapshot node types that are program data. */
export const DATA_NODE_TYPES: ReadonlySet<string> = new Set([
  'object',
  'array',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'closure',
  'regexp',
  'bigint',
]);

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
}

/** Bytes of data nodes in the heap snapshot at `file` (see {@link DATA_NODE_TYPES}). */
export function heapSnapshotData(file: string): number {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = parsed.snapshot.meta.node_fields;
  const typeNames = parsed.snapshot.meta.node_types[0];
  const isData = typeNames.map((t) => DATA_NODE_TYPES.has(t));
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const { nodes } = parsed;
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += width) if (isData[nodes[i + typeAt]!]) bytes += nodes[i + sizeAt]!;
  return bytes;
}

import { N, S, type Shape, type StructShape } from './shapes.js';

const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * Converts a `JSON.parse`d value to the SDK's output object for `shape`, with the SDK's rules: structure
 * members that are `null` or absent are left out, unknown members are dropped (kept only when the object has a
 * string `__type`), lists keep their elements (converted in place), numbers are not coerced except the strings
 * `"NaN"`/`"Infinity"`/`"-Infinity"`, and a value whose JSON type does not match its shape is passed through.
 *
 * Objects that already have exactly that form — known members only, in model order, none null — are reused
 * as they are (their children converted in place) instead of copied: the common case costs no allocation, and
 * the result serialises exactly like the SDK's (same members, same order).
 */
export function readShape(shape: Shape, value: unknown): unknown {
  if (shape === S) return value;
  if (shape === N) return typeof value === 'string' ? (SPECIAL_NUMBERS[value] ?? value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (shape.kind === 'struct') {
    const record = value as Record<string, unknown>;
    return reuseStruct(shape, record) ? record : copyStruct(shape, record);
  }
  if (!Array.isArray(value)) return value;
  const member = shape.member;
  if (member !== S) {
    for (let i = 0; i < value.length; i++) value[i] = readShape(member, value[i]);
  }
  return value;
}

/** Converts the children of `record` in place and returns true when `record` can be the output as it is. */
function reuseStruct(shape: StructShape, record: Record<string, unknown>): boolean {
  if (Array.isArray(record)) return false;
  const members = shape.members;
  const count = members.length;
  // Keys must come in model order: walk the members alongside (JSON.parse's keys are internalised strings, so
  // the comparisons are cheap; no lookup table).
  let next = 0;
  for (const key in record) {
    while (next < count && members[next]![0] !== key) next++;
    if (next === count) return false;
    const memberShape = members[next++]![1];
    const v = record[key];
    if (v == null) return false;
    if (memberShape === S) continue;
    if (memberShape === N) {
      if (typeof v === 'string') return false;
      continue;
    }
    const converted = readShape(memberShape, v);
    if (converted !== v) record[key] = converted;
  }
  return true;
}

function copyStruct(shape: StructShape, record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const members = shape.members;
  for (let i = 0; i < members.length; i++) {
    const [name, memberShape] = members[i]!;
    const v = record[name];
    if (v != null) out[name] = readShape(memberShape, v);
  }
  if (typeof record.__type === 'string') {
    for (const key in record) {
      if (Object.prototype.hasOwnProperty.call(record, key) && !(key in out)) out[key] = record[key];
    }
  }
  return out;
}

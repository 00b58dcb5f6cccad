import { N, S, type Shape, type StructShape } from './shapes.js';

const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * Converts a `JSON.parse`d value to the SDK's output object for `shape`, with the SDK's rules: structure
 * members that are `null` or absent are left out, unknown members are dropped (kept only when the object has a
 * string `__type`), lists keep their elements (converted in place), numbers are not coerced except the strings
 * `"NaN"`/`"Infinity"`/`"-Infinity"`, and a value whose JSON type does not match its shape is passed through.
 */
export function readShape(shape: Shape, value: unknown): unknown {
  if (shape === S) return value;
  if (shape === N) return typeof value === 'string' ? (SPECIAL_NUMBERS[value] ?? value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (shape.kind === 'struct') return readStruct(shape, value as Record<string, unknown>);
  if (!Array.isArray(value)) return value;
  const member = shape.member;
  if (member !== S) {
    for (let i = 0; i < value.length; i++) value[i] = readShape(member, value[i]);
  }
  return value;
}

function readStruct(shape: StructShape, record: Record<string, unknown>): Record<string, unknown> {
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

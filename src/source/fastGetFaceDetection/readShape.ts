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
  if (shape === N) return readNumber(value);
  return converterOf(shape)(value);
}

function readNumber(value: unknown): unknown {
  return typeof value === 'string' ? (SPECIAL_NUMBERS[value] ?? value) : value;
}

type Converter = (value: unknown) => unknown;

const converters = new WeakMap<object, Converter>();

/** The converter of a struct or list shape, compiled once (see {@link compileStruct}). */
function converterOf(shape: Exclude<Shape, typeof S | typeof N>): Converter {
  let converter = converters.get(shape);
  if (converter === undefined) {
    converter = shape.kind === 'struct' ? compileStruct(shape) : compileList(shape.member);
    converters.set(shape, converter);
  }
  return converter;
}

function compileList(member: Shape): Converter {
  if (member === S) return (value) => value;
  const convert = member === N ? readNumber : converterOf(member);
  return (value) => {
    if (!Array.isArray(value)) return value;
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      const converted = convert(element);
      if (converted !== element) value[i] = converted;
    }
    return value;
  };
}

/**
 * The converter of a structure: reuses the object when its keys are known members in model order and none is
 * `null` (children converted in place), else copies it ({@link copyStruct}).
 *
 * The reuse test is generated code with one named property load per member: a generic walk (`record[key]` for
 * each key of a `for…in`) makes V8 allocate a fresh heap number for every double it reads (≈ 20 per detection,
 * a third of the fast path's extra young-generation garbage, measured), where a named load of a double field
 * whose value is only compared with `null` and `typeof` compiles to no load at all. The names come from the
 * service model (shapes.ts), written as JSON string literals.
 */
function compileStruct(shape: StructShape): Converter {
  const members = shape.members;
  const names = members.map(([name]) => name);
  const children = members.map(([, member]) => (member === S || member === N ? undefined : converterOf(member)));
  const lines = members.map(([name, member], i) => {
    const key = JSON.stringify(name);
    if (member === S) return `v = r[${key}]; if (v === null) return false;`;
    if (member === N) return `v = r[${key}]; if (v === null || typeof v === 'string') return false;`;
    return `v = r[${key}]; if (v === null) return false; if (v !== undefined) { c = children[${i}](v); if (c !== v) r[${key}] = c; }`;
  });
  const reuse = compileReuse(names, children, lines) ?? ((record: Record<string, unknown>) => reuseByWalk(shape, record));
  return (value) => {
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    return reuse(record) ? record : copyStruct(shape, record);
  };
}

/** The generated reuse test, or `undefined` where code generation from strings is disallowed. */
function compileReuse(
  names: readonly string[],
  children: readonly (Converter | undefined)[],
  lines: readonly string[],
): ((record: Record<string, unknown>) => boolean) | undefined {
  try {
    return new Function(
      'names',
      'children',
      `'use strict';
      return function reuse(r) {
        if (Array.isArray(r)) return false;
        let n = 0;
        for (const k in r) {
          while (n < ${names.length} && names[n] !== k) n++;
          if (n === ${names.length}) return false;
          n++;
        }
        let v, c;
        ${lines.join('\n      ')}
        return true;
      };`,
    )(names, children) as (record: Record<string, unknown>) => boolean;
  } catch {
    return undefined;
  }
}

/** The reuse test without generated code (a generic walk: boxes the doubles it reads). */
function reuseByWalk(shape: StructShape, record: Record<string, unknown>): boolean {
  if (Array.isArray(record)) return false;
  const members = shape.members;
  let next = 0;
  for (const key in record) {
    while (next < members.length && members[next]![0] !== key) next++;
    if (next === members.length) return false;
    const memberShape = members[next++]![1];
    const v = record[key];
    if (v == null || (memberShape === N && typeof v === 'string')) return false;
    if (memberShape === S || memberShape === N) continue;
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

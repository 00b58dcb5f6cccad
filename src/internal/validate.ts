import { InvalidParameterError } from '../errors/InvalidParameterError.js';

/** Throws unless `value` is an integer within `[min, max]`. Returns it for chaining. */
export function expectInteger(parameter: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterError(parameter, describeRange('an integer', min, max), value);
  }
  return value;
}

/** Throws unless `value` is a finite number within `[min, max]`. */
export function expectNumber(parameter: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidParameterError(parameter, describeRange('a finite number', min, max), value);
  }
  return value;
}

/** Throws unless `value` is a function. */
export function expectFunction<F extends (...args: never[]) => unknown>(parameter: string, value: unknown): F {
  if (typeof value !== 'function') throw new InvalidParameterError(parameter, 'a function', value);
  return value as F;
}

/** Throws unless `value` is a string matching the length bounds and (optionally) `pattern`. */
export function expectString(
  parameter: string,
  value: unknown,
  bounds: { readonly minLength?: number; readonly maxLength?: number; readonly pattern?: RegExp } = {},
): string {
  const { minLength = 0, maxLength = Infinity, pattern } = bounds;
  const expected =
    `a string of ${minLength}${Number.isFinite(maxLength) ? `–${maxLength}` : '+'} characters` +
    (pattern ? ` matching ${pattern.source}` : '');
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) {
    throw new InvalidParameterError(parameter, expected, value);
  }
  if (pattern && !pattern.test(value)) throw new InvalidParameterError(parameter, expected, value);
  return value;
}

/** Throws unless `value` is a plain object (or undefined, when `optional`). */
export function expectObject(parameter: string, value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidParameterError(parameter, 'an object', value);
  }
  return value as Readonly<Record<string, unknown>>;
}

function describeRange(kind: string, min: number, max: number): string {
  if (Number.isFinite(min) && Number.isFinite(max)) return `${kind} from ${min} to ${max}`;
  if (Number.isFinite(min)) return `${kind} >= ${min}`;
  if (Number.isFinite(max)) return `${kind} <= ${max}`;
  return kind;
}

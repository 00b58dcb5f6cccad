/**
 * Service-side validation of request members: each failure is an `InvalidParameterException` naming the
 * member and the constraint, as the real service's model constraints would.
 *
 * @module
 */
import { errors } from '../protocol/ServiceException.js';

/** Constraints of a string member. */
export interface StringRule {
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
}

/** The request body, already known to be a JSON object. */
export type Body = Readonly<Record<string, unknown>>;

/**
 * Member `name` of `body` as a string satisfying `rule`; `undefined` when absent (or JSON `null`). `at` is
 * the path of `body` in the request, for messages (e.g. `Video.S3Object.`).
 */
export function optionalString(body: Body, name: string, rule: StringRule, at = ''): string | undefined {
  const value = body[name];
  const label = at + name;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidParameter(`${label} must be a string.`);
  if (value.length < rule.min || value.length > rule.max) {
    throw errors.invalidParameter(`${label} must have length from ${rule.min} to ${rule.max}; got ${value.length}.`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw errors.invalidParameter(`${label} must match ${rule.pattern.source}.`);
  }
  return value;
}

/** Member `name` of `body` as a string satisfying `rule`; required. */
export function requiredString(body: Body, name: string, rule: StringRule, at = ''): string {
  const value = optionalString(body, name, rule, at);
  if (value === undefined) throw errors.invalidParameter(`${at}${name} is required.`);
  return value;
}

/** Member `name` of `body` as a JSON object; `undefined` when absent. */
export function optionalObject(body: Body, name: string, at = ''): Body | undefined {
  const value = body[name];
  const label = at + name;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidParameter(`${label} must be an object.`);
  return value as Body;
}

/** Member `name` of `body` as an integer; `undefined` when absent. */
export function optionalInteger(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw errors.invalidParameter(`${name} must be an integer.`);
  }
  return value;
}

/** Member `name` of `body` as one of `values`; `undefined` when absent. */
export function optionalEnum<T extends string>(body: Body, name: string, values: readonly T[]): T | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw errors.invalidParameter(`${name} must be one of ${values.join(', ')}.`);
  }
  return value as T;
}

import { FaceStreamError } from './FaceStreamError.js';

/**
 * A caller passed a bad option or argument. Thrown synchronously, before any request is sent.
 *
 * `parameter` names the option (e.g. `maxResults`), `expected` says what was expected; the message
 * contains both, plus the received value's description.
 *
 * @example
 * ```ts
 * import { InvalidParameterError } from 'rekognition-face-stream';
 *
 * const err = new InvalidParameterError('maxResults', 'an integer >= 1', 0);
 * console.log(err.message); // Expected `maxResults` to be an integer >= 1, got 0.
 * ```
 */
export class InvalidParameterError extends FaceStreamError {
  override name = 'InvalidParameterError';
  /** The offending parameter, as the caller spelled it. */
  readonly parameter: string;
  /** What was expected, in words. */
  readonly expected: string;

  constructor(parameter: string, expected: string, received: unknown, options: { readonly cause?: unknown } = {}) {
    super('ERR_INVALID_PARAMETER', `Expected \`${parameter}\` to be ${expected}, got ${describe(received)}.`, {
      cause: options.cause,
      context: { parameter, expected },
    });
    this.parameter = parameter;
    this.expected = expected;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}

import type { FaceStreamError } from './FaceStreamError.js';

/**
 * Type guard for errors of this library, robust to duplicate package copies (no `instanceof`).
 *
 * @example
 * ```ts
 * import { isFaceStreamError } from 'rekognition-face-stream';
 *
 * function report(err: unknown): string {
 *   return isFaceStreamError(err) ? `${err.code}: ${err.message}` : String(err);
 * }
 * ```
 */
export function isFaceStreamError(value: unknown): value is FaceStreamError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isFaceStreamError?: unknown }).isFaceStreamError === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

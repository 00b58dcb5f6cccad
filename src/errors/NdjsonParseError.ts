import { FaceStreamError } from './FaceStreamError.js';

/**
 * A line of NDJSON input is not a JSON object. Names the input and the 1-based line number.
 *
 * @example
 * ```ts
 * import { NdjsonParseError } from 'rekognition-face-stream';
 *
 * const err = new NdjsonParseError('faces.ndjson', 12, 'invalid JSON (Unexpected token)');
 * console.log(err.message); // faces.ndjson:12: expected a JSON object (a FaceDetection) per line, got invalid JSON (Unexpected token).
 * ```
 */
export class NdjsonParseError extends FaceStreamError {
  override name = 'NdjsonParseError';
  /** The input's name (a path, or `stdin`). */
  readonly source: string;
  /** 1-based line number. */
  readonly line: number;

  constructor(source: string, line: number, problem: string, options: { readonly cause?: unknown } = {}) {
    super('ERR_NDJSON_PARSE', `${source}:${line}: expected a JSON object (a FaceDetection) per line, got ${problem}.`, {
      cause: options.cause,
      context: { source, line },
    });
    this.source = source;
    this.line = line;
  }
}

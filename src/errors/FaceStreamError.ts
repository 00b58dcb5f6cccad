/** Options accepted by every {@link FaceStreamError} subclass. */
export interface FaceStreamErrorOptions {
  /** The underlying error, if any (an SDK error, a network error, a user callback's throw). */
  readonly cause?: unknown;
  /** Structured context for logs and programmatic handling (job id, parameter name, attempt, …). */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * Base class of every error this library throws or emits.
 *
 * Each subclass has a literal `name` and a stable machine-readable `code`; `context` carries the facts needed
 * to act on the error (never credentials), and `cause` the underlying error. Use {@link isFaceStreamError}
 * rather than `instanceof` when errors may cross package copies.
 *
 * @example
 * ```ts
 * import { FaceStreamError } from 'rekognition-face-stream';
 *
 * try {
 *   throw new FaceStreamError('ERR_EXAMPLE', 'something happened', { context: { jobId: 'abc' } });
 * } catch (err) {
 *   if (err instanceof FaceStreamError) console.error(err.code, err.context);
 * }
 * ```
 */
export class FaceStreamError extends Error {
  override name = 'FaceStreamError';
  /** Stable machine-readable code, e.g. `ERR_INVALID_PARAMETER`. */
  readonly code: string;
  /** Structured context (job id, parameter, attempt, …). */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: FaceStreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }

  /** Marker used by {@link isFaceStreamError} across realms and package copies. */
  get isFaceStreamError(): true {
    return true;
  }
}

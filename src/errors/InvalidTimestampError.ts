import { FaceStreamError } from './FaceStreamError.js';

/**
 * An item reached an event-time window operator without a usable event time: the `timestamp` selector (by
 * default `item.Timestamp`) returned something other than a finite number. Emitted as the stream's error.
 *
 * `index` is the item's 0-based position in the stream; `received` the offending value.
 *
 * @example
 * ```ts
 * import { InvalidTimestampError } from 'rekognition-face-stream';
 *
 * const err = new InvalidTimestampError('Timestamp', 3, undefined);
 * console.log(err.message); // Expected `Timestamp` of item #3 to be a finite number of ms, got undefined.
 * ```
 */
export class InvalidTimestampError extends FaceStreamError {
  override name = 'InvalidTimestampError';
  /** 0-based position of the item in the stream. */
  readonly index: number;
  /** What the selector returned. */
  readonly received: unknown;

  /**
   * @param selector How the event time was read, e.g. `Timestamp` or `timestamp(item)`.
   * @param index The item's 0-based position in the stream.
   * @param received The selector's result.
   */
  constructor(selector: string, index: number, received: unknown) {
    super(
      'ERR_INVALID_TIMESTAMP',
      `Expected \`${selector}\` of item #${index} to be a finite number of ms, got ${describeValue(received)}.`,
      { context: { selector, index } },
    );
    this.index = index;
    this.received = received;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
  return `a value of type ${typeof value}`;
}

import { FaceStreamError } from './FaceStreamError.js';

/**
 * An item arrived after every event-time window it belongs to had closed, and the operator has no `onLate`
 * handler. Late items are never dropped silently: pass `onLate` to receive them, or widen
 * `maxOutOfOrderness` / `allowedLateness` so they are still accepted.
 *
 * @example
 * ```ts
 * import { LateItemError } from 'rekognition-face-stream';
 *
 * const err = new LateItemError(900, 1500);
 * console.log(err.timestamp, err.watermark); // 900 1500
 * ```
 */
export class LateItemError extends FaceStreamError {
  override name = 'LateItemError';
  /** The late item's event time (ms). */
  readonly timestamp: number;
  /** The watermark when it arrived (ms). */
  readonly watermark: number;

  constructor(timestamp: number, watermark: number) {
    super(
      'ERR_LATE_ITEM',
      `An item with timestamp ${timestamp} ms arrived after its windows closed (watermark ${watermark} ms); ` +
        'raise `maxOutOfOrderness` or `allowedLateness`, or receive late items with `onLate`.',
      { context: { timestamp, watermark } },
    );
    this.timestamp = timestamp;
    this.watermark = watermark;
  }
}

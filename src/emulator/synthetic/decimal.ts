/**
 * Numbers of the synthetic detections are quantised to a fixed number of decimals (8 for frame ratios, 6 for
 * degrees and percentages), which lets the emulator print them digit by digit (`ByteWriter.decimal`) several
 * times faster than `Number#toString`, while producing exactly the text `JSON.stringify` would.
 *
 * @module
 */

/** Scale of frame ratios (boxes, landmarks): 8 decimals. */
export const RATIO_SCALE = 1e8;
/** Scale of degrees and percentages (pose, quality, confidence): 6 decimals. */
export const PERCENT_SCALE = 1e6;

/** `value` rounded to 8 decimals. */
export function ratio(value: number): number {
  return Math.round(value * RATIO_SCALE) / RATIO_SCALE;
}

/** `value` rounded to 6 decimals. */
export function percent(value: number): number {
  return Math.round(value * PERCENT_SCALE) / PERCENT_SCALE;
}

/**
 * Numbers of the synthetic detections are quantised to a fixed number of decimals (7 for frame ratios, 5 for
 * degrees and percentages), which lets the emulator print them digit by digit (`ByteWriter.decimal`) several
 * times faster than `Number#toString`, while producing exactly the text `JSON.stringify` would.
 *
 * @module
 */

/** Decimals of frame ratios (boxes, landmarks): 1e-7 of the frame is far below a pixel. */
export const RATIO_DIGITS = 7;
/** 10^{@link RATIO_DIGITS}. */
export const RATIO_SCALE = 10 ** RATIO_DIGITS;
/** Decimals of degrees and percentages (pose, quality, confidence). */
export const PERCENT_DIGITS = 5;
/** 10^{@link PERCENT_DIGITS}. */
export const PERCENT_SCALE = 10 ** PERCENT_DIGITS;

/** `value` rounded to {@link RATIO_DIGITS} decimals. */
export function ratio(value: number): number {
  return Math.round(value * RATIO_SCALE) / RATIO_SCALE;
}

/** `value` rounded to {@link PERCENT_DIGITS} decimals. */
export function percent(value: number): number {
  return Math.round(value * PERCENT_SCALE) / PERCENT_SCALE;
}

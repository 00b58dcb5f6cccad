/**
 * Numbers of the synthetic detections are quantised to a fixed number of decimals (7 for frame ratios, 5 for
 * degrees and percentages), which lets the emulator print them digit by digit (`ByteWriter.decimal`) several
 * times faster than `Number#toString`, while producing exactly the text `JSON.stringify` would.
 *
 * @module
 */

/**
 * How the emulator prints the numbers of a detection:
 * - `'float32'` (the default): like the real service, which computes in float32 and widens to double when it
 *   serialises, so a box width of 0.23 arrives as `0.23000000417232513` (≈ 690 bytes per DEFAULT detection);
 * - `'rounded'`: the generated values as they are, 7 decimals for frame ratios and 5 for degrees and percentages
 *   (`0.23`; ≈ 500 bytes per DEFAULT detection: smaller and cheaper to parse than what AWS sends).
 */
export type NumberFormat = 'float32' | 'rounded';

/** The {@link NumberFormat}s. */
export const NUMBER_FORMATS: readonly NumberFormat[] = ['float32', 'rounded'];

/** `value` as a detection carries it in `format`. */
export function asServed(value: number, format: NumberFormat): number {
  return format === 'float32' ? Math.fround(value) : value;
}

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

/**
 * Sum of `n` doubles starting at `start`, in exactly the order numpy's `np.sum` adds a contiguous float64
 * array (pairwise summation with an 8-way unrolled base case of up to 128 elements), so results match
 * TrackEval to the last bit.
 *
 * @internal
 */
export function numpySum(values: ArrayLike<number>, start = 0, n = values.length - start): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i] as number;
    return sum;
  }
  if (n <= 128) {
    let r0 = values[start] as number;
    let r1 = values[start + 1] as number;
    let r2 = values[start + 2] as number;
    let r3 = values[start + 3] as number;
    let r4 = values[start + 4] as number;
    let r5 = values[start + 5] as number;
    let r6 = values[start + 6] as number;
    let r7 = values[start + 7] as number;
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const k = start + i;
      r0 += values[k] as number;
      r1 += values[k + 1] as number;
      r2 += values[k + 2] as number;
      r3 += values[k + 3] as number;
      r4 += values[k + 4] as number;
      r5 += values[k + 5] as number;
      r6 += values[k + 6] as number;
      r7 += values[k + 7] as number;
    }
    let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) sum += values[start + i] as number;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(values, start, half) + numpySum(values, start + half, n - half);
}

/** `np.mean` of a float64 vector. @internal */
export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}

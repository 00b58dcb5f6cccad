import { InvalidParameterError } from '../errors/InvalidParameterError.js';

/**
 * One evaluated sequence in TrackEval's own input form: per timestep, which ground-truth ids and tracker ids
 * are present and the similarity (IoU) between them. Ids are contiguous: `0 … numGtIds - 1` and
 * `0 … numTrackerIds - 1`, each id at most once per timestep.
 *
 * Use it to evaluate non-box data or hand-made cases (TrackEval's unit tests are written this way);
 * {@link evaluateMot} builds it from MOT rows.
 *
 * @example
 * ```ts
 * import type { TrackingSequence } from 'rekognition-face-stream';
 *
 * const sequence: TrackingSequence = {
 *   numGtIds: 1,
 *   numTrackerIds: 1,
 *   gtIds: [[0], [0]],
 *   trackerIds: [[0], []],
 *   similarity: [[[0.9]], [[]]],
 * };
 * console.log(sequence.gtIds.length); // 2 timesteps
 * ```
 */
export interface TrackingSequence {
  /** Number of distinct ground-truth ids (ids are `0 … numGtIds - 1`). */
  readonly numGtIds: number;
  /** Number of distinct tracker ids (ids are `0 … numTrackerIds - 1`). */
  readonly numTrackerIds: number;
  /** Ground-truth ids present at each timestep. */
  readonly gtIds: readonly (readonly number[])[];
  /** Tracker ids present at each timestep. */
  readonly trackerIds: readonly (readonly number[])[];
  /** Per timestep, `similarity[t][i][j]` between `gtIds[t][i]` and `trackerIds[t][j]`, in `[0, 1]`. */
  readonly similarity: readonly (readonly (readonly number[])[])[];
}

/** One timestep: ids and the row-major `gt.length × tracker.length` similarity matrix. @internal */
export interface PreparedFrame {
  readonly gt: Int32Array;
  readonly tracker: Int32Array;
  readonly similarity: Float64Array;
}

/** A validated sequence in typed arrays, the form every metric reads. @internal */
export interface PreparedSequence {
  readonly numTimesteps: number;
  readonly numGtIds: number;
  readonly numTrackerIds: number;
  readonly numGtDets: number;
  readonly numTrackerDets: number;
  readonly frames: readonly PreparedFrame[];
}

/**
 * Validates a {@link TrackingSequence} and converts it to typed arrays.
 *
 * @internal
 */
export function prepareSequence(sequence: TrackingSequence): PreparedSequence {
  const { numGtIds, numTrackerIds, gtIds, trackerIds, similarity } = sequence;
  for (const [name, value] of [
    ['numGtIds', numGtIds],
    ['numTrackerIds', numTrackerIds],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new InvalidParameterError(name, 'an integer >= 0', value);
  }
  if (!Array.isArray(gtIds)) throw new InvalidParameterError('gtIds', 'an array of timesteps (arrays of ids)', gtIds);
  const numTimesteps = gtIds.length;
  if (!Array.isArray(trackerIds) || trackerIds.length !== numTimesteps) {
    throw new InvalidParameterError('trackerIds', `an array of ${numTimesteps} timesteps (like gtIds)`, trackerIds);
  }
  if (!Array.isArray(similarity) || similarity.length !== numTimesteps) {
    throw new InvalidParameterError('similarity', `an array of ${numTimesteps} timesteps (like gtIds)`, similarity);
  }
  const frames: PreparedFrame[] = [];
  let numGtDets = 0;
  let numTrackerDets = 0;
  for (let t = 0; t < numTimesteps; t++) {
    const gt = idsAt('gtIds', t, gtIds[t], numGtIds);
    const tracker = idsAt('trackerIds', t, trackerIds[t], numTrackerIds);
    const matrix = similarity[t];
    if (!Array.isArray(matrix) || matrix.length !== gt.length) {
      throw new InvalidParameterError(`similarity[${t}]`, `${gt.length} rows (one per ground-truth id)`, matrix);
    }
    const sim = new Float64Array(gt.length * tracker.length);
    for (let i = 0; i < gt.length; i++) {
      const row = matrix[i];
      if (!Array.isArray(row) || row.length !== tracker.length) {
        throw new InvalidParameterError(`similarity[${t}][${i}]`, `${tracker.length} numbers (one per tracker id)`, row);
      }
      for (let j = 0; j < tracker.length; j++) {
        const value = row[j] as unknown;
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
          throw new InvalidParameterError(`similarity[${t}][${i}][${j}]`, 'a number from 0 to 1', value);
        }
        sim[i * tracker.length + j] = value;
      }
    }
    numGtDets += gt.length;
    numTrackerDets += tracker.length;
    frames.push({ gt, tracker, similarity: sim });
  }
  return { numTimesteps, numGtIds, numTrackerIds, numGtDets, numTrackerDets, frames };
}

function idsAt(name: string, t: number, ids: readonly number[] | undefined, count: number): Int32Array {
  if (!Array.isArray(ids)) throw new InvalidParameterError(`${name}[${t}]`, 'an array of ids', ids);
  const out = Int32Array.from(ids);
  const seen = new Set<number>();
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= count) {
      throw new InvalidParameterError(`${name}[${t}][${k}]`, `an integer from 0 to ${count - 1}`, id);
    }
    if (seen.has(id as number)) {
      throw new InvalidParameterError(`${name}[${t}]`, 'ids that are unique within the timestep', ids);
    }
    seen.add(id as number);
  }
  return out;
}

import { InvalidParameterError } from '../errors/InvalidParameterError.js';
import { boxIous, type BoxColumns } from './boxIous.js';
import type { MotRow } from './MotRow.js';
import type { PreparedFrame, PreparedSequence } from './TrackingSequence.js';

/** Options of {@link evaluateMot} that shape how MOT rows become a sequence. */
export interface MotSequenceOptions {
  /**
   * Number of frames in the sequence (MOTChallenge's `seqLength`); every row must have `1 <= frame <= numFrames`.
   * Only `CLR_Frames` and `FP_per_frame` depend on it.
   * @default the largest frame number in `gt` and `pred`
   */
  readonly numFrames?: number;
  /**
   * Drop ground-truth rows whose confidence column, truncated to an integer, is 0 — MOTChallenge's
   * "zero-marked" rows, which TrackEval removes from the evaluation. Set `false` when the ground truth's
   * confidence column holds real confidences rather than a 0/1 flag.
   * @default true
   */
  readonly ignoreZeroMarkedGt?: boolean;
}

interface Grouped {
  readonly ids: Float64Array;
  readonly boxes: BoxColumns;
}

/**
 * Builds the evaluation input from MOT rows exactly as TrackEval's MOTChallenge 2D box loader does for MOT15
 * (no classes, hence no distractor removal): zero-marked ground truth removed, ids relabelled to contiguous
 * indices in ascending id order, IoU similarity per frame with rows kept in input order.
 *
 * @internal
 */
export function prepareMot(
  gt: readonly MotRow[],
  pred: readonly MotRow[],
  options: MotSequenceOptions = {},
): PreparedSequence {
  if (!Array.isArray(gt)) throw new InvalidParameterError('gt', 'an array of MOT rows', gt);
  if (!Array.isArray(pred)) throw new InvalidParameterError('pred', 'an array of MOT rows', pred);
  const { numFrames, ignoreZeroMarkedGt = true } = options;
  if (numFrames !== undefined && (!Number.isInteger(numFrames) || numFrames < 0)) {
    throw new InvalidParameterError('numFrames', 'an integer >= 0', numFrames);
  }
  if (typeof ignoreZeroMarkedGt !== 'boolean') {
    throw new InvalidParameterError('ignoreZeroMarkedGt', 'a boolean', ignoreZeroMarkedGt);
  }
  let lastFrame = 0;
  for (const [name, rows] of [
    ['gt', gt],
    ['pred', pred],
  ] as const) {
    for (let k = 0; k < rows.length; k++) lastFrame = Math.max(lastFrame, checkRow(name, k, rows[k], numFrames));
  }
  const numTimesteps = numFrames ?? lastFrame;
  const gtFrames = groupByFrame('gt', gt, numTimesteps, ignoreZeroMarkedGt);
  const predFrames = groupByFrame('pred', pred, numTimesteps, false);
  const gtMap = relabel(gtFrames);
  const predMap = relabel(predFrames);

  const frames: PreparedFrame[] = [];
  let numGtDets = 0;
  let numTrackerDets = 0;
  for (let t = 0; t < numTimesteps; t++) {
    const g = gtFrames[t] as Grouped;
    const p = predFrames[t] as Grouped;
    frames.push({
      gt: Int32Array.from(g.ids, (id) => gtMap.get(id) as number),
      tracker: Int32Array.from(p.ids, (id) => predMap.get(id) as number),
      similarity: boxIous(g.boxes, p.boxes),
    });
    numGtDets += g.ids.length;
    numTrackerDets += p.ids.length;
  }
  return { numTimesteps, numGtIds: gtMap.size, numTrackerIds: predMap.size, numGtDets, numTrackerDets, frames };
}

function checkRow(name: string, k: number, row: MotRow | undefined, numFrames: number | undefined): number {
  if (typeof row !== 'object' || row === null) throw new InvalidParameterError(`${name}[${k}]`, 'a MOT row object', row);
  const { frame, id } = row;
  if (!Number.isInteger(frame) || frame < 1 || (numFrames !== undefined && frame > numFrames)) {
    const range = numFrames === undefined ? 'an integer >= 1' : `an integer from 1 to numFrames (${numFrames})`;
    throw new InvalidParameterError(`${name}[${k}].frame`, range, frame);
  }
  if (!Number.isInteger(id) || id < 0) throw new InvalidParameterError(`${name}[${k}].id`, 'an integer >= 0', id);
  for (const field of ['left', 'top', 'width', 'height', 'conf'] as const) {
    if (!Number.isFinite(row[field])) {
      throw new InvalidParameterError(`${name}[${k}].${field}`, 'a finite number', row[field]);
    }
  }
  return frame;
}

/** Per frame (index frame - 1) the rows in input order; duplicate ids in one frame are an error. */
function groupByFrame(name: string, rows: readonly MotRow[], numTimesteps: number, dropZeroMarked: boolean): Grouped[] {
  const members: number[][] = Array.from({ length: numTimesteps }, () => []);
  for (let k = 0; k < rows.length; k++) (members[(rows[k] as MotRow).frame - 1] as number[]).push(k);
  return members.map((indices, t) => {
    const seen = new Set<number>();
    for (const k of indices) {
      const id = (rows[k] as MotRow).id;
      if (seen.has(id)) {
        throw new InvalidParameterError(
          name,
          `rows with unique ids per frame (id ${id} appears more than once in frame ${t + 1})`,
          rows,
        );
      }
      seen.add(id);
    }
    const kept = dropZeroMarked ? indices.filter((k) => Math.trunc((rows[k] as MotRow).conf) !== 0) : indices;
    const n = kept.length;
    const grouped = {
      ids: new Float64Array(n),
      boxes: {
        count: n,
        left: new Float64Array(n),
        top: new Float64Array(n),
        width: new Float64Array(n),
        height: new Float64Array(n),
      },
    };
    kept.forEach((k, i) => {
      const row = rows[k] as MotRow;
      grouped.ids[i] = row.id;
      grouped.boxes.left[i] = row.left;
      grouped.boxes.top[i] = row.top;
      grouped.boxes.width[i] = row.width;
      grouped.boxes.height[i] = row.height;
    });
    return grouped;
  });
}

/** Maps each id present to its rank among the distinct ids (ascending). */
function relabel(frames: readonly Grouped[]): Map<number, number> {
  const ids = new Set<number>();
  for (const frame of frames) for (const id of frame.ids) ids.add(id);
  const sorted = [...ids].sort((a, b) => a - b);
  return new Map(sorted.map((id, index) => [id, index]));
}

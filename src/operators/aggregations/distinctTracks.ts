import { expectFunction } from '../../internal/validate.js';
import type { WindowAggregate } from '../../core/windows/windowTypes.js';

/** The distinct tracks seen in a window. */
export interface DistinctTracks<Id> {
  /** Number of distinct track ids. */
  readonly count: number;
  /** The ids, in order of first appearance in the window. */
  readonly trackIds: readonly Id[];
}

/** Options of {@link distinctTracks}. */
export interface DistinctTracksOptions<T, Id> {
  /**
   * Reads an item's track id; `undefined` or `null` ids are ignored.
   * @default (item) => item.TrackId
   */
  readonly trackId?: (item: T) => Id | null | undefined;
}

/**
 * Distinct tracks per window ("who is on screen in each 10 s"): counts the distinct track ids of a window's
 * items. Use it on track-labelled detections (e.g. from the `faceTracks` operator, whose items carry a
 * `TrackId`) or pass a `trackId` selector.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { distinctTracks, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0, TrackId: 1 }, { Timestamp: 5, TrackId: 2 }, { Timestamp: 9, TrackId: 1 }])
 *   .pipe(tumblingWindow(10_000, { aggregate: distinctTracks() }))
 *   .subscribe((w) => console.log(w.value)); // { count: 2, trackIds: [1, 2] }
 * ```
 * @throws InvalidParameterError When `trackId` is not a function.
 */
export function distinctTracks<T = { readonly TrackId?: string | number | null | undefined }, Id = string | number>(
  options: DistinctTracksOptions<T, Id> = {},
): WindowAggregate<T, Set<Id>, DistinctTracks<Id>> {
  const trackId =
    options.trackId === undefined
      ? (item: T) => (item as { TrackId?: Id }).TrackId
      : expectFunction<(item: T) => Id | null | undefined>('trackId', options.trackId);
  return {
    create: () => new Set<Id>(),
    add: (acc, item) => {
      const id = trackId(item);
      if (id !== undefined && id !== null) acc.add(id);
      return acc;
    },
    merge: (a, b) => {
      for (const id of b) a.add(id);
      return a;
    },
    result: (acc) => ({ count: acc.size, trackIds: [...acc] }),
  };
}

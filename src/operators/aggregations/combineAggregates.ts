import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectObject } from '../../internal/validate.js';
import type { WindowAggregate } from '../../core/windows/windowTypes.js';

/** The result type of {@link combineAggregates}: one field per named aggregate. */
export type CombinedResult<M> = { readonly [P in keyof M]: M[P] extends WindowAggregate<any, any, infer R> ? R : never };

/** The item type shared by a record of aggregates. */
type ItemOf<M> = M[keyof M] extends WindowAggregate<infer T, any, any> ? T : never;

/**
 * Runs several aggregations over the same windows in one pass; the value is an object with one field per
 * name. It can merge (session windows) when every part can.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { combineAggregates, countAggregate, meanConfidence, tumblingWindow } from 'rekognition-face-stream';
 *
 * from([{ Timestamp: 0, Face: { Confidence: 90 } }])
 *   .pipe(tumblingWindow(1000, { aggregate: combineAggregates({ count: countAggregate, confidence: meanConfidence() }) }))
 *   .subscribe((w) => console.log(w.value)); // { count: 1, confidence: 90 }
 * ```
 * @throws InvalidParameterError When `aggregates` is empty or holds something that is not an aggregate.
 */
export function combineAggregates<M extends Readonly<Record<string, WindowAggregate<any, any, any>>>>(
  aggregates: M,
): WindowAggregate<ItemOf<M>, unknown[], CombinedResult<M>> {
  expectObject('aggregates', aggregates);
  const names = Object.keys(aggregates);
  if (names.length === 0) throw new InvalidParameterError('aggregates', 'at least one named aggregate', aggregates);
  const parts = names.map((name) => {
    const part = aggregates[name] as WindowAggregate<unknown, unknown, unknown> | undefined;
    if (
      typeof part !== 'object' ||
      part === null ||
      typeof part.create !== 'function' ||
      typeof part.add !== 'function' ||
      typeof part.result !== 'function'
    ) {
      throw new InvalidParameterError(`aggregates.${name}`, 'an aggregate with create, add and result', part);
    }
    return part;
  });
  const n = parts.length;
  const combined: WindowAggregate<unknown, unknown[], Record<string, unknown>> = {
    create: () => parts.map((p) => p.create()),
    add: (acc, item) => {
      for (let i = 0; i < n; i++) acc[i] = parts[i]!.add(acc[i], item);
      return acc;
    },
    result: (acc) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) out[names[i]!] = parts[i]!.result(acc[i]);
      return out;
    },
  };
  if (parts.every((p) => typeof p.merge === 'function')) {
    combined.merge = (a, b) => {
      for (let i = 0; i < n; i++) a[i] = parts[i]!.merge!(a[i], b[i]);
      return a;
    };
  }
  return combined as unknown as WindowAggregate<ItemOf<M>, unknown[], CombinedResult<M>>;
}

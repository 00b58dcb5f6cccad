/**
 * Type-level checks of the public window API (checked by `tsc --noEmit`), run once for real.
 */
import { expect } from 'chai';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import {
  combineAggregates,
  countAggregate,
  meanConfidence,
  sessionWindow,
  tumblingWindow,
  type FaceDetection,
  type WindowResult,
} from '../../src/index.js';

interface Labelled {
  readonly Timestamp: number;
  readonly TrackId: number;
}
type ValueOf<O> = O extends Observable<infer V> ? V : never;

describe('window operator types', () => {
  it('infers item, key and result types from the source and the options', async () => {
    const labelled = from<Labelled[]>([{ Timestamp: 0, TrackId: 7 }]);
    const faces = from<FaceDetection[]>([{ Timestamp: 0, Face: { Confidence: 99 } }]);

    const items = labelled.pipe(tumblingWindow(1000));
    const keyed = labelled.pipe(
      sessionWindow(1000, { key: (d) => d.TrackId, aggregate: countAggregate, onLate: (late) => late.item.TrackId }),
    );
    const combined = faces.pipe(
      tumblingWindow(1000, { aggregate: combineAggregates({ n: countAggregate, confidence: meanConfidence() }) }),
    );

    const i: ValueOf<typeof items> = (await lastValueFrom(items.pipe(toArray())))[0]!;
    i.value[0]!.TrackId satisfies number;
    i.key satisfies undefined;
    const k: ValueOf<typeof keyed> = (await lastValueFrom(keyed.pipe(toArray())))[0]!;
    k.key satisfies number;
    k.value satisfies number;
    const c: WindowResult<{ readonly n: number; readonly confidence: number | null }> = (await lastValueFrom(
      combined.pipe(toArray()),
    ))[0]!;
    expect([i.value[0]!.TrackId, k.key, k.value, c.value]).to.deep.equal([7, 7, 1, { n: 1, confidence: 99 }]);
  });
});

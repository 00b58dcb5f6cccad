import { expect } from 'chai';
import fc from 'fast-check';
import { from } from 'rxjs';
import {
  attributeShares,
  combineAggregates,
  countAggregate,
  distinctTracks,
  dominantEmotion,
  InvalidParameterError,
  meanAgeRange,
  meanConfidence,
  sessionWindow,
  tumblingWindow,
  type FaceDetection,
  type WindowAggregate,
} from '../../src/index.js';
import type { EmotionName } from '@aws-sdk/client-rekognition';
import { collect } from './windowChecklist.js';

const fold = <T, A, R>(agg: WindowAggregate<T, A, R>, items: readonly T[]): R =>
  agg.result(items.reduce((acc, item) => agg.add(acc, item), agg.create()));

const face = (Face: FaceDetection['Face'], Timestamp = 0): FaceDetection => ({ Timestamp, Face });

describe('window aggregations', () => {
  it('countAggregate counts', () => {
    expect(fold(countAggregate, [])).to.equal(0);
    expect(fold(countAggregate, [1, 2, 3])).to.equal(3);
  });

  it('meanConfidence averages Face.Confidence, null when none', () => {
    expect(fold(meanConfidence(), [face({ Confidence: 90 }), face({ Confidence: 100 }), face({})])).to.equal(95);
    expect(fold(meanConfidence(), [face({})])).to.equal(null);
  });

  it('meanAgeRange averages Low and High', () => {
    const items = [face({ AgeRange: { Low: 20, High: 30 } }), face({ AgeRange: { Low: 30, High: 40 } }), face({})];
    expect(fold(meanAgeRange(), items)).to.deep.equal({ Low: 25, High: 35 });
    expect(fold(meanAgeRange(), [])).to.equal(null);
  });

  it('dominantEmotion votes with each face\'s top emotion; ties go alphabetically', () => {
    const e = (top: EmotionName, other: EmotionName = 'CALM') =>
      face({ Emotions: [{ Type: other, Confidence: 10 }, { Type: top, Confidence: 80 }] });
    expect(fold(dominantEmotion(), [e('HAPPY'), e('HAPPY'), e('SAD')])).to.deep.equal({ type: 'HAPPY', share: 2 / 3 });
    expect(fold(dominantEmotion(), [e('SAD'), e('ANGRY')])).to.deep.equal({ type: 'ANGRY', share: 0.5 });
    expect(fold(dominantEmotion(), [face({})])).to.equal(null);
  });

  it('attributeShares gives the share of true values per attribute and the gender split', () => {
    const items = [
      face({ Smile: { Value: true, Confidence: 99 }, Eyeglasses: { Value: false, Confidence: 99 }, Gender: { Value: 'Female', Confidence: 99 } }),
      face({ Smile: { Value: false, Confidence: 99 }, Gender: { Value: 'Male', Confidence: 99 } }),
      face({ Smile: { Value: true, Confidence: 40 }, Gender: { Value: 'Female', Confidence: 99 } }),
    ];
    const shares = fold(attributeShares(), items);
    expect(shares.Smile).to.be.closeTo(2 / 3, 1e-12);
    expect(shares.Eyeglasses).to.equal(0);
    expect(shares.Beard).to.equal(null);
    expect(shares.Gender!.Female).to.be.closeTo(2 / 3, 1e-12);
    expect(fold(attributeShares({ attributes: ['Smile'], minConfidence: 50 }), items)).to.deep.equal({ Smile: 0.5 });
    expect(() => attributeShares({ attributes: ['Smiles' as 'Smile'] })).to.throw(InvalidParameterError, /attributes/);
    expect(() => attributeShares({ attributes: [] })).to.throw(InvalidParameterError, /attributes/);
    expect(() => attributeShares({ minConfidence: 101 })).to.throw(InvalidParameterError, /minConfidence/);
  });

  it('distinctTracks counts distinct track ids in first-seen order, with an optional selector', () => {
    expect(fold(distinctTracks(), [{ TrackId: 2 }, { TrackId: 1 }, { TrackId: 2 }, {}])).to.deep.equal({ count: 2, trackIds: [2, 1] });
    const bySelector = distinctTracks({ trackId: (d: { person: string }) => d.person });
    expect(fold(bySelector, [{ person: 'a' }, { person: 'a' }])).to.deep.equal({ count: 1, trackIds: ['a'] });
    expect(() => distinctTracks({ trackId: 'TrackId' as never })).to.throw(InvalidParameterError, /trackId/);
  });

  it('combineAggregates runs several in one pass and merges only when every part can', () => {
    const both = combineAggregates({ n: countAggregate, confidence: meanConfidence() });
    expect(fold(both, [face({ Confidence: 80 }), face({ Confidence: 90 })])).to.deep.equal({ n: 2, confidence: 85 });
    expect(both.merge).to.be.a('function');
    const noMerge = combineAggregates({ n: countAggregate, x: { create: () => 0, add: (a: number) => a, result: (a: number) => a } });
    expect(noMerge.merge).to.equal(undefined);
    expect(() => combineAggregates({})).to.throw(InvalidParameterError, /aggregates/);
    expect(() => combineAggregates({ n: 3 as never })).to.throw(InvalidParameterError, /aggregates\.n/);
  });

  it('every ready aggregation merges consistently: merge(fold(a), fold(b)) == fold(a ++ b) (fast-check)', () => {
    const faceArb = fc.record(
      {
        Confidence: fc.double({ min: 50, max: 100, noNaN: true }),
        Emotions: fc.array(fc.record({ Type: fc.constantFrom('HAPPY', 'SAD', 'CALM'), Confidence: fc.integer({ min: 0, max: 100 }) }), { maxLength: 3 }),
        AgeRange: fc.record({ Low: fc.integer({ min: 0, max: 60 }), High: fc.integer({ min: 60, max: 90 }) }),
        Smile: fc.record({ Value: fc.boolean(), Confidence: fc.integer({ min: 0, max: 100 }) }),
        Gender: fc.record({ Value: fc.constantFrom('Male', 'Female'), Confidence: fc.integer({ min: 0, max: 100 }) }),
      },
      { requiredKeys: [] },
    );
    const itemArb = fc.record({ Timestamp: fc.nat(1000), Face: faceArb, TrackId: fc.integer({ min: 0, max: 5 }) });
    const all = () =>
      combineAggregates({
        n: countAggregate,
        confidence: meanConfidence(),
        emotion: dominantEmotion(),
        attributes: attributeShares({ minConfidence: 30 }),
        age: meanAgeRange(),
        tracks: distinctTracks(),
      });
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 30 }), fc.array(itemArb, { maxLength: 30 }), (a, b) => {
        const agg = all();
        const left = a.reduce((acc, d) => agg.add(acc, d), agg.create());
        const right = b.reduce((acc, d) => agg.add(acc, d), agg.create());
        const merged = agg.result(agg.merge!(left, right)) as Record<string, unknown>;
        const whole = fold(all(), [...a, ...b]) as Record<string, unknown>;
        // Floating-point sums may differ in the last bits; compare with a tolerance.
        expect(JSON.stringify(merged, round)).to.equal(JSON.stringify(whole, round));
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it('plug into the operators: faces per second and mean confidence per session', async () => {
    const items = [face({ Confidence: 90 }, 0), face({ Confidence: 80 }, 500), face({ Confidence: 70 }, 5000)];
    const perSecond = await collect(from(items).pipe(tumblingWindow(1000, { aggregate: countAggregate })));
    expect(perSecond.map((w) => [w.start, w.value])).to.deep.equal([
      [0, 2],
      [5000, 1],
    ]);
    const scenes = await collect(from(items).pipe(sessionWindow(2000, { aggregate: meanConfidence() })));
    expect(scenes.map((w) => [w.start, w.end, w.value])).to.deep.equal([
      [0, 2500, 85],
      [5000, 7000, 70],
    ]);
  });
});

function round(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? Math.round(value * 1e9) / 1e9 : value;
}

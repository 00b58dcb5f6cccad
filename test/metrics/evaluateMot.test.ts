import { expect } from 'chai';
import fc from 'fast-check';
import {
  combineMetrics,
  evaluateMot,
  evaluateSequence,
  InvalidParameterError,
  parseMot,
  type MotMetrics,
  type MotRow,
  type TrackingSequence,
} from '../../src/index.js';
import { trackEvalIdentity } from './trackEvalIdentity.js';

const rows = (...lines: string[]): MotRow[] => parseMot(lines.join('\n'));

/** Random sequences in TrackEval's input form, with similarities on a coarse grid (many ties). */
const sequences: fc.Arbitrary<TrackingSequence> = fc
  .record({ G: fc.integer({ min: 0, max: 5 }), T: fc.integer({ min: 0, max: 6 }), steps: fc.integer({ min: 1, max: 8 }) })
  .chain(({ G, T, steps }) =>
    fc
      .array(
        fc.tuple(fc.subarray([...Array(G).keys()]), fc.subarray([...Array(T).keys()])).chain(([gts, trs]) =>
          fc.tuple(
            fc.constant(gts),
            fc.constant(trs),
            fc.array(fc.array(fc.constantFrom(0, 0.2, 0.49, 0.5, 0.7, 1), { minLength: trs.length, maxLength: trs.length }), {
              minLength: gts.length,
              maxLength: gts.length,
            }),
          ),
        ),
        { minLength: steps, maxLength: steps },
      )
      .map((frames) => ({
        numGtIds: G,
        numTrackerIds: T,
        gtIds: frames.map((f) => f[0]),
        trackerIds: frames.map((f) => f[1]),
        similarity: frames.map((f) => f[2]),
      })),
  );

describe('evaluateMot / evaluateSequence', () => {
  it('perfect tracking scores 1 everywhere', () => {
    const gt = rows('1,1,0,0,10,10,1', '1,2,50,0,10,10,1', '2,1,1,0,10,10,1', '2,2,51,0,10,10,1', '3,2,52,0,10,10,1');
    const m = evaluateMot(gt, gt);
    for (const key of ['HOTA', 'DetA', 'AssA', 'LocA', 'IDF1', 'IDP', 'IDR', 'MOTA', 'MOTP', 'CLR_Re', 'CLR_Pr'] as const) {
      expect(m[key], key).to.equal(1);
    }
    expect([m.CLR_TP, m.CLR_FN, m.CLR_FP, m.IDSW, m.Frag, m.MT, m.PT, m.ML]).to.deep.equal([5, 0, 0, 0, 0, 2, 0, 0]);
    expect(m.perAlpha.HOTA_TP).to.deep.equal(new Array(19).fill(5));
  });

  it('counts a switch, a fragmentation and the per-α loss of a loose box', () => {
    const gt = rows('1,1,0,0,10,10,1', '2,1,0,0,10,10,1', '3,1,0,0,10,10,1', '4,1,0,0,10,10,1');
    // id 5 tracks frames 1-2, a far false positive at frame 3, id 6 at frame 4 with IoU 0.6.
    const pred = rows('1,5,0,0,10,10,1', '2,5,0,0,10,10,1', '3,7,80,80,5,5,1', '4,6,0,0,10,6,1');
    const m = evaluateMot(gt, pred);
    expect([m.CLR_TP, m.CLR_FN, m.CLR_FP, m.IDSW, m.Frag]).to.deep.equal([3, 1, 1, 1, 1]);
    expect(m.MOTA).to.equal((3 - 1 - 1) / 4);
    expect([m.IDTP, m.IDFN, m.IDFP]).to.deep.equal([2, 2, 2]);
    // The last match (IoU 0.6) is a true positive at α ≤ 0.6 only.
    expect(m.perAlpha.HOTA_TP.slice(10, 13)).to.deep.equal([3, 3, 2]);
    // As in TrackEval, a frame with no tracker box at all does not end a tracked stretch: no fragmentation.
    const withoutFalsePositive = evaluateMot(gt, pred.filter((r) => r.id !== 7));
    expect([withoutFalsePositive.IDSW, withoutFalsePositive.Frag]).to.deep.equal([1, 0]);
  });

  it('ignores zero-marked ground truth unless told otherwise', () => {
    const gt = rows('1,1,0,0,10,10,1', '1,2,50,0,10,10,0', '2,2,50,0,10,10,0.6');
    const pred = rows('1,1,0,0,10,10,1');
    expect(evaluateMot(gt, pred).CLR_FN).to.equal(0);
    const kept = evaluateMot(gt, pred, { ignoreZeroMarkedGt: false });
    expect([kept.CLR_TP, kept.CLR_FN]).to.deep.equal([1, 2]);
  });

  it('reproduces TrackEval for empty inputs (early returns included)', () => {
    const gt = rows('1,1,0,0,10,10,1', '2,1,0,0,10,10,1');
    const noPred = evaluateMot(gt, [], { numFrames: 5 });
    expect([noPred.CLR_FN, noPred.ML, noPred.MLR, noPred.MOTA, noPred.CLR_Frames, noPred.IDFN]).to.deep.equal([2, 1, 1, 0, 0, 2]);
    expect([noPred.HOTA, noPred.LocA, noPred.LocA0]).to.deep.equal([0, 1, 1]);
    const noGt = evaluateMot([], gt);
    expect([noGt.CLR_FP, noGt.MOTA, noGt.MLR, noGt.IDFP, noGt.perAlpha.HOTA_FP[0]]).to.deep.equal([2, 0, 1, 2, 2]);
    const nothing = evaluateMot([], []);
    expect([nothing.HOTA, nothing.MOTA, nothing.IDF1, nothing.CLR_Frames]).to.deep.equal([0, 0, 0, 0]);
  });

  it('validates rows and options before evaluating, naming the offending field', () => {
    const gt = rows('1,1,0,0,10,10,1');
    expect(() => evaluateMot(gt, rows('1,4,0,0,1,1,1', '1,4,5,5,1,1,1'))).to.throw(InvalidParameterError, /`pred`.*id 4 appears more than once in frame 1/);
    expect(() => evaluateMot(rows('2,1,0,0,1,1,1', '2,1,0,0,1,1,0'), [])).to.throw(InvalidParameterError, /`gt`.*frame 2/);
    expect(() => evaluateMot(gt, rows('1,-1,0,0,1,1,1'))).to.throw(InvalidParameterError, /`pred\[0\]\.id`/);
    expect(() => evaluateMot(gt, rows('3,1,0,0,1,1,1'), { numFrames: 2 })).to.throw(InvalidParameterError, /`pred\[0\]\.frame`.*numFrames \(2\)/);
    expect(() => evaluateMot(gt, [{ ...gt[0]!, width: Number.NaN }])).to.throw(InvalidParameterError, /`pred\[0\]\.width`/);
    expect(() => evaluateMot(gt, gt, { numFrames: -1 })).to.throw(InvalidParameterError, /`numFrames`/);
    expect(() => evaluateMot(gt, 'x' as unknown as MotRow[])).to.throw(InvalidParameterError, /`pred`/);
    expect(() => evaluateSequence({ numGtIds: 1, numTrackerIds: 1, gtIds: [[1]], trackerIds: [[0]], similarity: [[[1]]] })).to.throw(
      InvalidParameterError,
      /`gtIds\[0\]\[0\]`/,
    );
    expect(() => evaluateSequence({ numGtIds: 1, numTrackerIds: 1, gtIds: [[0]], trackerIds: [[0]], similarity: [[[2]]] })).to.throw(
      InvalidParameterError,
      /`similarity\[0\]\[0\]\[0\]`/,
    );
  });

  it('is pure: frozen input accepted, ids relabelled by rank (renaming ids keeps every value)', () => {
    const gt = Object.freeze(rows('1,1,0,0,10,10,1', '1,2,20,0,10,10,1', '2,1,1,0,10,10,1', '2,2,21,0,10,10,1').map((r) => Object.freeze(r)));
    const pred = rows('1,3,0,1,10,10,1', '1,9,20,1,10,10,1', '2,9,1,1,10,10,1', '2,4,21,0,10,10,1');
    const renamed = pred.map((r) => ({ ...r, id: r.id * 100 + 7 }));
    expect(evaluateMot(gt, renamed)).to.deep.equal(evaluateMot(gt, pred));
  });

  it('combineMetrics sums counts (not an average) and leaves a single sequence unchanged', () => {
    const a = evaluateMot(rows('1,1,0,0,10,10,1'), rows('1,1,0,0,10,10,1'));
    const b = evaluateMot(rows('1,1,0,0,10,10,1', '2,1,0,0,10,10,1', '3,1,0,0,10,10,1'), rows('9,1,50,50,5,5,1'), { numFrames: 9 });
    const both = combineMetrics([a, b]);
    expect([both.CLR_TP, both.CLR_FN, both.CLR_FP, both.CLR_Frames]).to.deep.equal([1, 3, 1, 10]);
    expect(both.MOTA).to.equal((1 - 1) / 4);
    expect(both.MOTA).to.not.equal((a.MOTA + b.MOTA) / 2);
    expect(both.perAlpha.HOTA_TP[0]).to.equal(1);
    const single = combineMetrics([b]);
    for (const key of ['HOTA', 'DetA', 'AssA', 'LocA', 'MOTA', 'IDF1', 'MOTP'] as const) expect(single[key], key).to.equal(b[key]);
    expect(() => combineMetrics('x' as unknown as MotMetrics[])).to.throw(InvalidParameterError, /`parts`/);
  });

  it("Identity equals TrackEval's square (gt + tracker)² formulation on random sequences", () => {
    fc.assert(
      fc.property(sequences, (seq) => {
        const m = evaluateSequence(seq);
        expect({ IDTP: m.IDTP, IDFN: m.IDFN, IDFP: m.IDFP }).to.deep.equal(trackEvalIdentity(seq));
      }),
      { seed: 99, numRuns: 300 },
    );
  });

  it('keeps the accounting identities of every metric family on random sequences', () => {
    fc.assert(
      fc.property(sequences, (seq) => {
        const m = evaluateSequence(seq);
        const gtDets = seq.gtIds.reduce((s, ids) => s + ids.length, 0);
        const trDets = seq.trackerIds.reduce((s, ids) => s + ids.length, 0);
        if (gtDets > 0 && trDets > 0) {
          expect(m.CLR_TP + m.CLR_FN).to.equal(gtDets);
          expect(m.CLR_TP + m.CLR_FP).to.equal(trDets);
        }
        expect(m.IDTP + m.IDFN).to.equal(gtDets);
        expect(m.IDTP + m.IDFP).to.equal(trDets);
        m.perAlpha.HOTA_TP.forEach((tp, a) => {
          expect(tp + m.perAlpha.HOTA_FN[a]!).to.equal(gtDets);
          expect(tp + m.perAlpha.HOTA_FP[a]!).to.equal(trDets);
          if (a > 0) expect(tp).to.be.at.most(m.perAlpha.HOTA_TP[a - 1]!);
        });
        for (const key of ['HOTA', 'DetA', 'AssA', 'IDF1', 'MOTP'] as const) expect(m[key], key).to.be.within(0, 1);
        expect(m.MOTA).to.be.at.most(1);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

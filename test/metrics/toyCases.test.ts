import { expect } from 'chai';
import { evaluateSequence, type MotMetrics, type TrackingSequence } from '../../src/index.js';

/**
 * TrackEval's tests/test_metrics.py toy sequences, given densely (presence per timestep and a similarity for
 * every (gt id, tracker id) pair), converted as its `_from_dense` does.
 */
interface DenseCase {
  readonly gtPresent: readonly (readonly number[])[]; // [gt id][t]
  readonly trackerPresent: readonly (readonly number[])[]; // [tracker id][t]
  readonly similarity: Readonly<Record<string, readonly number[]>>; // "g,t" → per timestep
}

function fromDense({ gtPresent, trackerPresent, similarity }: DenseCase): TrackingSequence {
  const timesteps = (gtPresent[0] as readonly number[]).length;
  const present = (rows: readonly (readonly number[])[], t: number): number[] =>
    rows.flatMap((row, id) => (row[t] === 1 ? [id] : []));
  const gtIds = Array.from({ length: timesteps }, (_, t) => present(gtPresent, t));
  const trackerIds = Array.from({ length: timesteps }, (_, t) => present(trackerPresent, t));
  return {
    numGtIds: gtPresent.length,
    numTrackerIds: trackerPresent.length,
    gtIds,
    trackerIds,
    similarity: gtIds.map((gts, t) =>
      gts.map((g) => (trackerIds[t] as number[]).map((tr) => similarity[`${g},${tr}`]?.[t] ?? 0)),
    ),
  };
}

/** Presence shared by no_confusion and with_confusion. */
const TWO_BY_TWO = {
  gtPresent: [
    [1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0],
  ],
  trackerPresent: [
    [1, 1, 1, 1, 0],
    [1, 1, 1, 1, 1],
  ],
} as const;

/** Both no_confusion and with_confusion have the same Identity result. */
const TWO_BY_TWO_IDENTITY = { IDTP: 4, IDFN: 4, IDFP: 5, IDR: 4 / 8, IDP: 4 / 9, IDF1: (2 * 4) / 17 } as const;

const cases: ReadonlyArray<{ name: string; data: DenseCase; expected: Partial<MotMetrics> }> = [
  {
    name: 'no_confusion',
    data: {
      ...TWO_BY_TWO,
      similarity: { '0,1': [0, 0, 0, 1, 1], '1,0': [1, 1, 0, 0, 0] },
    },
    expected: {
      CLR_TP: 4,
      CLR_FN: 4,
      CLR_FP: 5,
      IDSW: 0,
      MOTA: 1 - 9 / 8,
      ...TWO_BY_TWO_IDENTITY,
      // Derived by hand: TP 4, FN 4, FP 5 at every α; pairs (0,1) and (1,0) matched twice each,
      // AssA = (2·2/8 + 2·2/5) / 4 = 0.325.
      DetA: 4 / 13,
      AssA: 0.325,
      HOTA: Math.sqrt((4 / 13) * 0.325),
      LocA: 1,
    },
  },
  {
    name: 'with_confusion',
    data: {
      ...TWO_BY_TWO,
      similarity: {
        '0,1': [0, 0, 0, 1, 1],
        '1,0': [1, 1, 0, 0, 0],
        '0,0': [0, 0, 1, 0, 0],
        '1,1': [0, 1, 0, 0, 0],
      },
    },
    expected: {
      CLR_TP: 5,
      CLR_FN: 3,
      CLR_FP: 4,
      IDSW: 1,
      MOTA: 1 - 8 / 8,
      ...TWO_BY_TWO_IDENTITY,
    },
  },
  {
    name: 'split_tracks',
    data: {
      gtPresent: [
        [1, 1, 0, 1, 1],
        [1, 1, 1, 1, 1],
      ],
      trackerPresent: [
        [1, 1, 0, 0, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 0, 0, 1],
        [0, 0, 1, 1, 1],
        [1, 1, 0, 0, 0],
      ],
      similarity: {
        '0,0': [1, 1, 0, 0, 0],
        '0,3': [0, 0, 0, 1, 1],
        '1,1': [0, 0, 1, 1, 0],
        '1,2': [0, 0, 0, 0, 1],
        '1,4': [1, 1, 0, 0, 0],
      },
    },
    expected: {
      CLR_TP: 9,
      CLR_FN: 0,
      CLR_FP: 2,
      IDSW: 3,
      MOTA: 1 - 5 / 9,
      IDTP: 4,
      IDFN: 5,
      IDFP: 7,
      IDR: 4 / 9,
      IDP: 4 / 11,
      IDF1: (2 * 4) / 20,
      // Derived by hand: TP 9, FN 0, FP 2; pair matches (0,0)×2, (1,4)×2, (1,1)×2, (0,3)×2, (1,2)×1,
      // AssA = (2·2/4 + 2·2/5 + 2·2/6 + 2·2/5 + 1·1/5) / 9 = 52/135.
      DetA: 9 / 11,
      AssA: 52 / 135,
      HOTA: Math.sqrt((9 / 11) * (52 / 135)),
      MT: 2,
      PT: 0,
      ML: 0,
    },
  },
];

describe('metrics: TrackEval toy cases (tests/test_metrics.py)', () => {
  for (const { name, data, expected } of cases) {
    it(`${name}: ${Object.keys(expected).join(', ')}`, () => {
      const metrics = evaluateSequence(fromDense(data));
      for (const [key, value] of Object.entries(expected)) {
        expect(metrics[key as keyof MotMetrics], key).to.be.closeTo(value as number, 1e-12);
      }
    });
  }
});

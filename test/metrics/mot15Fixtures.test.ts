import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combineMetrics, evaluateMot, parseMot, type MotMetrics } from '../../src/index.js';

/**
 * The real MOT15 fixtures (TUD-Campus, TUD-Stadtmitte) and TrackEval's full-precision results for them, in
 * the repository under test/fixtures/mot15-tud/ (source and licence in its README).
 */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mot15-tud');
const SEQUENCES = ['TUD-Campus', 'TUD-Stadtmitte'] as const;
const TOLERANCE = 1e-9;

type Expected = Readonly<Record<string, Readonly<Record<string, number | readonly number[]>>>>;

/** TrackEval field name → where it lives in MotMetrics. */
function actualValue(metrics: MotMetrics, field: string): number | readonly number[] {
  const perAlpha = metrics.perAlpha as unknown as Readonly<Record<string, readonly number[]>>;
  const flat = metrics as unknown as Readonly<Record<string, number>>;
  const scalarName = field.replace('(0)', '0'); // HOTA(0) → HOTA0
  return perAlpha[field] ?? (flat[scalarName] as number);
}

describe('metrics: MOT15 TUD fixtures against TrackEval (expected-*.json)', function () {
  for (const tracker of ['test', 'sort-default'] as const) {
    describe(`${tracker}.txt vs gt.txt`, () => {
      let expected: Expected;
      const results: Record<string, MotMetrics> = {};
      before(() => {
        expected = JSON.parse(readFileSync(resolve(FIXTURES, `expected-${tracker}.json`), 'utf8')) as Expected;
        for (const sequence of SEQUENCES) {
          const read = (file: string) => parseMot(readFileSync(resolve(FIXTURES, sequence, file), 'utf8'));
          results[sequence] = evaluateMot(read('gt.txt'), read(`${tracker}.txt`));
        }
        results.COMBINED = combineMetrics(SEQUENCES.map((s) => results[s] as MotMetrics));
      });

      for (const sequence of [...SEQUENCES, 'COMBINED']) {
        it(`${sequence}: every TrackEval field (scalars and per-α arrays) to ${TOLERANCE}`, () => {
          const fields = expected[sequence];
          expect(fields, `expected values for ${sequence}`).to.be.an('object');
          const entries = Object.entries(fields as object) as [string, number | number[]][];
          expect(entries.length).to.be.greaterThan(40);
          for (const [field, want] of entries) {
            const got = actualValue(results[sequence] as MotMetrics, field);
            if (Array.isArray(want)) {
              expect(got, field).to.be.an('array').with.length(want.length);
              want.forEach((w, a) => expect((got as readonly number[])[a], `${field}[${a}]`).to.be.closeTo(w, TOLERANCE));
            } else {
              expect(got, field).to.be.a('number');
              expect(got as number, field).to.be.closeTo(want as number, TOLERANCE);
            }
          }
          // The summary scalars are TrackEval's means over α.
          const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
          for (const field of ['HOTA', 'DetA', 'AssA', 'LocA', 'DetRe', 'DetPr', 'AssRe', 'AssPr', 'OWTA'] as const) {
            const want = fields?.[field] as readonly number[];
            expect((results[sequence] as MotMetrics)[field], field).to.be.closeTo(mean(want), TOLERANCE);
          }
        });
      }
    });
  }

  it('pins the headline figures of the fixture README', () => {
    const read = (sequence: string, file: string) =>
      parseMot(readFileSync(resolve(FIXTURES, sequence, file), 'utf8'));
    const campus = evaluateMot(read('TUD-Campus', 'gt.txt'), read('TUD-Campus', 'test.txt'));
    const stadtmitte = evaluateMot(read('TUD-Stadtmitte', 'gt.txt'), read('TUD-Stadtmitte', 'test.txt'));
    const combined = combineMetrics([campus, stadtmitte]);
    expect(campus.HOTA).to.be.closeTo(0.3913974378451139, TOLERANCE);
    expect(campus.MOTA).to.be.closeTo(0.5264623955431755, TOLERANCE);
    expect(campus.IDF1).to.be.closeTo(0.5576592082616179, TOLERANCE);
    expect(combined.HOTA).to.be.closeTo(0.3999570912884786, TOLERANCE);
    expect(combined.MOTA).to.be.closeTo(0.5551155115511551, TOLERANCE);
    expect(combined.IDF1).to.be.closeTo(0.6242960579243765, TOLERANCE);
    // SORT's README row for TUD-Campus: FP 15, FN 113, IDs 6, FM 9, MOTA 62.7, MOTP 73.7.
    const sort = evaluateMot(read('TUD-Campus', 'gt.txt'), read('TUD-Campus', 'sort-default.txt'));
    expect([sort.CLR_FP, sort.CLR_FN, sort.IDSW, sort.Frag]).to.deep.equal([15, 113, 6, 9]);
    expect(sort.MOTA).to.be.closeTo(0.627, 5e-4);
    expect(sort.MOTP).to.be.closeTo(0.737, 5e-4);
  });
});

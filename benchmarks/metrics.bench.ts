/**
 * Metrics and assignment: (1) the LAP solver against greedy min-first matching (the usual shortcut) on random
 * cost matrices; (2) Identity (IDF1) with our reduced assignment against TrackEval's square (gt + tracker ids)²
 * formulation on a fragmenting tracker; (3) whole `evaluateMot` on the MOT15 TUD fixtures against parsing the
 * same files.
 */
import { readFileSync } from 'node:fs';
import { linearSumAssignment } from '../src/core/linearSumAssignment.js';
import { evaluateIdentity } from '../src/metrics/identity.js';
import { evaluateMot } from '../src/metrics/evaluateMot.js';
import { parseMot } from '../src/metrics/parseMot.js';
import { prepareSequence, type TrackingSequence } from '../src/metrics/TrackingSequence.js';
import { trackEvalIdentity } from '../test/metrics/trackEvalIdentity.js';
import { MOT15_DIR, TUD_SEQUENCES } from './lib/mot15.js';
import { fmt, median, ratio, table } from './lib/stats.js';
import type { Benchmark, BenchmarkContext } from './lib/types.js';

/** Deterministic uniform [0, 1) generator (LCG). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Median wall time (ms) of `fn` over `runs` runs, after three warm-up runs. */
function time(fn: () => unknown, runs: number): number {
  for (let w = 0; w < 3; w++) fn();
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Greedy min-first matching (norfair style): repeatedly take the cheapest remaining cell. */
function greedy(cost: readonly (readonly number[])[]): { rows: number[]; cols: number[] } {
  const cells: [number, number, number][] = [];
  cost.forEach((row, i) => row.forEach((c, j) => cells.push([c, i, j])));
  cells.sort((a, b) => a[0] - b[0]);
  const usedRows = new Set<number>();
  const usedCols = new Set<number>();
  const rows: number[] = [];
  const cols: number[] = [];
  for (const [, i, j] of cells) {
    if (usedRows.has(i) || usedCols.has(j)) continue;
    usedRows.add(i);
    usedCols.add(j);
    rows.push(i);
    cols.push(j);
  }
  return { rows, cols };
}

function lapSection(quick: boolean, log: BenchmarkContext['log']): string {
  const shapes: readonly (readonly [number, number])[] = quick
    ? [
        [5, 5],
        [20, 20],
        [50, 50],
      ]
    : [
        [5, 5],
        [20, 20],
        [50, 50],
        [100, 100],
        [200, 200],
        [20, 200],
        [200, 20],
      ];
  const rows = shapes.map(([nr, nc]) => {
    const next = random(nr * 1000 + nc);
    const matrices = Array.from({ length: quick ? 5 : 20 }, () =>
      Array.from({ length: nr }, () => Array.from({ length: nc }, next)),
    );
    const total = (m: readonly (readonly number[])[], a: { rows: number[]; cols: number[] }) =>
      a.rows.reduce((s, r, k) => s + m[r]![a.cols[k]!]!, 0);
    const runs = quick ? 3 : 7;
    const ours = time(() => matrices.forEach((m) => linearSumAssignment(m)), runs) / matrices.length;
    const base = time(() => matrices.forEach((m) => greedy(m)), runs) / matrices.length;
    const excess = median(matrices.map((m) => total(m, greedy(m)) / total(m, linearSumAssignment(m)) - 1));
    log(`lap ${nr}×${nc}: ours ${(ours * 1000).toFixed(1)} µs, greedy ${(base * 1000).toFixed(1)} µs`);
    return [`${nr}×${nc}`, fmt(ours * 1000, 1), fmt(base * 1000, 1), ratio(ours, base), `+${(100 * excess).toFixed(1)} %`];
  });
  return [
    '**Assignment: `linearSumAssignment` (optimal) vs greedy min-first** — uniform random costs, median time per',
    'solve. Greedy is what a naive tracker or evaluator would use; its median excess cost shows why the metrics',
    'need the optimum.',
    '',
    table(['matrix', 'ours (µs)', 'greedy (µs)', 'ours / greedy', 'greedy excess cost (median)'], rows),
  ].join('\n');
}

/** A tracker that follows `objects` objects over `frames` frames but switches to a new id with probability p. */
function fragmentingSequence(frames: number, objects: number, switchProbability: number): TrackingSequence {
  const next = random(7);
  const current = Array.from({ length: objects }, (_, i) => i);
  let nextId = objects;
  const gtIds: number[][] = [];
  const trackerIds: number[][] = [];
  const similarity: number[][][] = [];
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < objects; i++) if (next() < switchProbability) current[i] = nextId++;
    gtIds.push(Array.from({ length: objects }, (_, i) => i));
    trackerIds.push([...current]);
    similarity.push(
      Array.from({ length: objects }, (_, i) =>
        Array.from({ length: objects }, (_, j) => (i === j ? 0.6 + 0.35 * next() : next() < 0.05 ? 0.55 * next() : 0)),
      ),
    );
  }
  return { numGtIds: objects, numTrackerIds: nextId, gtIds, trackerIds, similarity };
}

function identitySection(quick: boolean, log: BenchmarkContext['log']): string {
  const cases: readonly (readonly [number, number, number])[] = quick
    ? [[100, 10, 0.05]]
    : [
        [300, 15, 0.01],
        [300, 15, 0.05],
        [300, 15, 0.1],
      ];
  const rows = cases.map(([frames, objects, p]) => {
    const seq = fragmentingSequence(frames, objects, p);
    const prepared = prepareSequence(seq);
    const ours = evaluateIdentity(prepared);
    const reference = trackEvalIdentity(seq);
    if (ours.IDTP !== reference.IDTP || ours.IDFP !== reference.IDFP) throw new Error('Identity mismatch');
    const runs = quick ? 3 : 5;
    const oursMs = time(() => evaluateIdentity(prepared), runs);
    const baseMs = time(() => trackEvalIdentity(seq), quick ? 1 : 3);
    log(`identity ${seq.numTrackerIds} tracker ids: ours ${oursMs.toFixed(2)} ms, square ${baseMs.toFixed(1)} ms`);
    return [
      `${frames} frames, ${objects} objects, ${seq.numTrackerIds} tracker ids`,
      fmt(oursMs, 2),
      fmt(baseMs, 1),
      ratio(oursMs, baseMs, 4),
      `${(100 * ours.IDF1).toFixed(2)} % (same)`,
    ];
  });
  return [
    '**Identity (IDF1): reduced assignment vs TrackEval\'s square formulation** — a tracker that re-labels each',
    'object with probability p per frame; both give the same IDTP/IDFN/IDFP (checked in the run).',
    '',
    table(['sequence', 'ours (ms)', 'square (ms)', 'ours / square', 'IDF1'], rows),
  ].join('\n');
}

function fixtureSection(quick: boolean, log: BenchmarkContext['log']): string {
  const rows = TUD_SEQUENCES.map((name) => {
    const gtText = readFileSync(new URL(`${name}/gt.txt`, MOT15_DIR), 'utf8');
    const predText = readFileSync(new URL(`${name}/test.txt`, MOT15_DIR), 'utf8');
    const gt = parseMot(gtText);
    const pred = parseMot(predText);
    const runs = quick ? 5 : 21;
    const parseMs = time(() => (parseMot(gtText), parseMot(predText)), runs);
    const evalMs = time(() => evaluateMot(gt, pred), runs);
    log(`${name}: evaluate ${evalMs.toFixed(2)} ms, parse ${parseMs.toFixed(2)} ms`);
    return [name, `${gt.length} / ${pred.length}`, fmt(evalMs, 2), fmt(parseMs, 2), ratio(evalMs, parseMs, 1)];
  });
  return [
    '**`evaluateMot` on MOT15 (all of HOTA, CLEAR, Identity)** — CEM `test.txt` against `gt.txt`, warm median;',
    'the baseline is parsing the two files.',
    '',
    table(['sequence', 'gt / tracker rows', 'evaluate (ms)', 'parse (ms)', 'evaluate / parse'], rows),
  ].join('\n');
}

const bench: Benchmark = {
  title: 'Metrics and assignment',
  order: 60,
  async run(context) {
    return [
      lapSection(context.quick, context.log),
      identitySection(context.quick, context.log),
      fixtureSection(context.quick, context.log),
    ].join('\n\n');
  },
};

export default bench;

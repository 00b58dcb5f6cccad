import type { BoundingBox, FaceDetection } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  motExport,
  parseObjectName,
  PRESET_NAMES,
  syntheticVideo,
  type PresetName,
  type SyntheticVideo,
} from '../../src/emulator/index.js';
import { ByteWriter } from '../../src/emulator/protocol/ByteWriter.js';
import { writeJson } from '../../src/emulator/protocol/writeJson.js';
import { toFaceDetection } from '../../src/emulator/synthetic/faceDetail.js';
import { faceDetectionJson } from '../../src/emulator/synthetic/serialize.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';

const video = (preset: PresetName, seed = 1, durationMs = 60_000, extra: { people?: number; faceAttributes?: 'ALL' } = {}) =>
  syntheticVideo({ seed, preset, durationMs, ...extra });

function iou(a: BoundingBox, b: BoundingBox): number {
  const w = Math.min(a.Left! + a.Width!, b.Left! + b.Width!) - Math.max(a.Left!, b.Left!);
  const h = Math.min(a.Top! + a.Height!, b.Top! + b.Height!) - Math.max(a.Top!, b.Top!);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.Width! * a.Height! + b.Width! * b.Height! - inter);
}

/** Per person: IoU of each detection with the same person's detection one sample (≈200 ms) earlier. */
function stepIous(v: SyntheticVideo): number[] {
  const last = new Map<number, { ts: number; box: BoundingBox }>();
  const out: number[] = [];
  for (const { detection, personId } of v.detections()) {
    if (personId === null) continue;
    const prev = last.get(personId);
    const ts = detection.Timestamp!;
    if (prev && ts - prev.ts < v.samplePeriodMs * 1.5) out.push(iou(prev.box, detection.Face!.BoundingBox!));
    last.set(personId, { ts, box: detection.Face!.BoundingBox! });
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

describe('synthetic video generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    for (const preset of PRESET_NAMES) {
      const a = [...video(preset, 3, 20_000).detections()];
      const b = [...video(preset, 3, 20_000).detections()];
      const c = [...video(preset, 4, 20_000).detections()];
      expect(a).to.deep.equal(b);
      expect(a).to.not.deep.equal(c);
    }
  });

  it('seeks: detections(from) is the tail of the full sequence, and detectionCount its length', () => {
    const v = video('walkers', 8, 45_000);
    const all = [...v.detections()];
    expect(v.detectionCount()).to.equal(all.length);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length + 5 }), (from) => {
        const fresh = video('walkers', 8, 45_000); // fresh caches: seeking without reading the prefix
        expect([...fresh.detections(from)]).to.deep.equal(all.slice(from));
      }),
      { numRuns: 25 },
    );
    expect(() => [...v.detections(-1)]).to.throw(InvalidParameterError);
  });

  it('sorts detections by Timestamp, samples about every 200 ms', () => {
    for (const preset of PRESET_NAMES) {
      const v = video(preset, 2);
      const ts = [...v.detections()].map((d) => d.detection.Timestamp!);
      expect(ts).to.deep.equal([...ts].sort((a, b) => a - b));
      expect(v.samplePeriodMs).to.be.within(199, 212);
      expect(ts.every((t) => t < 60_000)).to.equal(true);
      const gaps = new Set(ts.slice(1).map((t, i) => t - ts[i]!).filter((g) => g > 0 && g < 300));
      for (const g of gaps) expect(g).to.be.within(199, 212);
    }
  });

  it('serialises exactly like JSON.stringify (DEFAULT and ALL)', () => {
    for (const faceAttributes of ['DEFAULT', 'ALL'] as const) {
      for (const preset of PRESET_NAMES) {
        const v = syntheticVideo({ seed: 5, preset, durationMs: 20_000, faceAttributes });
        for (const raw of v.rawDetections()) {
          expect(faceDetectionJson(raw, faceAttributes)).to.equal(JSON.stringify(toFaceDetection(raw, faceAttributes)));
        }
      }
    }
  });

  it('ByteWriter.decimal prints fixed-decimal numbers exactly as JSON.stringify', () => {
    fc.assert(
      fc.property(fc.double({ min: -200, max: 200, noNaN: true }), fc.constantFrom(6, 8), (x, digits) => {
        const scale = 10 ** digits;
        const value = Math.round(x * scale) / scale;
        fc.pre(Math.abs(value) * scale < 2 ** 31);
        const out = new ByteWriter(8);
        out.decimal(value, scale, digits);
        expect(out.finish().toString()).to.equal(JSON.stringify(value));
      }),
      { numRuns: 5000 },
    );
    for (const [value, digits] of [[0, 8], [-0, 8], [1e-7, 8], [-3e-8, 8], [5e-7, 8], [1, 8], [-1, 8], [0.1, 8], [-20.5, 8], [100, 6], [99.999999, 6], [-179.000001, 6]] as const) {
      const out = new ByteWriter(1);
      out.decimal(value, 10 ** digits, digits);
      expect(out.finish().toString()).to.equal(JSON.stringify(value));
    }
  });

  it('writeJson writes exactly what JSON.stringify writes', () => {
    const json = (value: unknown) => {
      const out = new ByteWriter(16);
      writeJson(out, value);
      return out.finish().toString('utf8');
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(json(value)).to.equal(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
    const grid = fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map((n) => n / 1e7);
    fc.assert(
      fc.property(fc.array(grid), (values) => {
        expect(json(values)).to.equal(JSON.stringify(values));
      }),
      { numRuns: 500 },
    );
    expect(json({ a: undefined, b: [undefined, NaN, -0, 1e21], c: 'é"\\\n' })).to.equal(
      JSON.stringify({ a: undefined, b: [undefined, NaN, -0, 1e21], c: 'é"\\\n' }),
    );
  });

  it('interview is easy: large faces that barely move between samples', () => {
    const ious = stepIous(video('interview', 1));
    expect(median(ious)).to.be.greaterThan(0.75);
  });

  it('walkers are hard: many steps with zero IoU between 200 ms samples, and crossings', () => {
    let zero = 0;
    let steps = 0;
    let crossings = 0;
    for (const seed of [1, 2, 3]) {
      const v = video('walkers', seed);
      const ious = stepIous(v);
      zero += ious.filter((x) => x === 0).length;
      steps += ious.length;
      crossings += countCrossings([...v.truth()]);
    }
    expect(zero / steps).to.be.greaterThan(0.2);
    expect(crossings).to.be.greaterThan(3);
  });

  it('edited footage has shot cuts that end every identity', () => {
    const v = video('edited', 4, 120_000);
    const spans = new Map<number, [number, number]>();
    for (const { detection, personId } of v.detections()) {
      if (personId === null) continue;
      const t = detection.Timestamp!;
      const s = spans.get(personId);
      spans.set(personId, s ? [s[0], t] : [t, t]);
    }
    expect(spans.size).to.be.greaterThan(12);
    // Identities follow each other (shots) rather than persisting through the video.
    const longest = Math.max(...[...spans.values()].map(([a, b]) => b - a));
    expect(longest).to.be.at.most(10_000);
  });

  it('has misses, occlusions, rare false positives and several people', () => {
    for (const preset of ['meeting', 'walkers'] as const) {
      const v = video(preset, 6, 300_000);
      const truth = [...v.truth()];
      const dets = [...v.detections()];
      const missed = truth.filter((f) => !f.detected).length;
      const occluded = truth.filter((f) => f.visibility < 0.5).length;
      const fp = dets.filter((d) => d.personId === null).length;
      expect(missed / truth.length, `${preset} misses`).to.be.within(0.02, 0.25);
      expect(occluded, `${preset} occlusions`).to.be.greaterThan(0);
      expect(fp, `${preset} false positives`).to.be.greaterThan(0);
      expect(fp / dets.length, `${preset} false-positive rate`).to.be.lessThan(0.02);
      expect(new Set(dets.map((d) => d.personId)).size).to.be.greaterThan(5);
      expect(dets.length).to.equal(truth.filter((f) => f.detected).length + fp);
    }
  });

  it('keeps attributes stable per person while emotions change', () => {
    const v = syntheticVideo({ seed: 2, preset: 'interview', durationMs: 60_000, faceAttributes: 'ALL' });
    const byPerson = new Map<number, FaceDetection[]>();
    for (const { detection, personId } of v.detections()) {
      if (personId !== null) byPerson.set(personId, [...(byPerson.get(personId) ?? []), detection]);
    }
    expect(byPerson.size).to.equal(2);
    for (const faces of byPerson.values()) {
      const ages = new Set(faces.map((f) => `${f.Face!.AgeRange!.Low}-${f.Face!.AgeRange!.High}`));
      expect(ages.size).to.equal(1);
      const genders = faces.map((f) => f.Face!.Gender!.Value);
      const majority = Math.max(...['Male', 'Female'].map((g) => genders.filter((x) => x === g).length));
      expect(majority / genders.length).to.be.greaterThan(0.85);
      const moods = new Set(faces.map((f) => f.Face!.Emotions![0]!.Type));
      expect(moods.size).to.be.greaterThan(1);
      for (const f of faces) {
        const conf = f.Face!.Emotions!.map((e) => e.Confidence!);
        expect(conf).to.deep.equal([...conf].sort((a, b) => b - a));
        expect(f.Face!.Confidence).to.be.within(50, 100);
      }
    }
  });

  it('validates its options', () => {
    expect(() => syntheticVideo({ seed: 1.5, preset: 'meeting', durationMs: 1000 })).to.throw(InvalidParameterError, /seed/);
    expect(() => syntheticVideo({ seed: 1, preset: 'x' as PresetName, durationMs: 1000 })).to.throw(/preset/);
    expect(() => syntheticVideo({ seed: 1, preset: 'meeting', durationMs: 0 })).to.throw(/durationMs/);
    expect(() => syntheticVideo({ seed: 1, preset: 'interview', durationMs: 1000, people: 9 })).to.throw(/people/);
  });

  it('exports MOT ground truth and oracle-labelled detections', () => {
    const v = video('meeting', 3, 120_000);
    const truthRows = motExport(v).trim().split('\n');
    const truth = [...v.truth()];
    expect(truthRows).to.have.length(truth.length);
    truthRows.forEach((line, i) => {
      const cells = line.split(',');
      expect(cells).to.have.length(10);
      expect(Number(cells[0])).to.equal(truth[i]!.sample + 1);
      expect(Number(cells[1])).to.equal(truth[i]!.personId);
      expect(Number(cells[4])).to.be.greaterThan(10); // pixels
      // Faces hidden by more than half are zero-marked (ignored by evaluation).
      expect(cells.slice(6)).to.deep.equal([truth[i]!.visibility < 0.5 ? '0' : '1', '-1', '-1', '-1']);
    });
    const detRows = motExport(v, { kind: 'detections' }).trim().split('\n');
    const real = [...v.detections()].filter((d) => d.personId !== null);
    expect(detRows).to.have.length(real.length);
    const first = detRows[0]!.split(',');
    expect(Number(first[1])).to.equal(real[0]!.personId);
    expect(Number(first[0])).to.equal(Math.round(real[0]!.detection.Timestamp! / v.samplePeriodMs) + 1);
  });
});

describe('object-name convention', () => {
  it('reads preset, duration, people and fail anywhere in the name', () => {
    expect(parseObjectName('holiday.mp4')).to.deep.equal({ preset: 'meeting', durationMs: 60_000, people: 5, failure: undefined, s3Error: undefined });
    expect(parseObjectName('preset=walkers,duration=10m.mp4')).to.include({ preset: 'walkers', durationMs: 600_000, people: 5 });
    expect(parseObjectName('videos/2024/preset=interview;people=3&duration=1.5h/x.mov')).to.include({
      preset: 'interview',
      durationMs: 5_400_000,
      people: 3,
    });
    expect(parseObjectName('duration=250ms')).to.include({ durationMs: 250 });
    expect(parseObjectName('preset=EDITED,duration=10s').preset).to.equal('edited');
    expect(parseObjectName('x/fail=1.mp4').failure).to.be.a('string');
    expect(parseObjectName('mypreset=walkers.mp4').preset).to.equal('meeting');
    expect(parseObjectName('x/missing=1.mp4').s3Error).to.equal('missing');
    expect(parseObjectName('denied=1,preset=interview').s3Error).to.equal('denied');
  });

  it('rejects misused keys with a clear message', () => {
    expect(() => parseObjectName('preset=walker')).to.throw(/preset must be one of/);
    expect(() => parseObjectName('duration=10')).to.throw(/duration must be/);
    expect(() => parseObjectName('duration=10x')).to.throw(/duration must be/);
    expect(() => parseObjectName('people=none')).to.throw(/people must be/);
    expect(() => parseObjectName('preset=edited,people=13')).to.throw(/people must be from 1 to 12/);
  });
});

/** Number of times two walkers' true centres swap left/right order while at similar heights. */
function countCrossings(truth: readonly { sample: number; personId: number; left: number; top: number; width: number; height: number }[]): number {
  const bySample = new Map<number, typeof truth>();
  for (const f of truth) bySample.set(f.sample, [...(bySample.get(f.sample) ?? []), f]);
  const order = new Map<string, boolean>();
  let swaps = 0;
  for (const faces of bySample.values()) {
    for (const a of faces) {
      for (const b of faces) {
        if (a.personId >= b.personId) continue;
        if (Math.abs(a.top - b.top) > Math.max(a.height, b.height)) continue;
        const key = `${a.personId}:${b.personId}`;
        const leftOf = a.left < b.left;
        const before = order.get(key);
        if (before !== undefined && before !== leftOf) swaps++;
        order.set(key, leftOf);
      }
    }
  }
  return swaps;
}

import { expect } from 'chai';
import fc from 'fast-check';
import { FaceTracker } from '../../../src/core/tracking/FaceTracker.js';
import type { FaceCues, TrackerObservation } from '../../../src/core/tracking/TrackerObservation.js';
import type { TrackerOptions } from '../../../src/core/tracking/TrackerOptions.js';
import type { TrackCloseReason } from '../../../src/core/tracking/TrackState.js';
import { InvalidParameterError } from '../../../src/errors/InvalidParameterError.js';

type Obs = TrackerObservation<string>;

function obs(timestamp: number, left: number, top: number, size = 0.1, payload = '', cues?: FaceCues, confidence = 99.5): Obs {
  return { timestamp, box: { left, top, width: size, height: size * 1.5 }, confidence, cues, payload, trackId: undefined };
}

/** Runs the tracker over `observations` and returns them (labelled) with the close events. */
function run(observations: Obs[], options?: TrackerOptions): { labels: (number | null | undefined)[]; closed: [number, TrackCloseReason][] } {
  const closed: [number, TrackCloseReason][] = [];
  const tracker = new FaceTracker<string>(options, { closed: (t, reason) => closed.push([t.trackId as number, reason]) });
  for (const o of observations) tracker.add(o);
  tracker.finish();
  return { labels: observations.map((o) => o.trackId), closed };
}

describe('core/tracking/FaceTracker', () => {
  it('links two still faces into two tracks', () => {
    const input: Obs[] = [];
    for (let t = 0; t <= 2000; t += 200) input.push(obs(t, 0.2, 0.3, 0.1, 'a'), obs(t, 0.6, 0.3, 0.1, 'b'));
    const { labels, closed } = run(input);
    expect(labels.filter((_, i) => i % 2 === 0)).to.deep.equal(new Array(11).fill(1));
    expect(labels.filter((_, i) => i % 2 === 1)).to.deep.equal(new Array(11).fill(2));
    expect(closed).to.deep.equal([[1, 'end'], [2, 'end']]);
  });

  it('keeps identities of fast faces crossing with zero IoU between samples', () => {
    // 0.12 per 200 ms = 1.2 face widths per sample: consecutive boxes never overlap.
    const input: Obs[] = [];
    for (let k = 0; k <= 7; k++) {
      input.push(obs(k * 200, 0.05 + 0.12 * k, 0.4, 0.1, 'right'), obs(k * 200, 0.89 - 0.12 * k, 0.45, 0.1, 'left'));
    }
    const { labels } = run(input);
    const right = input.map((o, i) => (o.payload === 'right' ? labels[i] : undefined)).filter((x) => x !== undefined);
    const left = input.map((o, i) => (o.payload === 'left' ? labels[i] : undefined)).filter((x) => x !== undefined);
    expect(new Set(right).size).to.equal(1);
    expect(new Set(left).size).to.equal(1);
    expect(right[0]).to.not.equal(left[0]);
  });

  it('uses stable attributes as tie-breakers after an ambiguous gap', () => {
    const male: FaceCues = { male: 99 };
    const female: FaceCues = { male: -99 };
    const build = (): Obs[] => {
      const input: Obs[] = [];
      for (let t = 0; t <= 1000; t += 200) input.push(obs(t, 0.4, 0.3, 0.1, 'M', male), obs(t, 0.5, 0.3, 0.1, 'F', female));
      // Both vanish for a second, then come back nearer each other: geometry alone prefers the swap.
      for (let t = 2000; t <= 2400; t += 200) input.push(obs(t, 0.44, 0.3, 0.1, 'F', female), obs(t, 0.46, 0.3, 0.1, 'M', male));
      return input;
    };
    const byPayload = (input: Obs[], labels: (number | null | undefined)[]) => {
      const ids: Record<string, Set<unknown>> = { M: new Set(), F: new Set() };
      input.forEach((o, i) => ids[o.payload]?.add(labels[i]));
      return ids;
    };
    const withCues = build();
    const cued = byPayload(withCues, run(withCues).labels);
    expect(cued.M?.size).to.equal(1);
    expect(cued.F?.size).to.equal(1);
    const withoutCues = build();
    const plain = byPayload(withoutCues, run(withoutCues, { useFaceCues: false }).labels);
    expect(plain.M?.size).to.equal(2);
  });

  it('closes a track after maxGapMs without detections, and bridges shorter gaps', () => {
    const input = [obs(0, 0.3, 0.3), obs(200, 0.3, 0.3), obs(5000, 0.3, 0.3), obs(5200, 0.3, 0.3), obs(12000, 0.3, 0.3), obs(12200, 0.3, 0.3)];
    const { labels, closed } = run(input, { maxGapMs: 6000, minHits: 2 });
    expect(labels).to.deep.equal([1, 1, 1, 1, 2, 2]);
    expect(closed).to.deep.equal([[1, 'gap'], [2, 'end']]);
  });

  it('drops tentative tracks (false positives) and confirms with back-fill', () => {
    const input = [obs(0, 0.1, 0.1), obs(200, 0.7, 0.7), obs(400, 0.7, 0.7), obs(600, 0.7, 0.7), obs(3000, 0.8, 0.1)];
    expect(run(input).labels).to.deep.equal([null, 1, 1, 1, null]);
    // With the default minHits (3) two hits are not enough; with 2 they are.
    const two = [obs(0, 0.7, 0.7), obs(200, 0.7, 0.7)];
    expect(run(two).labels).to.deep.equal([null, null]);
    expect(run(two.map((o) => ({ ...o, trackId: undefined })), { minHits: 2 }).labels).to.deep.equal([1, 1]);
    const again = [obs(0, 0.1, 0.1), obs(200, 0.7, 0.7), obs(400, 0.7, 0.7), obs(3000, 0.8, 0.1)];
    expect(run(again, { minHits: 1 }).labels).to.deep.equal([1, 2, 2, 3]);
  });

  it('ignores detections below minConfidence and starts tracks only above newTrackMinConfidence', () => {
    const input = [obs(0, 0.1, 0.1, 0.1, '', undefined, 40), obs(200, 0.1, 0.1, 0.1, '', undefined, 70), obs(400, 0.1, 0.1)];
    expect(run(input, { minConfidence: 50, newTrackMinConfidence: 90 }).labels).to.deep.equal([null, null, null]);
    const next = [obs(0, 0.1, 0.1), obs(200, 0.1, 0.1, 0.1, '', undefined, 70), obs(400, 0.1, 0.1, 0.1, '', undefined, 60)];
    expect(run(next, { minConfidence: 50, newTrackMinConfidence: 90 }).labels).to.deep.equal([1, 1, 1]);
  });

  it('closes every track at a shot cut', () => {
    const input: Obs[] = [];
    for (let t = 0; t <= 2000; t += 200) input.push(obs(t, 0.1, 0.3), obs(t, 0.4, 0.3), obs(t, 0.7, 0.3));
    // Cut: three faces again, but all moved by more than half a face.
    for (let t = 2200; t <= 3000; t += 200) input.push(obs(t, 0.16, 0.36), obs(t, 0.47, 0.24), obs(t, 0.64, 0.35));
    const { labels, closed } = run(input);
    expect(new Set(labels.slice(0, 33))).to.deep.equal(new Set([1, 2, 3]));
    expect(new Set(labels.slice(33))).to.deep.equal(new Set([4, 5, 6]));
    expect(closed.slice(0, 3)).to.deep.equal([[1, 'cut'], [2, 'cut'], [3, 'cut']]);
    const noCuts = run(input.map((o) => ({ ...o, trackId: undefined })), { shotCuts: false });
    expect(new Set(noCuts.labels)).to.deep.equal(new Set([1, 2, 3]));
  });

  it('closes a track whose face left the frame', () => {
    const input: Obs[] = [];
    for (let k = 0; k <= 6; k++) input.push(obs(k * 200, 0.6 + 0.05 * k, 0.3));
    input.push(obs(3000, 0.1, 0.6), obs(3200, 0.1, 0.6));
    const { closed } = run(input);
    expect(closed[0]).to.deep.equal([1, 'exit']);
  });

  it('hands each observation of a confirmed track to the sink once, then releases it', () => {
    const delivered: number[] = [];
    let closedHits = 0;
    const tracker = new FaceTracker<string>(
      { minHits: 3 },
      {
        updated: (track) => delivered.push(track.observations.length),
        closed: (track) => ((closedHits = track.hits), expect(track.observations).to.have.length(0)),
      },
    );
    for (let t = 0; t <= 2000; t += 200) tracker.add(obs(t, 0.3, 0.3));
    tracker.finish();
    expect(delivered).to.deep.equal([3, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(closedHits).to.equal(11);
  });

  it('rejects timestamps that go back in time, accepts equal ones', () => {
    const tracker = new FaceTracker<string>({}, { closed: () => undefined });
    tracker.add(obs(200, 0.1, 0.1));
    tracker.add(obs(200, 0.5, 0.1));
    expect(() => tracker.add(obs(100, 0.1, 0.1))).to.throw(InvalidParameterError, /`Timestamp`.*sorted by time/);
    tracker.finish();
    expect(() => tracker.add(obs(300, 0.1, 0.1))).to.throw(InvalidParameterError);
  });

  it('never puts two detections of one timestamp in one track; labels everything; is deterministic', () => {
    const detection = fc.record({
      dt: fc.constantFrom(0, 0, 200, 400),
      left: fc.double({ min: 0, max: 0.9, noNaN: true }),
      top: fc.double({ min: 0, max: 0.9, noNaN: true }),
      size: fc.double({ min: 0.02, max: 0.2, noNaN: true }),
      confidence: fc.double({ min: 50, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(detection, { maxLength: 80 }), fc.integer({ min: 1, max: 3 }), (dets, minHits) => {
        const build = () => {
          let t = 0;
          return dets.map((d) => obs((t += d.dt), d.left, d.top, d.size, '', undefined, d.confidence));
        };
        const input = build();
        const { labels } = run(input, { minHits });
        expect(labels.every((l) => l !== undefined)).to.equal(true);
        const seen = new Set<string>();
        input.forEach((o, i) => {
          if (labels[i] === null) return;
          const key = `${labels[i]}@${o.timestamp}`;
          expect(seen.has(key), key).to.equal(false);
          seen.add(key);
        });
        expect(run(build(), { minHits }).labels).to.deep.equal(labels);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

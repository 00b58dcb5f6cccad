import { expect } from 'chai';
import { concat, from, lastValueFrom, of, Subject, take, throwError, toArray } from 'rxjs';
import { faceTracks } from '../../src/tracks/faceTracks.js';
import { labelFaceTracks } from '../../src/tracks/labelFaceTracks.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { syntheticVideo } from '../../src/emulator/synthetic/syntheticVideo.js';
import { evaluateMot } from '../../src/metrics/evaluateMot.js';
import type { MotRow } from '../../src/metrics/MotRow.js';
import type { FaceDetection } from '../../src/types.js';

function det(timestamp: number, left: number, extra: Record<string, unknown> = {}): FaceDetection {
  return { Timestamp: timestamp, Face: { BoundingBox: { Width: 0.1, Height: 0.15, Left: left, Top: 0.3 }, Confidence: 99, ...extra } };
}

/** Two still faces for 2 s. */
function twoFaces(): FaceDetection[] {
  const out: FaceDetection[] = [];
  for (let t = 0; t <= 2000; t += 200) out.push(det(t, 0.2), det(t, 0.6));
  return out;
}

describe('tracks/faceTracks', () => {
  it('emits nothing and completes for an empty source', async () => {
    expect(await lastValueFrom(from([] as FaceDetection[]).pipe(faceTracks(), toArray()))).to.deep.equal([]);
  });

  it('reports a single detection only with minHits 1', async () => {
    expect(await lastValueFrom(of(det(0, 0.1)).pipe(faceTracks(), toArray()))).to.have.length(0);
    const [track] = await lastValueFrom(of(det(0, 0.1)).pipe(faceTracks({ minHits: 1 }), toArray()));
    expect(track).to.include({ trackId: 1, status: 'closed', closeReason: 'end', startTimestamp: 0, endTimestamp: 0, detectionCount: 1 });
  });

  it('summarizes many detections into tracks', async () => {
    const tracks = await lastValueFrom(from(twoFaces()).pipe(faceTracks(), toArray()));
    expect(tracks.map((t) => [t.trackId, t.detectionCount, t.durationMs])).to.deep.equal([
      [1, 11, 2000],
      [2, 11, 2000],
    ]);
    expect(tracks[0]?.path[3]).to.deep.equal({ Timestamp: 600, BoundingBox: { Width: 0.1, Height: 0.15, Left: 0.2, Top: 0.3 }, Confidence: 99 });
    expect(tracks[0]?.detections).to.have.length(11);
    const slim = await lastValueFrom(from(twoFaces()).pipe(faceTracks({ includeDetections: false }), toArray()));
    expect(slim[0]).to.not.have.property('detections');
  });

  it('interpolates short gaps at the stream\'s sample times and smooths the path', async () => {
    // Face A is missed at 400 (face B is seen then); later A is missed for 1.4 s (too long to interpolate).
    const input = [det(0, 0.2), det(200, 0.22), det(400, 0.7), det(600, 0.26), det(800, 0.28), det(1000, 0.7), det(1200, 0.7), det(1400, 0.7), det(1600, 0.7), det(2200, 0.36), det(2400, 0.38)];
    const [a] = await lastValueFrom(from(input).pipe(faceTracks({ smoothingWindowMs: 0 }), toArray()));
    expect(a?.path.map((p) => [p.Timestamp, p.Interpolated ?? false])).to.deep.equal([
      [0, false],
      [200, false],
      [400, true],
      [600, false],
      [800, false],
      [2200, false],
      [2400, false],
    ]);
    expect(a?.path[2]?.BoundingBox.Left).to.be.closeTo(0.24, 1e-12);
    expect(a?.path[2]?.Confidence).to.equal(0);
    expect(a?.detectionCount).to.equal(6);
    const [plain] = await lastValueFrom(from(input).pipe(faceTracks({ interpolateGapsMs: 0 }), toArray()));
    expect(plain?.path).to.have.length(6);
    // Smoothing (default ±400 ms) keeps the linear motion of A.
    const [smooth] = await lastValueFrom(from(input).pipe(faceTracks(), toArray()));
    expect(smooth?.path[1]?.BoundingBox.Left).to.be.closeTo(0.22, 1e-9);
  });

  it('emits a track when it closes, before the stream ends', async () => {
    const source = new Subject<FaceDetection>();
    const seen: number[] = [];
    source.pipe(faceTracks({ maxGapMs: 1000, minHits: 2 })).subscribe((t) => seen.push(t.trackId));
    for (const d of [det(0, 0.2), det(200, 0.2), det(5000, 0.6)]) source.next(d);
    expect(seen).to.deep.equal([1]);
    source.complete();
  });

  it('emits live updates with liveUpdates', async () => {
    const tracks = await lastValueFrom(from(twoFaces()).pipe(faceTracks({ liveUpdates: true, liveUpdateIntervalMs: 1000 }), toArray()));
    const first = tracks.filter((t) => t.trackId === 1);
    expect(first.map((t) => [t.status, t.endTimestamp])).to.deep.equal([
      ['open', 400],
      ['open', 1400],
      ['closed', 2000],
    ]);
  });

  it('propagates source errors', async () => {
    const error = new Error('boom');
    const stream = concat(from(twoFaces()), throwError(() => error)).pipe(faceTracks());
    let caught: unknown;
    await lastValueFrom(stream).catch((e: unknown) => (caught = e));
    expect(caught).to.equal(error);
  });

  it('errors with InvalidParameterError on malformed detections and unsorted timestamps', async () => {
    const bad = [det(0, 0.1), { Timestamp: 200, Face: { BoundingBox: { Left: 0.1, Top: 0.1, Width: -1, Height: 0.1 } } }];
    await lastValueFrom(from(bad).pipe(faceTracks())).then(
      () => expect.fail('should error'),
      (e: unknown) => expect(e).to.be.instanceOf(InvalidParameterError).and.have.property('message').that.matches(/detections\[1\]\.Face\.BoundingBox\.Width/),
    );
    await lastValueFrom(from([det(400, 0.1), det(200, 0.1)]).pipe(faceTracks())).then(
      () => expect.fail('should error'),
      (e: unknown) => expect(e).to.be.instanceOf(InvalidParameterError).and.have.property('message').that.matches(/sorted by time/),
    );
  });

  it('validates options eagerly', () => {
    expect(() => faceTracks({ maxGapMs: -1 })).to.throw(InvalidParameterError, /options\.maxGapMs/);
    expect(() => faceTracks({ minHits: 1.5 })).to.throw(InvalidParameterError, /options\.minHits/);
    expect(() => faceTracks({ liveUpdates: 'yes' as never })).to.throw(InvalidParameterError, /options\.liveUpdates/);
    expect(() => labelFaceTracks({ shotCuts: 1 as never })).to.throw(InvalidParameterError, /options\.shotCuts/);
    expect(() => faceTracks({ maxGap: 10 } as never)).to.throw(InvalidParameterError, /options\.maxGap\b.*unknown option/);
    expect(() => labelFaceTracks({ liveUpdates: true } as never)).to.throw(InvalidParameterError, /options\.liveUpdates/);
    expect(() => faceTracks({ interpolateGapsMs: -5 })).to.throw(InvalidParameterError, /options\.interpolateGapsMs/);
  });

  it('stops on early unsubscribe and tears down the source', () => {
    const source = new Subject<FaceDetection>();
    const seen: number[] = [];
    source.pipe(faceTracks({ maxGapMs: 400, minHits: 2 }), take(1)).subscribe((t) => seen.push(t.trackId));
    for (const d of [det(0, 0.2), det(200, 0.2), det(400, 0.6), det(600, 0.6), det(1200, 0.6)]) source.next(d);
    expect(seen).to.deep.equal([1]);
    expect(source.observed).to.equal(false);
  });

  it('summarizes attributes, emotions and the best frame', async () => {
    const face = (t: number, male: boolean, happy: boolean, yaw: number): FaceDetection =>
      det(t, 0.3, {
        Gender: { Value: male ? 'Male' : 'Female', Confidence: 90 },
        AgeRange: { Low: 20 + t / 1000, High: 30 + t / 1000 },
        Eyeglasses: { Value: true, Confidence: 80 },
        Smile: { Value: happy, Confidence: 90 },
        Emotions: [
          { Type: 'HAPPY', Confidence: happy ? 90 : 5 },
          { Type: 'CALM', Confidence: happy ? 5 : 90 },
        ],
        Pose: { Yaw: yaw, Pitch: 0, Roll: 0 },
        Quality: { Sharpness: 80, Brightness: 60 },
      });
    const input = [face(0, true, true, 40), face(200, true, true, 5), face(400, true, false, 20), face(600, false, false, 30)];
    const [track] = await lastValueFrom(from(input).pipe(faceTracks({ useFaceCues: false }), toArray()));
    expect(track?.attributes.Gender).to.deep.equal({ Value: 'Male', Confidence: 70 });
    expect(track?.attributes.Eyeglasses).to.deep.equal({ Value: true, Confidence: 80 });
    expect(track?.attributes.AgeRange).to.deep.equal({ Low: 20, High: 30 });
    expect(track?.attributes.SmileShare).to.equal(0.5);
    expect(track?.bestDetection).to.equal(input[1]);
    expect(track?.emotions?.Dominant.Type).to.equal('CALM');
    expect(track?.emotions?.Timeline.map((s) => [s.Type, s.StartTimestamp, s.EndTimestamp, s.DetectionCount])).to.deep.equal([
      ['HAPPY', 0, 200, 2],
      ['CALM', 400, 600, 2],
    ]);
  });
});

describe('tracks/labelFaceTracks', () => {
  it('emits every detection once, in input order, with TrackId, without mutating the input', async () => {
    const input = [...twoFaces(), det(2200, 0.95)];
    const frozen = JSON.stringify(input);
    const out = await lastValueFrom(from(input).pipe(labelFaceTracks(), toArray()));
    expect(out).to.have.length(input.length);
    out.forEach((d, i) => {
      const { TrackId, ...rest } = d;
      expect(rest).to.deep.equal(input[i]);
      expect(TrackId).to.equal(i === input.length - 1 ? null : (i % 2) + 1);
    });
    expect(JSON.stringify(input)).to.equal(frozen);
  });

  it('holds detections back only until their label is known', () => {
    const source = new Subject<FaceDetection>();
    const out: (number | null)[] = [];
    source.pipe(labelFaceTracks({ minHits: 2 })).subscribe((d) => out.push(d.TrackId));
    source.next(det(0, 0.2));
    source.next(det(200, 0.2));
    expect(out).to.deep.equal([]); // sample at 200 not processed yet
    source.next(det(400, 0.2));
    expect(out).to.deep.equal([1, 1]);
    source.complete();
    expect(out).to.deep.equal([1, 1, 1]);
  });

  it('scores well on a synthetic walkers sequence (IDF1 floor)', async () => {
    const video = syntheticVideo({ seed: 3, preset: 'walkers', durationMs: 30_000 });
    const truth: MotRow[] = [];
    const frame = (t: number) => Math.round(t / video.samplePeriodMs) + 1;
    for (const f of video.truth()) truth.push({ frame: frame(f.timestamp), id: f.personId, left: f.left, top: f.top, width: f.width, height: f.height, conf: 1 });
    const detections = [...video.detections()].map((d) => d.detection);
    const labelled = await lastValueFrom(from(detections).pipe(labelFaceTracks(), toArray()));
    const pred: MotRow[] = labelled
      .filter((d) => d.TrackId !== null)
      .map((d) => {
        const b = d.Face!.BoundingBox!;
        return { frame: frame(d.Timestamp!), id: d.TrackId!, left: b.Left!, top: b.Top!, width: b.Width!, height: b.Height!, conf: 1 };
      });
    const metrics = evaluateMot(truth, pred);
    expect(metrics.IDF1).to.be.greaterThan(0.8);
    expect(metrics.IDSW).to.be.lessThan(5);
  });
});

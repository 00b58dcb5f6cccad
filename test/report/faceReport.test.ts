import { expect } from 'chai';
import { from, lastValueFrom, NEVER, Subject, throwError, concat, toArray } from 'rxjs';
import { faceReport } from '../../src/report/faceReport.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import type { FaceDetection } from '../../src/types.js';
import { startTestEmulator } from '../helpers/emulator.js';

const box = { Left: 0.4, Top: 0.3, Width: 0.1, Height: 0.2 };
const detection = (t: number): FaceDetection => ({ Timestamp: t, Face: { BoundingBox: box, Confidence: 99 } });

describe('report/faceReport', () => {
  it('emits one model when the source completes, with the tracks of the tracker running alongside', async () => {
    const input = Array.from({ length: 50 }, (_, i) => detection(i * 200));
    const models = await lastValueFrom(from(input).pipe(faceReport({ info: () => ({ title: 'x' }) }), toArray()));
    expect(models).to.have.length(1);
    const model = models[0]!;
    expect(model.title).to.equal('x');
    expect(model.detections).to.equal(50);
    expect(model.tracks).to.have.length(1);
    expect(model.tracks[0]!.detections).to.equal(50);
    expect(model.untrackedDetections).to.equal(0);
  });

  it('emits nothing before completion, propagates errors, and tears the source down on unsubscribe', async () => {
    const source = new Subject<FaceDetection>();
    const seen: unknown[] = [];
    const sub = source.pipe(faceReport()).subscribe((m) => seen.push(m));
    source.next(detection(0));
    expect(seen).to.deep.equal([]);
    expect(source.observed).to.equal(true);
    sub.unsubscribe();
    expect(source.observed).to.equal(false);

    const failing = concat(from([detection(0)]), throwError(() => new Error('boom')));
    let error: unknown;
    await lastValueFrom(failing.pipe(faceReport())).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('boom');

    // A detection the report cannot place fails the stream with a typed error.
    let bad: unknown;
    await lastValueFrom(concat(from([{ Face: {} } as FaceDetection]), NEVER).pipe(faceReport())).catch((e: unknown) => (bad = e));
    expect((bad as Error).name).to.equal('InvalidParameterError');
  });

  it('validates its options at once', () => {
    expect(() => faceReport({ gapMs: -1 })).to.throw(/gapMs/);
    expect(() => faceReport({ tracker: { minHits: 0 } })).to.throw(/minHits/);
  });

  it('reports a job read with the real SDK from the emulator: job, video and reading cost', async () => {
    const t = await startTestEmulator({ seed: 2 });
    try {
      const jobId = await t.startJob('preset=interview,duration=20s.mp4');
      const stream = faceDetections({ client: t.client, jobId, policy: directPolicy, maxResults: 100 });
      const model = await lastValueFrom(stream.pipe(faceReport({ info: () => ({ job: stream.job, stats: stream.stats }) })));
      expect(model.job.jobId).to.equal(jobId);
      expect(model.job.status).to.equal('SUCCEEDED');
      expect(model.video.bucket).to.equal('test-bucket');
      expect(model.video.durationMs).to.equal(stream.job!.VideoMetadata!.DurationMillis);
      expect(model.source!.pages).to.equal(stream.stats.pagesFetched);
      expect(model.detections).to.equal(stream.stats.itemsFetched);
      expect(model.title).to.equal('preset=interview,duration=20s.mp4');
    } finally {
      await t.close();
    }
  });
});

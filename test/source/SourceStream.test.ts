import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { systemClock } from '../../src/core/Clock.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { faceDetectionPages } from '../../src/source/faceDetectionPages.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import type { FaceDetectionPage, JobInfo } from '../../src/source/FaceDetectionPage.js';
import { createPageCursor } from '../../src/source/pageCursor.js';
import { PagePump } from '../../src/source/PagePump.js';
import { createSourceStats } from '../../src/source/SourceStats.js';
import { createSourceStream, type SourceStream } from '../../src/source/SourceStream.js';
import type { FaceDetection, GetFaceDetectionResponse } from '../../src/types.js';
import { forceGc } from '../helpers/forceGc.js';
import { fakeJob, makeDetections } from './fakeJob.js';

/** A detections stream over an in-memory page function (the pure shells; the SDK path is tested on the emulator). */
function stream(
  getPage: (token: string | undefined, signal: AbortSignal) => Promise<GetFaceDetectionResponse>,
  options: { pageSize: number; hwm: number; lwm: number },
): SourceStream<FaceDetection> {
  const stats = createSourceStats();
  let job: JobInfo | undefined;
  return createSourceStream(
    {
      stats,
      job: () => job,
      start: () =>
        new PagePump<FaceDetectionPage>({
          fetch: createPageCursor({
            jobId: 'job-1',
            getPage: (t, s) => {
              stats.requests++;
              return getPage(t, s);
            },
            startingToken: undefined,
            startingCount: undefined,
            maxTokenRecoveries: 3,
            maxPagesWithoutProgress: 100,
            clock: systemClock,
            onJob: (j) => (job = j),
          }),
          sizeOf: (p) => p.Faces.length,
          pageSize: options.pageSize,
          highWaterMark: options.hwm,
          lowWaterMark: options.lwm,
          stats,
        }),
    },
    { valuesOf: (p) => p.Faces, weightOf: () => 1 },
  );
}

describe('SourceStream (Observable and AsyncIterable views)', () => {
  const detections = makeDetections(1000);

  it('is cold: nothing is requested before subscription, and each subscription reads anew', async () => {
    const job = fakeJob({ detections, pageSize: 100 });
    const s = stream(job.getPage, { pageSize: 100, hwm: 200, lwm: 100 });
    await new Promise((r) => setImmediate(r));
    expect(job.requests).to.have.length(0);
    expect(await lastValueFrom(s.pipe(toArray()))).to.deep.equal(detections);
    expect(await lastValueFrom(s.pipe(toArray()))).to.deep.equal(detections);
    expect(s.job?.VideoMetadata?.DurationMillis).to.equal(1000);
  });

  it('take(n) fetches at most ceil(n / MaxResults) + 1 pages', async () => {
    for (const n of [1, 99, 100, 101, 250]) {
      const job = fakeJob({ detections, pageSize: 100 });
      const s = stream(job.getPage, { pageSize: 100, hwm: 200, lwm: 100 });
      const got = await lastValueFrom(s.pipe(take(n), toArray()));
      expect(got).to.deep.equal(detections.slice(0, n));
      expect(job.requests.length).to.be.at.most(Math.ceil(n / 100) + 1);
    }
  });

  it('a slow for-await consumer keeps at most highWaterMark items buffered', async () => {
    const job = fakeJob({ detections, pageSize: 100 });
    const s = stream(job.getPage, { pageSize: 100, hwm: 250, lwm: 120 });
    const got: FaceDetection[] = [];
    for await (const d of s) {
      got.push(d);
      if (got.length % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(got).to.deep.equal(detections);
    expect(s.stats.maxBuffered).to.be.at.most(250);
    expect(s.stats.maxBuffered).to.be.at.least(200); // it did prefetch
    expect(s.stats.buffered).to.equal(0);
  });

  describe('a consumed page is not kept while the next one is awaited (it is garbage while the next is parsed)', () => {
    /** Page 1: fresh objects watched through WeakRefs; page 2: held back until `release()`. */
    function heldBackJob() {
      const watched: WeakRef<object>[] = [];
      let release!: () => void;
      const page2 = new Promise<GetFaceDetectionResponse>((resolve) => {
        release = () => resolve({ JobStatus: 'SUCCEEDED', Faces: [{ Timestamp: 300 }] });
      });
      const getPage = async (token: string | undefined): Promise<GetFaceDetectionResponse> => {
        if (token !== undefined) return page2;
        const faces = [100, 200].map((Timestamp) => ({ Timestamp, Face: { Confidence: 99 } }));
        for (const face of faces) watched.push(new WeakRef(face));
        const page = { JobStatus: 'SUCCEEDED' as const, Faces: faces, NextToken: 'page-2' };
        watched.push(new WeakRef(faces), new WeakRef(page));
        return page;
      };
      /** Forces a full GC in a later macrotask (WeakRef targets stay alive until the current job ends). */
      const collected = async (): Promise<number> => {
        await new Promise((r) => setImmediate(r));
        forceGc();
        return watched.filter((w) => w.deref() === undefined).length;
      };
      return { getPage, watched, collected, release: () => release() };
    }

    async function timestamps(it: AsyncIterator<FaceDetection>, n: number): Promise<number[]> {
      const out: number[] = [];
      while (out.length < n) out.push(((await it.next()).value as FaceDetection).Timestamp!);
      return out;
    }

    it('AsyncIterator', async () => {
      const job = heldBackJob();
      const it = stream(job.getPage, { pageSize: 2, hwm: 2, lwm: 0 })[Symbol.asyncIterator]();
      // (read in a helper whose frame is gone afterwards: the test's own frame must not hold the values)
      expect(await timestamps(it, 2)).to.deep.equal([100, 200]);
      const third = it.next(); // page 1 is consumed; waits for page 2
      expect(job.watched).to.have.length(4);
      expect(await job.collected()).to.equal(4);
      job.release();
      expect(((await third).value as FaceDetection).Timestamp).to.equal(300);
      expect((await it.next()).done).to.equal(true);
    });

    it('Observable', async () => {
      const job = heldBackJob();
      const seen: number[] = [];
      const done = new Promise<void>((resolve, reject) =>
        stream(job.getPage, { pageSize: 2, hwm: 2, lwm: 0 }).subscribe({ next: (d) => seen.push(d.Timestamp!), error: reject, complete: resolve }),
      );
      while (seen.length < 2) await new Promise((r) => setImmediate(r));
      expect(await job.collected()).to.equal(4);
      job.release();
      await done;
      expect(seen).to.deep.equal([100, 200, 300]);
    });
  });

  it('unsubscribe aborts the request in flight', async () => {
    const signals: AbortSignal[] = [];
    const s = stream(
      (token, signal) => {
        signals.push(signal);
        if (token === undefined) return Promise.resolve({ JobStatus: 'SUCCEEDED', Faces: makeDetections(10), NextToken: 'o10' });
        return new Promise(() => {}); // a page that never comes
      },
      { pageSize: 10, hwm: 20, lwm: 10 },
    );
    const sub = s.subscribe();
    await new Promise((r) => setImmediate(r));
    expect(signals).to.have.length(2);
    expect(signals[1]!.aborted).to.equal(false);
    sub.unsubscribe();
    expect(signals[1]!.aborted).to.equal(true);
  });

  it('break out of for await aborts the prefetch in flight', async () => {
    const signals: AbortSignal[] = [];
    const s = stream(
      (token, signal) => {
        signals.push(signal);
        if (token === undefined) return Promise.resolve({ JobStatus: 'SUCCEEDED', Faces: makeDetections(10), NextToken: 'o10' });
        return new Promise(() => {});
      },
      { pageSize: 10, hwm: 20, lwm: 10 },
    );
    for await (const d of s) {
      if (d.Timestamp === 500) break;
    }
    expect(signals[1]!.aborted).to.equal(true);
  });

  it('emits the items of a page synchronously (one async boundary per page)', async () => {
    const job = fakeJob({ detections, pageSize: 100 });
    const s = stream(job.getPage, { pageSize: 100, hwm: 200, lwm: 100 });
    const batches: number[] = [];
    let current = 0;
    let scheduled = false;
    await new Promise<void>((resolve, reject) =>
      s.subscribe({
        next: () => {
          current++;
          if (!scheduled) {
            scheduled = true;
            queueMicrotask(() => {
              batches.push(current);
              current = 0;
              scheduled = false;
            });
          }
        },
        error: reject,
        complete: () => setImmediate(resolve),
      }),
    );
    expect(batches).to.deep.equal(Array(10).fill(100));
  });

  it('errors arrive after the items fetched before them', async () => {
    const s = stream(
      async (token) => {
        if (token === undefined) return { JobStatus: 'SUCCEEDED', Faces: makeDetections(10), NextToken: 'o10' };
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
      { pageSize: 10, hwm: 20, lwm: 10 },
    );
    const got: FaceDetection[] = [];
    let caught: unknown;
    try {
      for await (const d of s) got.push(d);
    } catch (error) {
      caught = error;
    }
    expect(got).to.have.length(10);
    expect((caught as Error).name).to.equal('AccessDeniedException');
  });

  describe('validation (before any request, naming the parameter)', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['empty jobId', { jobId: '' }, 'jobId'],
      ['jobId with a space', { jobId: 'a b' }, 'jobId'],
      ['jobId of 65 chars', { jobId: 'a'.repeat(65) }, 'jobId'],
      ['maxResults 0', { jobId: 'j', maxResults: 0 }, 'maxResults'],
      ['maxResults 1.5', { jobId: 'j', maxResults: 1.5 }, 'maxResults'],
      ['highWaterMark below maxResults', { jobId: 'j', maxResults: 100, highWaterMark: 99 }, 'highWaterMark'],
      ['lowWaterMark above highWaterMark', { jobId: 'j', maxResults: 10, highWaterMark: 20, lowWaterMark: 21 }, 'lowWaterMark'],
      ['startingToken of 256 chars', { jobId: 'j', startingToken: 'x'.repeat(256) }, 'startingToken'],
      ['negative startingCount', { jobId: 'j', startingToken: 't', startingCount: -1 }, 'startingCount'],
      ['startingCount without startingToken', { jobId: 'j', startingCount: 10 }, 'startingCount'],
      ['client without send', { jobId: 'j', client: {} }, 'client'],
      ['policy without execute', { jobId: 'j', policy: {} }, 'policy'],
      ['clock without sleep', { jobId: 'j', clock: {} }, 'clock'],
      ['signal that is not an AbortSignal', { jobId: 'j', signal: 'stop' }, 'signal'],
      ['waitForJob.minDelay negative', { jobId: 'j', waitForJob: { minDelay: -1 } }, 'waitForJob.minDelay'],
    ];
    for (const [title, options, parameter] of cases) {
      it(`${title} → InvalidParameterError(${parameter})`, () => {
        for (const factory of [faceDetections, faceDetectionPages]) {
          let caught: unknown;
          try {
            factory(options as never);
          } catch (error) {
            caught = error;
          }
          expect(caught).to.be.instanceOf(InvalidParameterError);
          expect((caught as InvalidParameterError).parameter).to.equal(parameter);
          expect((caught as Error).message).to.contain(`\`${parameter}\``);
        }
      });
    }

    it('maxResults above 1000 is clamped like the service (not an error)', () => {
      expect(() => faceDetections({ jobId: 'j', maxResults: 5000 })).not.to.throw();
    });
  });
});

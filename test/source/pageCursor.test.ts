import { expect } from 'chai';
import { JobFailedError } from '../../src/errors/JobFailedError.js';
import { PaginationError } from '../../src/errors/PaginationError.js';
import type { FaceDetectionPage } from '../../src/source/FaceDetectionPage.js';
import { createPageCursor, type PageCursorOptions } from '../../src/source/pageCursor.js';
import type { FaceDetection } from '../../src/types.js';
import { fakeJob, makeDetections } from './fakeJob.js';

const signal = new AbortController().signal;

/** A clock whose sleeps end at once, recorded (the walk's pacing, without waiting). */
function instantClock() {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
}

/** Walks every page (at most `maxPages`: a walk that would go on for ever fails the test instead of hanging it). */
async function drain(
  options: Omit<PageCursorOptions, 'jobId' | 'maxTokenRecoveries' | 'startingToken' | 'startingCount' | 'maxPagesWithoutProgress' | 'clock'> &
    Partial<PageCursorOptions>,
  maxPages = 10_000,
): Promise<{ pages: FaceDetectionPage[]; items: FaceDetection[]; error?: unknown }> {
  const next = createPageCursor({
    jobId: 'job-1',
    maxTokenRecoveries: 3,
    maxPagesWithoutProgress: 100,
    clock: instantClock(),
    startingToken: undefined,
    startingCount: undefined,
    ...options,
  });
  const pages: FaceDetectionPage[] = [];
  try {
    for (;;) {
      if (pages.length >= maxPages) throw new Error(`test: still paginating after ${maxPages} pages`);
      const { page, last } = await next(signal);
      pages.push(page);
      if (last) break;
    }
  } catch (error) {
    return { pages, items: pages.flatMap((p) => p.Faces), error };
  }
  return { pages, items: pages.flatMap((p) => p.Faces) };
}

describe('createPageCursor (token walk)', () => {
  it('threads NextToken, counts, and offers a checkpoint per page', async () => {
    const detections = makeDetections(25);
    const job = fakeJob({ detections, pageSize: 10 });
    const { pages, items } = await drain({ getPage: job.getPage });
    expect(items).to.deep.equal(detections);
    expect(job.requests.map((r) => r.token)).to.deep.equal([undefined, 'o10', 'o20']);
    expect(pages.map((p) => p.count)).to.deep.equal([10, 20, 25]);
    expect(pages[0]!.checkpoint).to.deep.equal({ jobId: 'job-1', startingToken: 'o10', startingCount: 10 });
    expect(pages[2]!.checkpoint).to.equal(undefined);
    expect(pages[1]!.job).to.equal(pages[0]!.job);
    expect(pages[0]!.job.VideoMetadata).to.deep.equal({ DurationMillis: 1000, FrameRate: 25 });
  });

  it('resumes from a checkpoint with exactly the remaining detections', async () => {
    const detections = makeDetections(25);
    const job = fakeJob({ detections, pageSize: 10 });
    const { items, pages } = await drain({ getPage: job.getPage, startingToken: 'o10', startingCount: 10 });
    expect(items).to.deep.equal(detections.slice(10));
    expect(pages.at(-1)!.count).to.equal(25);
  });

  it('ends on an empty NextToken', async () => {
    const { pages } = await drain({
      getPage: async () => ({ JobStatus: 'SUCCEEDED', Faces: makeDetections(2), NextToken: '' }),
    });
    expect(pages).to.have.length(1);
  });

  it('delivers the page that repeats a token, then fails with PaginationError instead of looping', async () => {
    const job = fakeJob({ detections: makeDetections(50), pageSize: 10, repeatFrom: 20 });
    const { items, error } = await drain({ getPage: job.getPage });
    expect(items).to.deep.equal(makeDetections(50).slice(0, 30));
    expect(error).to.be.instanceOf(PaginationError);
    expect((error as PaginationError).reason).to.equal('REPEATED_TOKEN');
    expect(job.requests).to.have.length(3);
  });

  it('catches a longer loop (A → B → C → A) too, without delivering the page that ends where an earlier one did', async () => {
    const next: Record<string, string> = { start: 'A', A: 'B', B: 'C', C: 'A' };
    const { pages, error } = await drain({
      getPage: async (token) => ({ JobStatus: 'SUCCEEDED', Faces: makeDetections(1), NextToken: next[token ?? 'start'] }),
    });
    expect((error as PaginationError).reason).to.equal('REPEATED_TOKEN');
    expect(pages).to.have.length(3);
  });

  it('catches a cycle of 20 tokens at its first repeat, before any page comes twice', async () => {
    const faces = makeDetections(20);
    const { pages, error } = await drain(
      {
        getPage: async (token) => {
          const i = token === undefined ? 0 : Number(token.slice(1));
          return { JobStatus: 'SUCCEEDED', Faces: [faces[i]!], NextToken: `c${(i + 1) % 20}` };
        },
      },
      500,
    );
    expect(error).to.be.instanceOf(PaginationError);
    expect((error as PaginationError).reason).to.equal('REPEATED_TOKEN');
    expect(pages.flatMap((p) => p.Faces)).to.deep.equal(faces);
  });

  it('empty pages that each carry a new token: paced, then NO_PROGRESS after maxPagesWithoutProgress', async () => {
    const clock = instantClock();
    let requests = 0;
    const { pages, error } = await drain(
      {
        clock,
        maxPagesWithoutProgress: 30,
        getPage: async () => ({ JobStatus: 'SUCCEEDED', Faces: [], NextToken: `t${requests++}` }),
      },
      500,
    );
    expect(error).to.be.instanceOf(PaginationError);
    expect(error).to.include({ reason: 'NO_PROGRESS', code: 'ERR_PAGINATION_NO_PROGRESS', emitted: 0 });
    expect((error as Error).message).to.match(/30 page\(s\) in a row brought no new detection/);
    expect(pages).to.have.length(30);
    expect(requests).to.equal(30);
    // The k-th page without progress is followed by min(2^(k−1), 250) ms: at most 4 requests/s while stuck.
    expect(clock.sleeps.slice(0, 10)).to.deep.equal([1, 2, 4, 8, 16, 32, 64, 128, 250, 250]);
    expect(clock.sleeps).to.have.length(29);
  });

  it('a loop longer than the token fingerprints (1024) is caught by the progress rule', async () => {
    const cycle = 1500;
    const { pages, error } = await drain(
      {
        getPage: async (token) => {
          const i = token === undefined ? 0 : Number(token.slice(1));
          return { JobStatus: 'SUCCEEDED', Faces: [{ Timestamp: 40 * i }], NextToken: `c${(i + 1) % cycle}` };
        },
      },
      5000,
    );
    expect((error as PaginationError).reason).to.equal('NO_PROGRESS');
    expect(pages).to.have.length(cycle + 100);
  });

  it('pages inside one crowded frame are progress enough (100 faces at one timestamp, one per page)', async () => {
    const frame = Array.from({ length: 100 }, (_, i) => ({ Timestamp: 0, Face: { Confidence: 90 + i / 100 } }));
    const detections = [...frame, ...makeDetections(5).map((d) => ({ ...d, Timestamp: d.Timestamp! + 40 }))];
    const job = fakeJob({ detections, pageSize: 1 });
    const { items, error } = await drain({ getPage: job.getPage });
    expect(error).to.equal(undefined);
    expect(items).to.deep.equal(detections);
  });

  it('turns FAILED into JobFailedError with the StatusMessage', async () => {
    const job = fakeJob({ detections: [], pageSize: 10, failed: 'Unsupported codec.' });
    const { error } = await drain({ getPage: job.getPage });
    expect(error).to.be.instanceOf(JobFailedError);
    expect((error as JobFailedError).statusMessage).to.equal('Unsupported codec.');
  });

  it('recovers an expired token by re-reading from the start and skipping what was delivered', async () => {
    const detections = makeDetections(45);
    let recoveries = 0;
    const job = fakeJob({ detections, pageSize: 10, expire: new Map([[30, 1]]) });
    const { items, error } = await drain({ getPage: job.getPage, onRecovery: () => recoveries++ });
    expect(error).to.equal(undefined);
    expect(items).to.deep.equal(detections);
    expect(recoveries).to.equal(1);
    expect(job.requests.map((r) => r.token)).to.deep.equal([undefined, 'o10', 'o20', 'o30', undefined, 'o10', 'o20', 'o30', 'o40']);
  });

  it('recovers with a different page alignment (resumed with another MaxResults)', async () => {
    const detections = makeDetections(45);
    const job = fakeJob({ detections, pageSize: 7, expire: new Map([[12, 1]]) });
    const { items } = await drain({ getPage: job.getPage, startingToken: 'o12', startingCount: 12 });
    expect(items).to.deep.equal(detections.slice(12));
  });

  it('recovery is bounded: a token that keeps expiring surfaces as PaginationError', async () => {
    const job = fakeJob({ detections: makeDetections(45), pageSize: 10, expire: new Map([[30, 99]]) });
    const { items, error } = await drain({ getPage: job.getPage, maxTokenRecoveries: 2 });
    expect(items).to.have.length(30);
    expect(error).to.be.instanceOf(PaginationError);
    expect((error as PaginationError).reason).to.equal('RECOVERY_FAILED');
    expect((error as PaginationError).emitted).to.equal(30);
    expect(((error as Error).cause as Error).name).to.equal('InvalidPaginationTokenException');
  });

  it('counts only recoveries without progress: a token that expires after each stretch of progress is always recovered', async () => {
    const detections = makeDetections(60);
    let recoveries = 0;
    const expire = new Map([10, 20, 30, 40, 50].map((offset) => [offset, 1] as [number, number]));
    const job = fakeJob({ detections, pageSize: 10, expire });
    const { items, error } = await drain({ getPage: job.getPage, maxTokenRecoveries: 1, onRecovery: () => recoveries++ });
    expect(error).to.equal(undefined);
    expect(items).to.deep.equal(detections);
    expect(recoveries).to.equal(5);
  });

  it('recoveries in a row without progress are bounded (maxTokenRecoveries: 0 never recovers)', async () => {
    const job = fakeJob({ detections: makeDetections(45), pageSize: 10, expire: new Map([[20, 1]]) });
    const { items, error } = await drain({ getPage: job.getPage, maxTokenRecoveries: 0 });
    expect(items).to.have.length(20);
    expect((error as PaginationError).reason).to.equal('RECOVERY_FAILED');
  });

  it('an expired starting token without startingCount cannot be recovered', async () => {
    const job = fakeJob({ detections: makeDetections(45), pageSize: 10, expire: new Map([[10, 1]]) });
    const { error } = await drain({ getPage: job.getPage, startingToken: 'o10' });
    expect((error as PaginationError).reason).to.equal('RECOVERY_FAILED');
  });

  it('refuses to splice results that changed since they were delivered', async () => {
    const detections = makeDetections(45);
    let calls = 0;
    const job = fakeJob({ detections, pageSize: 10, expire: new Map([[20, 1]]) });
    const changed = fakeJob({ detections: makeDetections(45).map((d) => ({ ...d, Timestamp: d.Timestamp! + 1 })), pageSize: 10 });
    const { error } = await drain({
      getPage: (token, s) => (++calls <= 3 ? job.getPage(token, s) : changed.getPage(token, s)),
    });
    expect((error as PaginationError).reason).to.equal('RECOVERY_FAILED');
    expect((error as Error).message).to.match(/job-1 stopped after 20 item/);
  });

  it('never mutates what it was given', async () => {
    const detections = Object.freeze(makeDetections(15).map((d) => Object.freeze(d)));
    const job = fakeJob({ detections, pageSize: 10, expire: new Map([[10, 1]]) });
    const { items } = await drain({ getPage: job.getPage });
    expect(items).to.deep.equal(detections);
  });
});

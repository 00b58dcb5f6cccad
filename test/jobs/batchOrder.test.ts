import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { StartJobError } from '../../src/errors/StartJobError.js';
import { type BatchEvent, faceDetectionBatch, type FaceDetectionBatchOptions } from '../../src/jobs/faceDetectionBatch.js';
import type { VideoRef } from '../../src/jobs/VideoRef.js';
import { LargestFirstWindow } from '../../src/jobs/LargestFirstWindow.js';
import { s3ObjectSizes } from '../../src/jobs/videoSizes.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { driveClock, type TrackedClient, trackInFlight } from '../helpers/driveClock.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

/** Reference: exact longest-first — sizes descending (unknown first), stable by input index. */
function sortedOrder(sizes: readonly (number | undefined)[]): number[] {
  const key = (i: number) => sizes[i] ?? Infinity;
  return sizes.map((_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
}

/**
 * Reference of a bounded window of `window` videos with `room` Starts at once (job slots + one ahead): the first
 * round takes the `room` largest of the first full window; then the window is refilled before each next pick.
 */
function windowOrder(sizes: readonly (number | undefined)[], window: number, room: number): number[] {
  const pool: number[] = [];
  let next = 0;
  const fill = () => {
    while (pool.length < window && next < sizes.length) pool.push(next++);
  };
  const pop = () => {
    const order = sortedOrder(pool.map((i) => sizes[i]));
    const chosen = pool[order[0]!]!;
    pool.splice(order[0]!, 1);
    return chosen;
  };
  const picks: number[] = [];
  fill();
  for (let k = 0; k < room && pool.length > 0; k++) picks.push(pop());
  for (;;) {
    fill();
    if (pool.length === 0) return picks;
    picks.push(pop());
  }
}

describe('jobs: LargestFirstWindow', () => {
  it('property: takes sizes descending, unknown first, ties by index', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), { maxLength: 60 }), (sizes) => {
        const window = new LargestFirstWindow<number>(sizes.length);
        sizes.forEach(() => window.add());
        expect(window.pending).to.equal(sizes.length);
        // Lookups settle in any order.
        [...sizes.keys()].reverse().forEach((i) => window.sized(i, i, sizes[i]));
        const taken: number[] = [];
        for (let t = window.take(); t !== undefined; t = window.take()) taken.push(t.item);
        expect(taken).to.deep.equal(sortedOrder(sizes));
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});

describe('jobs: faceDetectionBatch order (largest first, against the emulator in virtual time)', function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let clock: VirtualClock;
  let runs = 0;

  beforeEach(async () => {
    clock = new VirtualClock(1_000_000);
    t = await startTestEmulator({ seed: 5, clock, processingTimeMs: (video) => video.durationMs / 60, maxConcurrentJobs: 20, medianBitrate: 8000, bitrateSigma: 0 });
  });
  afterEach(async () => {
    await t?.close();
  });

  /**
   * Runs a batch to its end in virtual time (polling, the real Rekognition client) and returns its events and
   * the order in which videos were chosen to start (`beforeStart`, called in start order).
   */
  const runBatch = async (
    videos: readonly string[],
    options: Omit<FaceDetectionBatchOptions, 'client' | 'policy' | 'clock'>,
    trackers: readonly TrackedClient[] = [],
  ) => {
    const client = trackInFlight(t.client);
    const chosen: number[] = [];
    const events: BatchEvent[] = [];
    const batch = faceDetectionBatch(videos, {
      client,
      policy: directPolicy,
      clock,
      poll: { minDelay: 1000, maxDelay: 4000 },
      ...options,
      beforeStart: async (video, index) => {
        expect(video.name).to.equal(videos[index]!.replace(/^s3:\/\/[^/]+\//, '')); // index = position in the input
        chosen.push(index);
        await options.beforeStart?.(video, index);
      },
    });
    await driveClock(clock, (async () => {
      for await (const event of batch) events.push(event);
    })(), [client, ...trackers]);
    return { chosen, events };
  };

  /** A batch whose sizes come from `sizes` (a size source, not a client mock). */
  const run = async (sizes: readonly (number | undefined)[], options: { window?: number; maxConcurrentJobs: number }) => {
    const prefix = `r${runs++}`;
    const videos = sizes.map((_, i) => `s3://test-bucket/${prefix}/v${i}/duration=${1 + ((i * 7) % 5)}m.mp4`);
    const largestFirst = async (video: VideoRef) => sizes[Number(/\/v(\d+)\//.exec(video.name)![1])];
    const result = await runBatch(videos, {
      maxConcurrentJobs: options.maxConcurrentJobs,
      order: { largestFirst, ...(options.window === undefined ? {} : { window: options.window }) },
    });
    return { ...result, videos };
  };

  it('property: with the whole input in the window, the Starts go in exact longest-first order (unknown sizes first)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined, freq: 6 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        async (sizes, maxConcurrentJobs) => {
          const { chosen, events } = await run(sizes, { maxConcurrentJobs });
          expect(chosen).to.deep.equal(sortedOrder(sizes));
          const done = events.at(-1)!;
          expect(done.type === 'done' && done.counts).to.include({ total: sizes.length, succeeded: sizes.length, failed: 0 });
          expect(done.type === 'done' && done.counts.peakJobs).to.be.at.most(maxConcurrentJobs);
        },
      ),
      { seed: 42, numRuns: 15 },
    );
  });

  it('property: with a bounded window, the order is the bounded-window reference (and each video starts once)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined, freq: 8 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        async (sizes, window, maxConcurrentJobs) => {
          const { chosen, videos } = await run(sizes, { window, maxConcurrentJobs });
          expect(chosen).to.deep.equal(windowOrder(sizes, window, maxConcurrentJobs + 1));
          const ours = t.emu.jobStats().byObject.filter((o) => videos.some((v) => v.endsWith(o.name)));
          expect(ours.map((o) => o.jobIds.length)).to.deep.equal(videos.map(() => 1));
        },
      ),
      { seed: 7, numRuns: 15 },
    );
  });

  it('bounded memory: an endless input is taken at most a window ahead', async () => {
    const client = trackInFlight(t.client);
    let pulled = 0;
    function* endless() {
      for (let i = 0; ; i++) {
        pulled++;
        yield `s3://test-bucket/endless/n${i}/duration=10s.mp4`;
      }
    }
    const iterator = faceDetectionBatch(endless(), {
      client,
      policy: directPolicy,
      clock,
      maxConcurrentJobs: 2,
      order: { largestFirst: async () => 1, window: 50 },
    })[Symbol.asyncIterator]();
    const seen: BatchEvent[] = [];
    const consume = (async () => {
      for (let i = 0; i < 400; i++) seen.push((await iterator.next()).value as BatchEvent);
    })();
    await driveClock(clock, consume, [client]);
    // Started videos (≤ 400 events / 3) plus the window (50) plus one being pulled.
    expect(pulled).to.be.at.most(400 / 3 + 50 + 3 + 1);
    expect(seen.filter((e) => e.type === 'started').length).to.be.greaterThan(50);
    await iterator.return!();
  });

  it('with s3ObjectSizes: HeadObject sizes (the real S3Client) order the Starts by duration; a missing object goes first and fails at its Start', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: t.emu.endpoint, forcePathStyle: true, credentials: TEST_CREDENTIALS });
    const s3Tracked = trackInFlight(s3);
    const sizeOf = s3ObjectSizes({ client: s3Tracked, clock });
    await sizeOf.ready(); // the SDK module is loaded (real I/O the virtual-time driver cannot see)
    const minutes = [3, 12, 1, 7, 7, 30, 2];
    const videos = [...minutes.map((m, i) => `s3://test-bucket/sized/c${i}/duration=${m}m.mp4`), 's3://test-bucket/sized/missing=1,duration=50m.mp4'];
    let result: Awaited<ReturnType<typeof runBatch>>;
    try {
      result = await runBatch(videos, { maxConcurrentJobs: 2, order: { largestFirst: sizeOf } }, [s3Tracked]);
    } finally {
      sizeOf.close();
      s3.destroy();
    }
    const { chosen, events } = result;
    expect(chosen).to.deep.equal([7, 5, 1, 3, 4, 0, 6, 2]);
    expect(t.emu.counters().byOperation['HeadObject']).to.equal(videos.length);
    expect(sizeOf.stats).to.include({ found: 7, missing: 1 });
    const failed = events.flatMap((e) => (e.type === 'failed' ? [e] : []));
    expect(failed.map((e) => e.index)).to.deep.equal([7]);
    expect(failed[0]!.error).to.be.instanceOf(StartJobError);
    // Events name the input position.
    for (const event of events) if ('index' in event) expect(event.uri).to.equal(videos[event.index]);
  });

  it('a size lookup that throws leaves the size unknown; beforeStart rejecting fails that video with no Start', async () => {
    const videos = ['s3://test-bucket/h/a/duration=1m.mp4', 's3://test-bucket/h/b/duration=1m.mp4', 's3://test-bucket/h/c/duration=1m.mp4'];
    const { chosen, events } = await runBatch(videos, {
      order: {
        largestFirst: (video) => {
          if (video.name.includes('/c/')) throw new Error('no size service');
          return Promise.resolve(video.name.includes('/a/') ? 10 : 20);
        },
      },
      beforeStart: (_video, index) => {
        if (index === 1) throw new Error('disk full');
      },
    });
    expect(chosen).to.deep.equal([2, 1, 0]);
    const failed = events.flatMap((e) => (e.type === 'failed' ? [e] : []));
    expect(failed.map((e) => [e.index, e.error.message])).to.deep.equal([[1, 'disk full']]);
    expect(t.emu.jobs().map((j) => j.name).sort()).to.deep.equal(['h/a/duration=1m.mp4', 'h/c/duration=1m.mp4']);
  });

  it('validates order and beforeStart before any request', () => {
    expect(() => faceDetectionBatch([], { order: 'size' as 'input' })).to.throw(InvalidParameterError, 'order');
    expect(() => faceDetectionBatch([], { order: { largestFirst: 3 as never } })).to.throw(InvalidParameterError, 'order');
    expect(() => faceDetectionBatch([], { order: { largestFirst: async () => 1, window: 0 } })).to.throw(InvalidParameterError, 'order.window');
    expect(() => faceDetectionBatch([], { beforeStart: 'x' as never })).to.throw(InvalidParameterError, 'beforeStart');
  });
});

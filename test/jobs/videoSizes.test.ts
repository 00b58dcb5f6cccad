import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { emulatorOptionsFromFlags } from '../../src/cli/commands/emulator.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { objectBitrate, objectSize } from '../../src/emulator/s3/objectSize.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { s3ObjectSizes } from '../../src/jobs/videoSizes.js';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';
import { driveClock, trackInFlight } from '../helpers/driveClock.js';
import { VirtualClock } from '../helpers/VirtualClock.js';

const s3Client = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIALS, maxAttempts = 1) =>
  new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials, maxAttempts });

describe('emulator: S3 HeadObject (the videos\' sizes)', function () {
  this.timeout(30_000);
  let emu: Emulator | undefined;
  let s3: S3Client | undefined;
  afterEach(async () => {
    s3?.destroy();
    await emu?.close();
    emu = undefined;
  });

  it('answers the real S3Client (signature verified) with a deterministic size, ETag, Last-Modified and type', async () => {
    emu = await startEmulator({ seed: 3, credentials: [TEST_CREDENTIALS] });
    s3 = s3Client(emu.endpoint);
    const key = 'cams/lobby (1)+x/preset=meeting,duration=10m.mp4';
    const a = await s3.send(new HeadObjectCommand({ Bucket: 'my-videos', Key: key }));
    const b = await s3.send(new HeadObjectCommand({ Bucket: 'my-videos', Key: key }));
    expect(a.ContentLength).to.equal(objectSize({ bucket: 'my-videos', name: key }, 3, { median: 2_500_000, sigma: 0.25 }));
    expect(b.ContentLength).to.equal(a.ContentLength);
    expect(a.ETag).to.match(/^"[0-9a-f]{32}"$/).and.equal(b.ETag);
    expect(a.ContentType).to.equal('video/mp4');
    expect(a.LastModified).to.be.instanceOf(Date);
    expect(a.$metadata.requestId).to.be.a('string').and.not.equal('');
    const versioned = await s3.send(new HeadObjectCommand({ Bucket: 'my-videos', Key: key, VersionId: 'v2' }));
    expect(versioned.VersionId).to.equal('v2');
    expect(versioned.ContentLength).to.not.equal(a.ContentLength); // another object, another bitrate
    expect(emu.counters().byOperation['HeadObject']).to.equal(3);
    expect(emu.requests().every((r) => r.operation === 'HeadObject' && r.status === 200 && r.accessKeyId === TEST_CREDENTIALS.accessKeyId)).to.equal(true);
  });

  it('refuses a bad signature (403) and answers missing / denied objects and buckets with 404 / 403', async () => {
    emu = await startEmulator({ credentials: [TEST_CREDENTIALS], missingBuckets: ['gone-bucket'], deniedBuckets: ['secret-bucket'] });
    s3 = s3Client(emu.endpoint);
    const status = async (client: S3Client, bucket: string, key: string) => {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return 200;
      } catch (error) {
        return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      }
    };
    expect(await status(s3, 'b-1', 'missing=1.mp4')).to.equal(404);
    expect(await status(s3, 'b-1', 'denied=1.mp4')).to.equal(403);
    expect(await status(s3, 'gone-bucket', 'a.mp4')).to.equal(404);
    expect(await status(s3, 'secret-bucket', 'a.mp4')).to.equal(403);
    expect(await status(s3, 'b-1', 'preset=nope.mp4')).to.equal(200); // misusing the convention is Rekognition's error
    const forger = s3Client(emu.endpoint, { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' });
    try {
      expect(await status(forger, 'b-1', 'a.mp4')).to.equal(403);
    } finally {
      forger.destroy();
    }
    expect(emu.counters().byError).to.deep.include({ NotFound: 2, AccessDenied: 3 });
  });

  it('size model: duration × a log-normal per-object bitrate around the median, seeded', () => {
    const model = { median: 2_500_000, sigma: 0.25 };
    const sizes = Array.from({ length: 2000 }, (_, i) => objectSize({ bucket: 'b-1', name: `v${i}/duration=10m.mp4` }, 1, model));
    const logs = sizes.map((s) => Math.log((s * 8) / 600 / model.median));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
    expect(Math.abs(mean)).to.be.below(0.02);
    expect(sd).to.be.within(0.23, 0.27);
    expect(objectSize({ bucket: 'b-1', name: 'duration=10m.mp4' }, 1, { median: 8000, sigma: 0 })).to.equal(600_000);
    expect(objectBitrate({ bucket: 'b-1', name: 'x' }, 1, model)).to.not.equal(objectBitrate({ bucket: 'b-1', name: 'x' }, 2, model));
    expect(objectSize({ bucket: 'b-1', name: 'x' }, 1, model)).to.equal(objectSize({ bucket: 'b-1', name: 'x' }, 1, model));
  });

  it('bitrate options are validated; `face-stream emulator --median-bitrate --bitrate-sigma` set them', async () => {
    const base = { host: '127.0.0.1', port: '0', seed: '1', verifySignatures: false, tps: [], script: [], log: false };
    expect(emulatorOptionsFromFlags({ ...base, medianBitrate: '1000000', bitrateSigma: '0' }, {})).to.include({ medianBitrate: 1_000_000, bitrateSigma: 0 });
    expect(() => emulatorOptionsFromFlags({ ...base, bitrateSigma: 'x' }, {})).to.throw(InvalidParameterError, /--bitrate-sigma/);
    for (const bad of [{ medianBitrate: 0 }, { bitrateSigma: -1 }, { medianBitrate: Number.NaN }]) {
      let error: unknown;
      try {
        emu = await startEmulator(bad);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(InvalidParameterError);
    }
  });
});

describe('jobs: s3ObjectSizes (HeadObject sizes with the real S3Client)', function () {
  this.timeout(30_000);
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ seed: 9, bitrateSigma: 0, medianBitrate: 8000, credentials: [TEST_CREDENTIALS] });
  });
  afterEach(async () => {
    await emu.close();
  });

  it('returns sizes, and undefined (never an error) for missing, denied and failing objects, with counters', async () => {
    const client = s3Client(emu.endpoint, TEST_CREDENTIALS, 3);
    const errors: unknown[] = [];
    const sizeOf = s3ObjectSizes({ client, onError: (e) => errors.push(e) });
    try {
      await sizeOf.ready();
      expect(await sizeOf({ bucket: 'b-1', name: 'duration=10m.mp4' })).to.equal(600_000);
      expect(await sizeOf({ bucket: 'b-1', name: 'duration=30s.mp4', version: 'v1' })).to.equal(30_000);
      expect(await sizeOf({ bucket: 'b-1', name: 'missing=1.mp4' })).to.equal(undefined);
      expect(await sizeOf({ bucket: 'b-1', name: 'denied=1.mp4' })).to.equal(undefined);
      expect(sizeOf.stats).to.deep.equal({ requests: 4, found: 2, missing: 1, denied: 1, errors: 0, timeouts: 0, skipped: 0 });
      expect(errors).to.have.length(2);
    } finally {
      sizeOf.close();
      client.destroy();
    }
    // A connection refused (the emulator is gone), after the client's retries: unknown, not an error.
    // After maxConsecutiveErrors failures in a row, S3 is taken as unreachable: no more requests.
    const dead = s3ObjectSizes({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', timeout: 0, maxConcurrent: 1, maxConsecutiveErrors: 2 });
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    try {
      const sizes = await Promise.all(['a', 'b', 'c', 'd'].map((k) => dead({ bucket: 'b-1', name: `${k}.mp4` })));
      expect(sizes).to.deep.equal([undefined, undefined, undefined, undefined]);
      expect(dead.stats).to.include({ requests: 2, errors: 2, skipped: 2 });
    } finally {
      dead.close();
      for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('keeps at most maxConcurrent requests in flight, and a lookup past its timeout (virtual clock) is unknown', async () => {
    const clock = new VirtualClock(1_000_000);
    const client = s3Client(emu.endpoint);
    let inFlight = 0;
    let peak = 0;
    const counting = {
      send: (command: unknown, options?: { abortSignal?: AbortSignal }) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        return client.send(command as HeadObjectCommand, options).finally(() => inFlight--);
      },
    };
    const tracked = trackInFlight(counting);
    const sizeOf = s3ObjectSizes({ client: tracked, maxConcurrent: 3, clock });
    await sizeOf.ready(); // the SDK module is loaded (real I/O the virtual-time driver cannot see)
    try {
      const sizes = await driveClock(
        clock,
        Promise.all(Array.from({ length: 12 }, (_, i) => sizeOf({ bucket: 'b-1', name: `duration=${i + 1}s.mp4` }))),
        [tracked],
      );
      expect(sizes).to.deep.equal(Array.from({ length: 12 }, (_, i) => (i + 1) * 1000));
      expect(peak).to.equal(3);
      // A request that never answers: cut at `timeout` of the injected clock.
      const hanging = { send: (_c: unknown, options?: { abortSignal?: AbortSignal }) => new Promise((_r, reject) => options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')))) };
      const slow = s3ObjectSizes({ client: hanging, timeout: 5000, clock });
      await slow.ready();
      const timers = clock.pending;
      const pending = slow({ bucket: 'b-1', name: 'a.mp4' });
      while (clock.pending === timers) await new Promise((r) => setImmediate(r)); // the lookup's timeout is armed
      await clock.advance(5000);
      expect(await pending).to.equal(undefined);
      expect(slow.stats.timeouts).to.equal(1);
    } finally {
      sizeOf.close();
      client.destroy();
    }
  });

  it('rejects when the caller aborts, and validates its options', async () => {
    const sizeOf = s3ObjectSizes({ client: s3Client(emu.endpoint) });
    const controller = new AbortController();
    controller.abort();
    let error: unknown;
    try {
      await sizeOf({ bucket: 'b-1', name: 'a.mp4' }, controller.signal);
    } catch (e) {
      error = e;
    }
    expect((error as Error)?.name).to.equal('AbortError');
    expect(() => s3ObjectSizes({ client: {} as never })).to.throw(InvalidParameterError, /client/);
    expect(() => s3ObjectSizes({ maxConcurrent: 0 })).to.throw(InvalidParameterError, /maxConcurrent/);
    expect(() => s3ObjectSizes({ endpoint: 'nope' })).to.throw(InvalidParameterError, /endpoint/);
  });
});

import { GetFaceDetectionCommand, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import fc from 'fast-check';
import { emulatorOptionsFromFlags } from '../../src/cli/commands/emulator.js';
import { PRESET_NAMES, startEmulator, syntheticVideo } from '../../src/emulator/index.js';
import { ByteWriter } from '../../src/emulator/protocol/ByteWriter.js';
import { writeFloat32Digits } from '../../src/emulator/protocol/float32Digits.js';
import { toFaceDetection } from '../../src/emulator/synthetic/faceDetail.js';
import { faceDetectionJson } from '../../src/emulator/synthetic/serialize.js';
import { InvalidParameterError } from '../../src/errors/InvalidParameterError.js';
import { createTestClient } from '../helpers/emulator.js';

const float32Text = (value: number): string => {
  const out = new ByteWriter(4);
  out.float32(value);
  return out.finish().toString('latin1');
};

/** Every number in a JSON value. */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

describe('emulator numbers (float32 as AWS prints them, or rounded)', () => {
  it('ByteWriter.float32 prints exactly JSON.stringify(Math.fround(x)) (property, any double and any float32)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.float(), fc.double({ min: -200, max: 200 }), fc.double({ min: 0, max: 1 })), (x) => {
        expect(float32Text(x)).to.equal(JSON.stringify(Math.fround(x)));
      }),
      { numRuns: 20_000, seed: 11 },
    );
  });

  it('ByteWriter.float32 on values near short decimals, powers of two, limits and integers', () => {
    const values = [0, -0, 0.1, 0.2, 0.23, 0.5, 1, -1, 99.99, 99.97504425048828, 100, 29.97, 23.976, 1e-6, 9.99e-7, 1e-7, -1e-6,
      2 ** 24, 2 ** 24 - 0.5, 2 ** 23 + 0.5, 2 ** -20, 2 ** -19, 3.4e38, 1e21, 1.5e-45, NaN, Infinity, -Infinity, 0.3, 0.7, 0.9999999];
    const candidates: number[] = [];
    for (const v of values) {
      const f = Math.fround(v);
      candidates.push(v, f, -f);
      // neighbouring float32 values (next up and down)
      const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
      for (const d of [-2, -1, 1, 2]) candidates.push(new Float32Array(new Uint32Array([(bits + d) >>> 0]).buffer)[0]!);
    }
    for (let i = 1; i <= 10_000; i++) candidates.push(i / 10_000, i / 100, (i * 7) / 1e7, i / 1000 - 5); // round decimals
    for (const x of candidates) expect(float32Text(x), String(x)).to.equal(JSON.stringify(Math.fround(x)));
  });

  it('writeFloat32Digits declines (−1) what it does not print: integers, out of range, non-float32', () => {
    const buf = new Uint8Array(32);
    for (const x of [0, 3, 2 ** 24 + 2, 5e-7, 0.1, NaN, Infinity]) expect(writeFloat32Digits(buf, 0, x), String(x)).to.equal(-1);
    expect(writeFloat32Digits(buf, 0, Math.fround(0.1))).to.equal('0.10000000149011612'.length);
  });

  it("serialises like JSON.stringify of the detection objects in both formats (DEFAULT and ALL, every preset)", () => {
    for (const numbers of ['float32', 'rounded'] as const) {
      for (const faceAttributes of ['DEFAULT', 'ALL'] as const) {
        for (const preset of PRESET_NAMES) {
          const v = syntheticVideo({ seed: 9, preset, durationMs: 10_000, faceAttributes, numbers });
          for (const raw of v.rawDetections()) {
            expect(faceDetectionJson(raw, faceAttributes, numbers)).to.equal(JSON.stringify(toFaceDetection(raw, faceAttributes, numbers)));
          }
        }
      }
    }
  });

  it('float32 is the default: every float is a float32 value, and DEFAULT detections are ≈690 bytes (≈500 rounded)', () => {
    const sizes: Record<string, number> = {};
    for (const numbers of [undefined, 'rounded'] as const) {
      const v = syntheticVideo({ seed: 3, preset: 'walkers', durationMs: 30_000, ...(numbers ? { numbers } : {}) });
      let bytes = 0;
      let count = 0;
      let long = 0;
      for (const { detection } of v.detections()) {
        const text = JSON.stringify(detection);
        bytes += text.length;
        count++;
        for (const x of numbersIn(detection)) {
          if (numbers === undefined) expect(Math.fround(x)).to.equal(x);
          else expect(String(x).split('.')[1]?.length ?? 0).to.be.at.most(7);
          if (String(x).length > 12) long++;
        }
      }
      sizes[numbers ?? 'float32'] = bytes / count;
      if (numbers === undefined) expect(long).to.be.above(count * 10);
      expect(v.numbers).to.equal(numbers ?? 'float32');
    }
    expect(sizes.float32).to.be.within(640, 740);
    expect(sizes.rounded).to.be.within(450, 560);
  });

  it('the server sends float32 numbers by default (frame rate included) and rounded ones with numbers: rounded', async () => {
    for (const numbers of [undefined, 'rounded'] as const) {
      const emu = await startEmulator({ processingTimeMs: 0, ...(numbers ? { numbers } : {}) });
      const client = createTestClient(emu.endpoint);
      try {
        const { JobId } = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bucket', Name: 'preset=interview,duration=20s' } } }));
        const page = await client.send(new GetFaceDetectionCommand({ JobId: JobId!, MaxResults: 50 }));
        const expected = [...emu.video(JobId!).detections()].slice(0, 50).map((d) => d.detection);
        expect(page.Faces).to.deep.equal(expected);
        const frameRate = page.VideoMetadata!.FrameRate!;
        if (numbers === undefined) expect(frameRate).to.equal(Math.fround(29.97)).and.not.equal(29.97);
        else expect(frameRate).to.equal(29.97);
      } finally {
        client.destroy();
        await emu.close();
      }
    }
  });

  it('with pageCacheBytes a job read again is served the same pages (cached), and the flag maps and is checked', async () => {
    const emu = await startEmulator({ processingTimeMs: 0, pageCacheBytes: 4_000_000 });
    const client = createTestClient(emu.endpoint);
    try {
      const { JobId } = await client.send(new StartFaceDetectionCommand({ Video: { S3Object: { Bucket: 'bucket', Name: 'preset=interview,duration=90s' } } }));
      const expected = [...emu.video(JobId!).detections()].map((d) => d.detection);
      for (let read = 0; read < 3; read++) {
        const faces: unknown[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(new GetFaceDetectionCommand({ JobId: JobId!, MaxResults: 37, ...(token ? { NextToken: token } : {}) }));
          faces.push(...page.Faces!);
          token = page.NextToken;
        } while (token);
        expect(faces, `read ${read + 1}`).to.deep.equal(expected);
      }
    } finally {
      client.destroy();
      await emu.close();
    }
    const base = { host: '127.0.0.1', port: '0', seed: '1', verifySignatures: false, tps: [], script: [], log: false };
    expect(emulatorOptionsFromFlags({ ...base, pageCacheBytes: '1000000' }, {}).pageCacheBytes).to.equal(1_000_000);
    expect(() => emulatorOptionsFromFlags({ ...base, pageCacheBytes: 'lots' }, {})).to.throw(/--page-cache-bytes/);
    await startEmulator({ pageCacheBytes: -1 }).then(
      () => expect.fail('accepted a negative pageCacheBytes'),
      (err: unknown) => expect(err).to.be.instanceOf(InvalidParameterError).with.property('message').that.matches(/pageCacheBytes/),
    );
  });

  it('`face-stream emulator --rounded-numbers` selects rounded numbers; a bad numbers option is refused', () => {
    const base = { host: '127.0.0.1', port: '0', seed: '1', verifySignatures: false, tps: [], script: [], log: false };
    expect(emulatorOptionsFromFlags({ ...base, roundedNumbers: true }, {}).numbers).to.equal('rounded');
    expect(emulatorOptionsFromFlags(base, {}).numbers).to.equal(undefined);
    expect(() => syntheticVideo({ seed: 1, preset: 'meeting', durationMs: 1000, numbers: 'double' as never })).to.throw(InvalidParameterError, /numbers/);
    return startEmulator({ numbers: 'x' as never }).then(
      () => expect.fail('accepted'),
      (error: unknown) => expect(error).to.be.instanceOf(InvalidParameterError),
    );
  });
});

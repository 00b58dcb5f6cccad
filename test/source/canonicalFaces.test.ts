import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import fc from 'fast-check';
import { detectionFormatter } from '../../src/cli/output/formatDetections.js';
import { canonicalFaces } from '../../src/source/fastGetFaceDetection/canonicalFaces.js';
import { parseGetFaceDetectionBody } from '../../src/source/fastGetFaceDetection/parseGetFaceDetectionBody.js';
import { lazyFaces, maxTimestamp, rawFaceBytes } from '../../src/source/fastGetFaceDetection/rawFaces.js';
import { withRawFaceBytes } from '../../src/source/fastGetFaceDetection/withFastGetFaceDetection.js';
import type { FaceDetection } from '../../src/types.js';
import { createTestClient, startTestEmulator } from '../helpers/emulator.js';

/** A small seeded PRNG for the serialiser's choices (fast-check gives the seed, so failures shrink and replay). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * JSON text of `value`, with number texts, whitespace, nulls and unknown members varied at rate `noise` (0: exactly
 * `JSON.stringify`). The text always parses to a value whose SDK form is the SDK form of `value` or differs only
 * in what the object path also drops (nulls, unknown members).
 */
function serialise(value: unknown, random: () => number, noise: number): string {
  const odd = () => random() < noise;
  if (typeof value === 'number') {
    if (!odd()) return JSON.stringify(value);
    const variants = [
      Number.isInteger(value) ? `${value}.0` : value.toFixed(Math.min(20, (String(value).split('.')[1]?.length ?? 0) + 1)),
      value.toExponential(),
      value.toPrecision(17),
      value.toPrecision(16),
      Object.is(value, 0) ? '-0' : JSON.stringify(value),
      `${JSON.stringify(value)}`.replace(/^(-?)0\./, '$10.'),
    ];
    const text = variants[Math.floor(random() * variants.length)]!;
    return Number.isFinite(Number(text)) && /^-?\d/.test(text) ? text : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const sep = odd() ? ', ' : ',';
    return `[${value.map((v) => serialise(v, random, noise)).join(sep)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${odd() ? ' ' : ''}${serialise(v, random, noise)}`);
    if (odd()) parts.splice(Math.floor(random() * (parts.length + 1)), 0, '"Unknown":1');
    if (odd()) parts.splice(Math.floor(random() * (parts.length + 1)), 0, `${JSON.stringify(Object.keys(value)[0] ?? 'X')}:null`);
    if (odd() && parts.length > 1) parts.reverse();
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

const float32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const number = fc.oneof(
  float32,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e6, max: 1e9 }),
  fc.constantFrom(0, 1, 0.1, 0.5, 1e-7, 1e-6, 123456789012345680000, 2 ** 53 + 2, 99.5, -0.25),
  fc.double({ min: 0, max: 1, noNaN: true }).map(Math.fround),
);
const plain = fc.stringMatching(/^[A-Za-z_]{0,12}$/);
const text = fc.oneof(plain, fc.string(), fc.constantFrom('é', 'a"b', 'back\\slash', '\u0001', '\ud800'));
const valueConfidence = fc.record({ Value: fc.oneof(fc.boolean(), text), Confidence: number }, { requiredKeys: [] });
const faceDetail = fc.record(
  {
    BoundingBox: fc.record({ Width: number, Height: number, Left: number, Top: number }, { requiredKeys: [] }),
    AgeRange: fc.record({ Low: number, High: number }, { requiredKeys: [] }),
    Smile: valueConfidence,
    Gender: valueConfidence,
    Emotions: fc.array(fc.record({ Type: text, Confidence: number }, { requiredKeys: [] }), { maxLength: 3 }),
    Landmarks: fc.array(fc.record({ Type: plain, X: number, Y: number }, { requiredKeys: [] }), { maxLength: 5 }),
    Pose: fc.record({ Roll: number, Yaw: number, Pitch: number }, { requiredKeys: [] }),
    Quality: fc.record({ Brightness: number, Sharpness: number }, { requiredKeys: [] }),
    Confidence: number,
  },
  { requiredKeys: [] },
);
const detection = fc.record({ Timestamp: fc.oneof(fc.nat(), number), Face: faceDetail }, { requiredKeys: [] });
/** A page: its detections, and how they are written. */
const page = fc.record({
  faces: fc.array(detection, { maxLength: 6 }),
  seed: fc.integer(),
  noise: fc.constantFrom(0, 0, 0.02, 0.2),
  token: fc.option(plain, { nil: undefined }),
});

function bodyOf(p: { faces: unknown[]; seed: number; noise: number; token: string | undefined }): Buffer {
  const random = prng(p.seed);
  const faces = `[${p.faces.map((f) => serialise(f, random, p.noise)).join(random() < 0.5 ? ',' : ',\n ')}]`;
  const token = p.token === undefined ? '' : `,"NextToken":${JSON.stringify(p.token)}`;
  return Buffer.from(`{"JobStatus":"SUCCEEDED","VideoMetadata":{"Codec":"h264","FrameRate":29.969999313354492}${token},"Faces":${faces},"JobId":"j"}`);
}

/** What the object path writes for a page (NDJSON): `JSON.stringify` of each SDK-form detection. */
function objectNdjson(body: Buffer): string {
  return detectionFormatter('ndjson').page(parseGetFaceDetectionBody(body).Faces ?? [], true) as string;
}

describe('canonical detections: copying bytes instead of parse + serialise (CLI)', () => {
  it('property: whenever a page is taken as canonical, its copied bytes are exactly what the object path writes', () => {
    let copied = 0;
    let refused = 0;
    fc.assert(
      fc.property(page, (p) => {
        const body = bodyOf(p);
        const found = canonicalFaces(body);
        if (found === undefined) {
          refused++;
          return;
        }
        copied++;
        const faces = lazyFaces(body, found);
        for (const format of ['ndjson', 'json'] as const) {
          const formatter = detectionFormatter(format);
          for (const first of [true, false]) {
            const bytes = formatter.page(faces, first);
            if (faces.length > 0) expect(bytes).to.be.instanceOf(Uint8Array);
            const expected = formatter.page(parseGetFaceDetectionBody(body).Faces ?? [], first);
            expect(Buffer.from(bytes as Uint8Array).toString('utf8')).to.equal(expected);
          }
        }
      }),
      { numRuns: 1500, seed: 42 },
    );
    // Both outcomes were exercised.
    expect(copied).to.be.above(150);
    expect(refused).to.be.above(150);
  });

  it('property: the JSON.stringify of SDK-form detections is always taken as canonical (the fast case is the common one)', () => {
    fc.assert(
      fc.property(fc.array(detection, { maxLength: 6 }), (faces) => {
        const sdkForm = parseGetFaceDetectionBody(JSON.stringify({ JobStatus: 'SUCCEEDED', Faces: faces })).Faces!;
        const body = Buffer.from(JSON.stringify({ JobStatus: 'SUCCEEDED', Faces: sdkForm }));
        const ok = sdkForm.every((f) => !/\\|[^\x20-\x7e]/.test(JSON.stringify(f)));
        if (ok) expect(canonicalFaces(body), body.toString()).to.not.equal(undefined);
        else expect(canonicalFaces(body)).to.equal(undefined); // escapes and non-ASCII: the object path
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('property: a number is taken as canonical exactly when its text is JSON.stringify of its value (float32 texts and their near misses)', () => {
    // The fast test for float32-as-double texts decides most of these in double arithmetic; the reference is exact.
    const texts = float32
      .filter((v) => v !== 0)
      .chain((v) => {
        const base = JSON.stringify(v);
        const last = Number(base.at(-1));
        const nearMisses = [v.toPrecision(17), v.toPrecision(16), v.toPrecision(15), `${base.slice(0, -1)}${(last + 1) % 10}`, `${base.slice(0, -1)}${(last + 9) % 10}`];
        return fc.constantFrom(base, ...nearMisses.filter((t) => /^-?\d+(\.\d+)?$/.test(t)));
      });
    fc.assert(
      fc.property(texts, (text) => {
        const taken = canonicalFaces(Buffer.from(`{"Faces":[{"Timestamp":${text},"Face":{"Confidence":${text}}}]}`)) !== undefined;
        expect(taken, text).to.equal(JSON.stringify(Number(text)) === text);
      }),
      { numRuns: 20000, seed: 11 },
    );
  });

  it('refuses the non-canonical forms the issue names, and nulls, unknown and reordered members, whitespace', () => {
    const face = (inner: string) => Buffer.from(`{"JobStatus":"SUCCEEDED","Faces":[{"Timestamp":0,"Face":${inner}}]}`);
    for (const inner of [
      '{"Confidence":1.0}',
      '{"Confidence":1E-7}',
      '{"Confidence":1e-07}',
      '{"Confidence":1.0e-7}',
      '{"Confidence":0.10}',
      '{"Confidence":-0}',
      '{"Confidence":0.0000001}',
      '{"Confidence":0.23000000417232514}', // 17 digits, not the shortest
      '{"Confidence":99.97504425048828000}',
      '{"Confidence":null}',
      '{"Confidence":"99"}',
      '{"Extra":1,"Confidence":99}',
      '{"Confidence":99,"BoundingBox":{}}',
      '{"Confidence":99,"Confidence":98}',
      '{ "Confidence":99}',
      '{"Pose":{"Roll":"NaN"}}',
      '{"Landmarks":[{"Type":"a\\u0062"}]}',
    ]) {
      expect(canonicalFaces(face(inner)), inner).to.equal(undefined);
    }
    // (1e-7 is JSON.stringify's own text for 1e-7: canonical)
    for (const inner of ['{"Confidence":1e-7}', '{"Confidence":99.97504425048828}', '{"Confidence":0.23000000417232513}', '{"Confidence":99.5}', '{}', '{"Pose":{"Roll":-1.5}}']) {
      expect(canonicalFaces(face(inner)), inner).to.not.equal(undefined);
    }
    // The page structure: not an object, two Faces, trailing bytes, no Faces.
    for (const text of ['[]', '{"Faces":[],"Faces":[]}', '{"Faces":[]}x', '{"JobStatus":"SUCCEEDED"}', '{"Faces":null}']) {
      expect(canonicalFaces(Buffer.from(text)), text).to.equal(undefined);
    }
  });

  it('the byte-backed Faces array behaves as the parsed array (index, length, iteration, slice, JSON)', () => {
    const body = bodyOf({ faces: [{ Timestamp: 1, Face: { Confidence: Math.fround(0.3) } }, { Timestamp: 2 }, { Timestamp: 3, Face: {} }], seed: 1, noise: 0, token: 't' });
    const faces = lazyFaces(body, canonicalFaces(body)!);
    const parsed = parseGetFaceDetectionBody(body).Faces!;
    expect(Array.isArray(faces)).to.equal(true);
    expect(faces.length).to.equal(3);
    expect(faces[2]).to.deep.equal(parsed[2]);
    expect([...faces]).to.deep.equal(parsed);
    expect(faces.slice(1)).to.deep.equal(parsed.slice(1));
    expect(JSON.stringify(faces)).to.equal(JSON.stringify(parsed));
    expect(Object.keys(faces)).to.deep.equal(['0', '1', '2']);
    expect(faces[1]).to.equal(faces[1]); // parsed once, then kept
    expect(rawFaceBytes(faces)).to.not.equal(undefined);
    expect(rawFaceBytes(parsed)).to.equal(undefined);
  });

  it('property: maxTimestamp of a byte-backed page (read from the bytes, nothing parsed) is that of the parsed detections', () => {
    fc.assert(
      fc.property(page, (p) => {
        const body = bodyOf(p);
        const found = canonicalFaces(body);
        if (found === undefined) return;
        const stamps = parseGetFaceDetectionBody(body).Faces!.map((f) => f.Timestamp).filter((t): t is number => typeof t === 'number');
        expect(maxTimestamp(lazyFaces(body, found))).to.equal(Math.max(-Infinity, ...stamps));
      }),
      { numRuns: 1000, seed: 5 },
    );
  });

  it('a client with withRawFaceBytes returns byte-backed pages equal to the SDK deserializer\'s, float32 and rounded, DEFAULT and ALL', async function () {
    this.timeout(60_000);
    for (const numbers of ['float32', 'rounded'] as const) {
      const t = await startTestEmulator({ seed: 4, numbers });
      const raw = withRawFaceBytes(createTestClient(t.emu.endpoint));
      try {
        for (const FaceAttributes of ['DEFAULT', 'ALL'] as const) {
          const JobId = await t.startJob('preset=edited,duration=40s', { FaceAttributes });
          let NextToken: string | undefined;
          do {
            const input = { JobId, MaxResults: 100, ...(NextToken ? { NextToken } : {}) };
            const [fast, sdk] = await Promise.all([raw.send(new GetFaceDetectionCommand(input)), t.client.send(new GetFaceDetectionCommand(input))]);
            expect(rawFaceBytes(fast.Faces!), `${numbers} ${FaceAttributes}`).to.not.equal(undefined);
            // (each request gets its own NextToken)
            const { $metadata: _a, NextToken: _c, ...fastRest } = fast;
            const { $metadata: _b, NextToken: _d, ...sdkRest } = sdk;
            expect(JSON.stringify(fastRest)).to.equal(JSON.stringify(sdkRest));
            expect(fast.Faces).to.deep.equal(sdk.Faces);
            expect(Buffer.from(detectionFormatter('ndjson').page(fast.Faces!, true) as Uint8Array).toString()).to.equal(
              detectionFormatter('ndjson').page(sdk.Faces as FaceDetection[], true),
            );
            NextToken = fast.NextToken;
          } while (NextToken);
        }
      } finally {
        raw.destroy();
        await t.close();
      }
    }
  });
});

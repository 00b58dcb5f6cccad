import { expect } from 'chai';
import fc from 'fast-check';
import { parseInPieces } from '../../src/source/fastGetFaceDetection/parseInPieces.js';

/** parseInPieces agrees with JSON.parse of the whole body, or declines (undefined); returns whether it parsed. */
function agrees(text: string, pieceBytes: number): boolean {
  const body = Buffer.from(text);
  let expected: unknown;
  let valid = true;
  try {
    expected = JSON.parse(text);
  } catch {
    valid = false;
  }
  const got = parseInPieces(body, { pieceBytes });
  if (got === undefined) return false;
  expect(valid, `parsed an invalid body: ${text}`).to.equal(true);
  expect(got).to.deep.equal(expected);
  expect(JSON.stringify(got)).to.equal(JSON.stringify(expected)); // same members, same order
  return true;
}

const detection = (t: number, extra = ''): string => `{"Timestamp":${t},"Face":{"BoundingBox":{"Width":0.23000000417232513,"Height":0.5},"Confidence":99.97504425048828${extra}}}`;
const faces = (n: number, extra = ''): string => Array.from({ length: n }, (_, i) => detection(i * 40, extra)).join(',');

describe('parseInPieces (a large GetFaceDetection body parsed in pieces, same value as JSON.parse)', () => {
  it('parses an ordinary page in pieces, for every piece size', () => {
    const text = `{"JobStatus":"SUCCEEDED","VideoMetadata":{"Codec":"h264","FrameRate":25},"NextToken":"abc","Faces":[${faces(50)}],"JobId":"j","Video":{"S3Object":{"Bucket":"b","Name":"n"}},"JobTag":"t"}`;
    for (const size of [1, 2, 50, 120, 121, 500, 1000, text.length]) expect(agrees(text, size), `piece ${size}`).to.equal(true);
  });

  const hostile: [string, string][] = [
    ['a nested Faces key before the real one', `{"X":{"Faces":[${faces(3)}]},"Faces":[${faces(4)}]}`],
    ['a later duplicate top-level Faces (the last wins)', `{"Faces":[${faces(4)}],"Faces":[${faces(1)}]}`],
    ['an earlier duplicate top-level Faces', `{"Faces":[${faces(2)}],"A":1,"Faces":[${faces(4)}]}`],
    ['an escaped key that spells Faces', `{"Faces":[${faces(4)}],"Fac\\u0065s":[]}`],
    ['an escaped Faces key first', `{"Fac\\u0065s":[${faces(4)}],"B":2}`],
    ['the cut pattern inside strings', `{"JobTag":"},{\\"Timestamp\\":1","Faces":[${faces(4, ',"S":"},{\\"Timestamp\\":"')}],"T":"}]"}`],
    ['the cut pattern in a nested array', `{"Faces":[${faces(4, ',"E":[{"Timestamp":1},{"Timestamp":2},{"Timestamp":3}]')}]}`],
    ['an array of detections after Faces', `{"Faces":[${faces(3)}],"Other":[${faces(3)}]}`],
    ['whitespace everywhere', `\n { "JobStatus" : "SUCCEEDED" ,\t"Faces" :\r\n [ ${faces(4).replace(/,\{/g, ' , {')} ] , "JobId" : "j" } \n`],
    ['Faces not an array', `{"Faces":{"a":[${faces(3)}]}}`],
    ['an empty Faces', '{"JobStatus":"SUCCEEDED","Faces":[]}'],
    ['a body that is an array', `[{"Faces":[${faces(3)}]}]`],
    ['a byte order mark', `\uFEFF{"Faces":[${faces(3)}]}`],
    ['non-ASCII text', `{"JobTag":"é — 日本","Faces":[${faces(3, ',"N":"ünï"')}]}`],
    ['invalid: an empty element', `{"Faces":[${faces(2)},,${faces(2)}]}`],
    ['invalid: a trailing comma', `{"Faces":[${faces(3)},]}`],
    ['invalid: garbage after the object', `{"Faces":[${faces(3)}]} x`],
    ['invalid: unbalanced element', `{"Faces":[${faces(2)},{"Timestamp":1,"Face":{}]}`],
    ['invalid: unterminated string in the tail', `{"Faces":[${faces(3)}],"A":"}`],
  ];
  for (const [title, text] of hostile) {
    it(`agrees with JSON.parse or declines: ${title}`, () => {
      for (const size of [1, 30, 200, 100_000]) agrees(text, size);
    });
  }

  it('property: random bodies (members around Faces, nested look-alikes, strings with the cut pattern) agree with JSON.parse', () => {
    const tricky = fc.constantFrom('},{"Timestamp":', '}]', '"Faces":[', '\\', '"', 'é', '\u2028', ' ');
    const str = fc.array(fc.oneof(fc.string({ maxLength: 4 }), tricky), { maxLength: 4 }).map((parts) => parts.join(''));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        str,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(str, fc.constantFrom('Faces', 'Timestamp')), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const face = fc.record(
      { Timestamp: fc.oneof(fc.nat(), fc.constant(null)), Face: fc.dictionary(fc.oneof(str, fc.constant('Faces')), json, { maxKeys: 3 }) },
      { requiredKeys: [] },
    );
    const member = fc.tuple(fc.oneof(str, fc.constantFrom('Faces', 'JobStatus', 'Fac\\u0065s')), json);
    const space = fc.constantFrom('', '', ' ', '\n');
    fc.assert(
      fc.property(
        fc.array(member, { maxLength: 3 }),
        fc.array(face, { maxLength: 8 }),
        fc.array(member, { maxLength: 3 }),
        space,
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        (before, fs, after, ws, size, mangle) => {
          const members = [
            ...before.map(([k, v]) => `${JSON.stringify(k).replace('\\\\u0065', '\\u0065')}:${JSON.stringify(v)}`),
            `"Faces":[${fs.map((f) => JSON.stringify(f)).join(`,${ws}`)}]`,
            ...after.map(([k, v]) => `${JSON.stringify(k).replace('\\\\u0065', '\\u0065')}:${JSON.stringify(v)}`),
          ];
          let text = `{${members.join(`,${ws}`)}}`;
          // (sometimes break it: drop a character somewhere)
          if (mangle && text.length > 2) {
            const at = (size * 7919) % text.length;
            text = text.slice(0, at) + text.slice(at + 1);
          }
          agrees(text, size);
        },
      ),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('parses the pages of the property test that have the usual layout (the path is exercised)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 3000 }), (n, size) => {
        expect(agrees(`{"JobStatus":"SUCCEEDED","NextToken":"x","Faces":[${faces(n)}],"JobId":"j"}`, size)).to.equal(true);
      }),
      { seed: 12, numRuns: 200 },
    );
  });
});

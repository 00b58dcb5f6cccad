import { spawnSync } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { GetFaceDetectionCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import fc from 'fast-check';
import { syntheticVideo } from '../../src/emulator/synthetic/syntheticVideo.js';
import { parseGetFaceDetectionBody } from '../../src/source/fastGetFaceDetection/parseGetFaceDetectionBody.js';
import { withFastGetFaceDetection } from '../../src/source/fastGetFaceDetection/withFastGetFaceDetection.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * A client whose transport answers every request with `body` (as a stream, like node:http). Everything above the
 * transport — serializer, signing, middleware, the SDK's deserializer or our fast path — is the real SDK.
 */
function cannedClient(body: string, status = 200, fast = false): RekognitionClient {
  const client = new RekognitionClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: status,
          reason: '',
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amzn-RequestId': 'req-1' },
          body: Readable.from([Buffer.from(body)]),
        },
      }),
    } as never,
  });
  return fast ? withFastGetFaceDetection(client) : client;
}

async function both(body: string, status = 200): Promise<[unknown, unknown]> {
  const run = async (fast: boolean) => {
    const client = cannedClient(body, status, fast);
    try {
      return await client.send(new GetFaceDetectionCommand({ JobId: 'job-1' }));
    } catch (error) {
      const e = error as Error & { $metadata?: unknown; Code?: unknown };
      return { error: e.name, message: e.message, $metadata: e.$metadata, Code: e.Code };
    }
  };
  return [await run(false), await run(true)];
}

function page(faceAttributes: 'DEFAULT' | 'ALL', from: number, count: number): string {
  const video = syntheticVideo({ seed: 7, preset: 'meeting', durationMs: 60_000, faceAttributes });
  const faces = [];
  let i = 0;
  for (const { detection } of video.detections(from)) {
    if (i++ >= count) break;
    faces.push(detection);
  }
  return JSON.stringify({
    JobStatus: 'SUCCEEDED',
    VideoMetadata: { ...video.metadata },
    NextToken: 'tok',
    Faces: faces,
    JobId: 'job-1',
    Video: { S3Object: { Bucket: 'b', Name: 'meeting.mp4' } },
    JobTag: 'tag',
  });
}

describe('fast GetFaceDetection parser', () => {
  const shapes: [string, string][] = [
    ['DEFAULT attributes page', page('DEFAULT', 0, 300)],
    ['ALL attributes page', page('ALL', 100, 200)],
    // (over 128 kB: parsed in pieces, see parseInPieces)
    ['a large DEFAULT page, parsed in pieces', page('DEFAULT', 0, 1000)],
    ['a large ALL page, parsed in pieces', page('ALL', 0, 400)],
    ['IN_PROGRESS', '{"JobStatus":"IN_PROGRESS","JobId":"job-1","JobTag":"t"}'],
    ['FAILED', '{"JobStatus":"FAILED","StatusMessage":"Unsupported codec.","JobId":"job-1"}'],
    ['nulls everywhere', '{"JobStatus":"SUCCEEDED","StatusMessage":null,"NextToken":null,"VideoMetadata":{"Codec":null,"FrameRate":25},"Faces":[{"Timestamp":0,"Face":{"BoundingBox":{"Width":0.1,"Height":null},"FaceOccluded":null,"EyeDirection":null,"Landmarks":[null,{"Type":"nose","X":0.5,"Y":null}]}},null]}'],
    ['unknown members', '{"JobStatus":"SUCCEEDED","FileExtension":"mp4","Faces":[{"Timestamp":1,"Extra":{"a":1},"Face":{"NewThing":true,"Confidence":99}}],"VideoMetadata":{"Codec":"h264","Rotation":90}}'],
    ['open enums and uncoerced types', '{"JobStatus":"SOMETHING_NEW","Faces":[{"Timestamp":"12","Face":{"Gender":{"Value":"Other","Confidence":"NaN"},"Pose":{"Roll":"Infinity","Yaw":"-Infinity","Pitch":"x"}}}]}'],
    ['__type keeps unknown members', '{"JobStatus":"SUCCEEDED","__type":"x","Other":1,"Faces":[]}'],
    ['type mismatches pass through', '{"JobStatus":7,"Faces":{"a":1},"VideoMetadata":[1,2],"Video":"v","JobTag":false}'],
    ['members out of model order', '{"Faces":[{"Face":{"Pose":{"Yaw":1,"Roll":2},"BoundingBox":{"Top":0.1,"Left":0.2}},"Timestamp":5}],"JobStatus":"SUCCEEDED"}'],
    ['empty object', '{}'],
    ['empty body', ''],
    ['not an object', '[1,2]'],
  ];
  for (const [title, body] of shapes) {
    it(`gives the same output as the SDK deserializer: ${title}`, async () => {
      const [sdk, fast] = await both(body);
      expect(fast).to.deep.equal(sdk);
      expect(JSON.stringify(fast)).to.equal(JSON.stringify(sdk)); // same members in the same order
    });
  }

  it('the large pages above are large enough to be parsed in pieces', () => {
    expect(Buffer.byteLength(page('DEFAULT', 0, 1000))).to.be.greaterThan(128 * 1024);
    expect(Buffer.byteLength(page('ALL', 0, 400))).to.be.greaterThan(128 * 1024);
  });

  it('leaves error responses to the SDK (same typed error)', async () => {
    const [sdk, fast] = await both('{"__type":"InvalidPaginationTokenException","Code":"InvalidPaginationTokenException","Message":"Invalid Token"}', 400);
    expect(fast).to.deep.equal(sdk);
    expect((fast as { error: string }).error).to.equal('InvalidPaginationTokenException');
  });

  it('malformed JSON fails like the SDK (a SyntaxError with the raw body)', async () => {
    const [sdk, fast] = await both('{"JobStatus":');
    expect((fast as { error: string }).error).to.equal((sdk as { error: string }).error);
  });

  it('property: random JSON-ish responses parse identically to the SDK', async () => {
    const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('NaN', 'Infinity', 'x'), fc.constant(null));
    const face = fc.record(
      {
        Timestamp: fc.oneof(fc.nat(), fc.constant(null)),
        Face: fc.record(
          {
            BoundingBox: fc.record({ Width: num, Height: num, Left: num, Top: num }, { requiredKeys: [] }),
            Confidence: num,
            Smile: fc.record({ Value: fc.oneof(fc.boolean(), fc.constant(null)), Confidence: num }, { requiredKeys: [] }),
            Emotions: fc.array(fc.oneof(fc.record({ Type: fc.string(), Confidence: num }), fc.constant(null)), { maxLength: 3 }),
            Junk: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
        Junk: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(face, { maxLength: 5 }), fc.option(fc.string()), async (faces, token) => {
        const body = JSON.stringify({ JobStatus: 'SUCCEEDED', NextToken: token, Faces: faces });
        const [sdk, fast] = await both(body);
        expect(fast).to.deep.equal(sdk);
        expect(JSON.stringify(fast)).to.equal(JSON.stringify(sdk));
      }),
      { seed: 1, numRuns: 100 },
    );
  });

  it('without code generation from strings (a generic walk instead), the same output', async () => {
    const bodies = shapes.map(([, body]) => body).filter((body) => body.length > 0);
    const script =
      `import { parseGetFaceDetectionBody } from ${JSON.stringify(new URL('../../src/source/fastGetFaceDetection/parseGetFaceDetectionBody.ts', import.meta.url).href)};` +
      `let generated = true; try { new Function('return 1'); } catch { generated = false; }` +
      `const bodies = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));` +
      `process.stdout.write(JSON.stringify({ generated, out: bodies.map((b) => JSON.stringify(parseGetFaceDetectionBody(Buffer.from(b)))) }));`;
    const child = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script.replace("require('node:fs')", '(await import("node:fs"))')], {
      input: JSON.stringify(bodies),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(child.status, child.stderr).to.equal(0);
    const { generated, out } = JSON.parse(child.stdout) as { generated: boolean; out: string[] };
    expect(generated).to.equal(false);
    expect(out).to.deep.equal(bodies.map((b) => JSON.stringify(parseGetFaceDetectionBody(Buffer.from(b)))));
  });

  it('parseGetFaceDetectionBody is usable on its own', () => {
    expect(parseGetFaceDetectionBody('{"JobStatus":"SUCCEEDED","Faces":[],"X":null}')).to.deep.equal({ JobStatus: 'SUCCEEDED', Faces: [] });
  });

  describe('a body cut off mid-way (the fast path collects the body itself)', () => {
    /** A server that sends the headers and half a body, then holds the response for `then` to finish. */
    async function halfBodyServer(then: (res: ServerResponse) => void) {
      let sent!: () => void;
      const halfSent = new Promise<void>((resolve) => (sent = resolve));
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '100' });
        res.write('{"JobStatus":"SUCCEEDED","Faces":[{"Timestamp":0}', () => {
          sent();
          then(res);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const client = withFastGetFaceDetection(
        new RekognitionClient({
          region: 'us-east-1',
          endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
          maxAttempts: 1,
        }),
      );
      const close = async () => {
        client.destroy();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      };
      return { client, halfSent, close };
    }

    it('an abort while the body is arriving rejects the request (no hang, no partial page)', async () => {
      const { client, halfSent, close } = await halfBodyServer(() => {});
      try {
        const controller = new AbortController();
        const sending = client.send(new GetFaceDetectionCommand({ JobId: 'job' }), { abortSignal: controller.signal });
        await halfSent;
        controller.abort();
        const error = await sending.then(() => undefined, (e: unknown) => e as Error);
        expect(error).to.be.instanceOf(Error);
      } finally {
        await close();
      }
    });

    it('a connection closed mid-body rejects the request (no partial page)', async () => {
      const { client, halfSent, close } = await halfBodyServer((res) => res.socket?.destroy());
      try {
        const sending = client.send(new GetFaceDetectionCommand({ JobId: 'job' }));
        await halfSent;
        const error = await sending.then(() => undefined, (e: unknown) => e as Error);
        expect(error).to.be.instanceOf(Error);
      } finally {
        await close();
      }
    });
  });
});

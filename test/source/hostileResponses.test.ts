import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import { ServiceError } from '../../src/errors/ServiceError.js';
import { createRequestPolicy, type ResilientPolicy } from '../../src/resilience/createRequestPolicy.js';
import { directPolicy } from '../../src/resilience/directPolicy.js';
import { faceDetections } from '../../src/source/faceDetections.js';
import { withFastGetFaceDetection } from '../../src/source/fastGetFaceDetection/withFastGetFaceDetection.js';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { createTestClient, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

/** Bodies a broken server or a proxy answers with status 200. */
const NOT_A_PAGE: readonly (readonly [string, string])[] = [
  ['an empty body', ''],
  ['{}', '{}'],
  ['null', 'null'],
  ['a page without JobStatus', '{"Faces":[],"VideoMetadata":{"DurationMillis":60000}}'],
  ['an unknown JobStatus', '{"JobStatus":"PENDING","Faces":[]}'],
  ['a JSON list', '[]'],
];
const UNPARSEABLE: readonly (readonly [string, string])[] = [
  ["a proxy's HTML page", '<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>'],
  ['truncated JSON', '{"JobStatus":"SUCCEEDED","Faces":[{"Timestamp":0,"Face":{"BoundingBox":{"Wid'],
];

describe('faceDetections: hostile 200 answers are errors, never the end of a job (real SDK, both parsers)', function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let jobId: string;
  let expected: string[];
  let policy: ResilientPolicy;
  const clients: Record<string, RekognitionClient> = {};

  before(async () => {
    t = await startTestEmulator({ seed: 11 });
    jobId = await t.startJob('preset=meeting,duration=20s.mp4');
    const all = await lastValueFrom(faceDetections({ client: t.client, jobId, policy: directPolicy }).pipe(toArray()));
    expected = all.map((d) => JSON.stringify(d));
    expect(expected.length).to.be.greaterThan(300);
    clients.sdk = t.client;
    clients.fast = withFastGetFaceDetection(createTestClient(t.emu.endpoint));
  });
  after(async () => {
    clients.fast?.destroy();
    await t.close();
  });
  beforeEach(() => {
    t.emu.faults.clear();
    policy = createRequestPolicy({ adaptive: false, retries: 3, transientBackoff: { baseMs: 0, capMs: 0 } });
  });
  afterEach(() => policy.close());

  const read = (client: RekognitionClient) =>
    lastValueFrom(faceDetections({ client, jobId, maxResults: 100, policy }).pipe(toArray())).then((all) => all.map((d) => JSON.stringify(d)));

  for (const parser of ['sdk', 'fast'] as const) {
    for (const [what, body] of [...NOT_A_PAGE, ...UNPARSEABLE]) {
      it(`${parser}: ${what} on page 3 is retried; every detection arrives once`, async () => {
        t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', body, after: 2, times: 2 });
        expect(await read(clients[parser]!)).to.deep.equal(expected);
        t.emu.faults.assertAllConsumed();
      });
    }

    it(`${parser}: a page that stays wrong fails with a typed one-line MalformedResponse after the retries`, async () => {
      for (const [, body] of [...NOT_A_PAGE, ...UNPARSEABLE]) {
        t.emu.faults.clear();
        t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', body, after: 2, times: 4 });
        const delivered: string[] = [];
        const error = await new Promise<unknown>((resolve) =>
          faceDetections({ client: clients[parser]!, jobId, maxResults: 100, policy }).subscribe({
            next: (d) => delivered.push(JSON.stringify(d)),
            error: resolve,
            complete: () => resolve(undefined),
          }),
        );
        expect(error, body).to.be.instanceOf(ServiceError);
        const e = error as ServiceError;
        expect(e.serviceCode).to.equal('MalformedResponse');
        expect(e.code).to.equal('ERR_SERVICE_MALFORMED_RESPONSE');
        expect(e.httpStatusCode).to.equal(200);
        expect(e.attempts).to.equal(4);
        expect(e.message).to.not.match(/[\r\n]/);
        expect(e.message).to.not.include('Deserialization error');
        expect(delivered).to.deep.equal(expected.slice(0, 200));
        t.emu.faults.assertAllConsumed();
      }
    });
  }

  it('the same unparseable body with a 502 is retried too, and a 403 one fails at once (one line)', async () => {
    const [, html] = UNPARSEABLE[0]!;
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', status: 502, body: html, after: 1 });
    expect(await read(t.client)).to.deep.equal(expected);
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', status: 403, body: html });
    const error = (await read(t.client).catch((e: unknown) => e)) as ServiceError;
    expect(error).to.be.instanceOf(ServiceError);
    expect(error).to.include({ serviceCode: 'MalformedResponse', httpStatusCode: 403, retryable: false });
    expect(error.message).to.not.match(/[\r\n]/);
  });

  it('a page of another job is an error, not data', async () => {
    const other = await t.startJob('preset=interview,duration=10s.mp4');
    const body = JSON.stringify({ JobStatus: 'SUCCEEDED', JobId: other, Faces: [] });
    t.emu.faults.script({ operation: 'GetFaceDetection', fault: 'body', body, times: 4 });
    const error = (await read(t.client).catch((e: unknown) => e)) as ServiceError;
    expect(error).to.be.instanceOf(ServiceError);
    expect(error.serviceCode).to.equal('MalformedResponse');
    expect(error.message).to.include('is not the requested job');
  });
});

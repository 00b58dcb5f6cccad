import { GetFaceDetectionCommand, StartFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { createTestClient, startTestEmulator, withEmulator } from '../helpers/emulator.js';
import { rawRequest } from './raw.js';
import { failure } from './failure.js';

const video = (Name: string) => ({ S3Object: { Bucket: 'test-bucket', Name } });

describe('emulator errors reach the real SDK with the right name and status', () => {
  const ctx = withEmulator({ seed: 3 });

  it('ResourceNotFoundException for an unknown job (400)', async () => {
    const err = await failure(() => ctx().client.send(new GetFaceDetectionCommand({ JobId: 'a'.repeat(64) })));
    expect(err.name).to.equal('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).to.equal(400);
  });

  it('InvalidParameterException for a bad JobId, MaxResults < 1, bad types, missing Video', async () => {
    const { client } = ctx();
    for (const input of [
      { JobId: 'bad id!' },
      { JobId: '' },
      { JobId: 'x'.repeat(65) },
      { JobId: 'abc', MaxResults: 0 },
      { JobId: 'abc', MaxResults: -5 },
    ]) {
      const err = await failure(() => client.send(new GetFaceDetectionCommand(input)));
      expect(err.name, JSON.stringify(input)).to.equal('InvalidParameterException');
      expect(err.$metadata?.httpStatusCode).to.equal(400);
    }
    for (const input of [
      {},
      { Video: {} },
      { Video: { S3Object: { Bucket: 'ab', Name: 'x' } } },
      { Video: { S3Object: { Bucket: 'abc', Name: '' } } },
      { Video: { S3Object: { Bucket: 'abc', Name: 'n'.repeat(1025) } } },
      { Video: video('x'), FaceAttributes: 'SOME' },
      { Video: video('x'), JobTag: 'bad tag with spaces' },
      { Video: video('x'), ClientRequestToken: 't'.repeat(65) },
      { Video: video('x'), NotificationChannel: { SNSTopicArn: 'nope', RoleArn: 'arn:aws:iam::123456789012:role/r' } },
    ]) {
      const err = await failure(() => client.send(new StartFaceDetectionCommand(input as never)));
      expect(err.name, JSON.stringify(input)).to.equal('InvalidParameterException');
    }
    const raw = await rawRequest(ctx().emu.endpoint, { target: 'GetFaceDetection', body: '{"JobId":5}' });
    expect(raw.status).to.equal(400);
    expect(raw.json().__type).to.equal('InvalidParameterException');
    expect(String(raw.json().Message)).to.contain('JobId');
  });

  it('InvalidS3ObjectException for a misused object-name convention, VideoTooLargeException beyond 6 h', async () => {
    const { client } = ctx();
    let err = await failure(() => client.send(new StartFaceDetectionCommand({ Video: video('preset=nope.mp4') })));
    expect(err.name).to.equal('InvalidS3ObjectException');
    expect(err.message).to.contain('preset must be one of');
    err = await failure(() => client.send(new StartFaceDetectionCommand({ Video: video('duration=7h.mp4') })));
    expect(err.name).to.equal('VideoTooLargeException');
    err = await failure(() => client.send(new StartFaceDetectionCommand({ Video: video('preset=interview,people=9') })));
    expect(err.name).to.equal('InvalidS3ObjectException');
  });

  it('IdempotentParameterMismatchException when a ClientRequestToken is reused with other input', async () => {
    const { client } = ctx();
    const first = await client.send(new StartFaceDetectionCommand({ Video: video('a.mp4'), ClientRequestToken: 'tok-1' }));
    const again = await client.send(new StartFaceDetectionCommand({ Video: video('a.mp4'), ClientRequestToken: 'tok-1' }));
    expect(again.JobId).to.equal(first.JobId);
    expect(first.JobId).to.match(/^[0-9a-f]{64}$/);
    const other = await client.send(new StartFaceDetectionCommand({ Video: video('a.mp4'), ClientRequestToken: 'tok-2' }));
    expect(other.JobId).to.not.equal(first.JobId);
    const noToken = await client.send(new StartFaceDetectionCommand({ Video: video('a.mp4') }));
    expect(noToken.JobId).to.not.equal(first.JobId);
    const err = await failure(() =>
      client.send(new StartFaceDetectionCommand({ Video: video('b.mp4'), ClientRequestToken: 'tok-1' })),
    );
    expect(err.name).to.equal('IdempotentParameterMismatchException');
    expect(ctx().emu.jobs()).to.have.length(3);
  });

  it('scripted ThrottlingException (400 and 500), InternalServerError (500), ProvisionedThroughputExceededException (400)', async () => {
    const { client, emu } = ctx();
    const jobId = await ctx().startJob();
    emu.faults.script(
      { operation: 'GetFaceDetection', fault: 'throttle' },
      { operation: 'GetFaceDetection', fault: 'throttle-500' },
      { operation: 'GetFaceDetection', fault: 'internal' },
      { operation: 'GetFaceDetection', fault: 'provisioned' },
      { operation: 'GetFaceDetection', fault: 'error', error: { type: 'AccessDeniedException' } },
    );
    const expected: [string, number, string][] = [
      ['ThrottlingException', 400, 'server'],
      ['ThrottlingException', 500, 'server'],
      ['InternalServerError', 500, 'server'],
      ['ProvisionedThroughputExceededException', 400, 'client'],
      ['AccessDeniedException', 400, 'client'],
    ];
    for (const [name, status, fault] of expected) {
      const err = await failure(() => client.send(new GetFaceDetectionCommand({ JobId: jobId })));
      expect(err.name).to.equal(name);
      expect(err.$metadata?.httpStatusCode).to.equal(status);
      expect(err.$fault).to.equal(fault);
    }
    emu.faults.assertAllConsumed();
    const ok = await client.send(new GetFaceDetectionCommand({ JobId: jobId }));
    expect(ok.JobStatus).to.equal('SUCCEEDED');
  });

  it('scripted faults can carry a retry hint (x-amz-retry-after in ms, Retry-After in seconds)', async () => {
    const { emu } = ctx();
    emu.faults.script({ operation: 'GetFaceDetection', fault: 'throttle', retryAfterMs: 1500 });
    const hinted = await rawRequest(emu.endpoint, { target: 'GetFaceDetection', body: '{"JobId":"abc"}' });
    expect(hinted.status).to.equal(400);
    expect(hinted.headers['x-amz-retry-after']).to.equal('1500');
    expect(hinted.headers['retry-after']).to.equal('2');
    const plain = await rawRequest(emu.endpoint, { target: 'GetFaceDetection', body: '{"JobId":"abc"}' });
    expect(plain.headers['x-amz-retry-after']).to.equal(undefined);
    expect(() => emu.faults.script({ fault: 'throttle', retryAfterMs: -1 })).to.throw(/retryAfterMs/);
  });

  it('error answers carry __type, Code, Message, Logref, x-amzn-ErrorType and x-amzn-RequestId', async () => {
    const res = await rawRequest(ctx().emu.endpoint, { target: 'GetFaceDetection', body: '{"JobId":"nope"}' });
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.equal('application/x-amz-json-1.1');
    expect(res.headers['x-amzn-errortype']).to.equal('ResourceNotFoundException');
    expect(res.headers['x-amzn-requestid']).to.match(/^[0-9a-f-]{36}$/);
    const body = res.json();
    expect(body.__type).to.equal('ResourceNotFoundException');
    expect(body.Code).to.equal('ResourceNotFoundException');
    expect(body.Message).to.be.a('string');
    expect(body.Logref).to.equal(res.headers['x-amzn-requestid']);
  });
});

describe('emulator access control', () => {
  it('AccessDeniedException without a SigV4 Authorization header', async () => {
    const t = await startTestEmulator();
    try {
      for (const auth of [null, 'Bearer abc', 'AWS4-HMAC-SHA256 Credential=x']) {
        const res = await rawRequest(t.emu.endpoint, { target: 'GetFaceDetection', body: '{"JobId":"abc"}', auth });
        expect(res.status).to.equal(400);
        expect(res.json().__type).to.equal('AccessDeniedException');
      }
    } finally {
      await t.close();
    }
  });

  it('verifies real SDK signatures when credentials are configured', async () => {
    const t = await startTestEmulator({ credentials: [{ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }] });
    try {
      const jobId = await t.startJob('preset=interview,duration=3s');
      const page = await t.client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: 3 }));
      expect(page.Faces).to.have.length(3);
      // Path prefixes are signed too.
      const prefixed = createTestClient(`${t.emu.endpoint}/some/prefix`);
      expect((await prefixed.send(new GetFaceDetectionCommand({ JobId: jobId }))).JobStatus).to.equal('SUCCEEDED');
      prefixed.destroy();
      for (const credentials of [
        { accessKeyId: 'AKIDTEST', secretAccessKey: 'wrong' },
        { accessKeyId: 'AKIDOTHER', secretAccessKey: 'secret' },
      ]) {
        const bad = createTestClient(t.emu.endpoint, { credentials });
        const err = await failure(() => bad.send(new GetFaceDetectionCommand({ JobId: jobId })));
        bad.destroy();
        expect(err.name).to.equal('AccessDeniedException');
      }
      expect(t.emu.requests().every((r) => !JSON.stringify(r).includes('secret'))).to.equal(true);
    } finally {
      await t.close();
    }
  });
});

import { paginateGetFaceDetection } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Rng } from '../../src/emulator/synthetic/random.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { FAKE_AUTH, rawRequest } from './raw.js';

describe('emulator robustness', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator({ seed: 11, maxBodyBytes: 4096, queues: ['fuzz'] });
  });
  afterEach(() => t.close());

  it('wrong method, unknown target, malformed JSON and oversized bodies get 4xx JSON errors', async () => {
    const e = t.emu.endpoint;
    const cases: [Parameters<typeof rawRequest>[1], number, string][] = [
      [{ method: 'GET', target: 'GetFaceDetection' }, 405, 'MethodNotAllowedException'],
      [{ method: 'PUT', target: 'GetFaceDetection', body: '{}' }, 405, 'MethodNotAllowedException'],
      [{ target: 'DetectFaces', body: '{}' }, 400, 'UnknownOperationException'],
      [{ target: 'raw:Something.Else', body: '{}' }, 400, 'UnknownOperationException'],
      [{ body: '{}' }, 400, 'UnknownOperationException'],
      [{ target: 'GetFaceDetection', body: '{"JobId":' }, 400, 'SerializationException'],
      [{ target: 'GetFaceDetection', body: '[1,2]' }, 400, 'SerializationException'],
      [{ target: 'GetFaceDetection', body: 'null' }, 400, 'SerializationException'],
      [{ target: 'GetFaceDetection', body: '' }, 400, 'InvalidParameterException'],
      [{ target: 'StartFaceDetection', body: Buffer.from([0xff, 0xfe, 0x00]) }, 400, 'SerializationException'],
      [{ target: 'StartFaceDetection', body: 'x'.repeat(5000) }, 413, 'RequestEntityTooLargeException'],
    ];
    for (const [req, status, type] of cases) {
      const res = await rawRequest(e, req);
      expect(res.status, JSON.stringify(req).slice(0, 80)).to.equal(status);
      expect(res.json().__type).to.equal(type);
      expect(res.headers['x-amzn-errortype']).to.equal(type);
    }
    const garbage = await rawTcp(new URL(e), Buffer.from('HELLO\r\n\r\n'));
    expect(garbage).to.match(/^HTTP\/1\.1 400 /);
    expect(garbage).to.contain('"__type":"SerializationException"');
  });

  it('survives 10 000 random and malformed requests, then still answers correctly', async function () {
    this.timeout(60_000);
    const rng = new Rng(20261125);
    const jobId = await t.startJob('preset=interview,duration=10s');
    const queueUrl = t.emu.queueUrl('fuzz');
    for (let i = 0; i < 5; i++) t.emu.sendMessage('fuzz', `message ${i}`);
    const receipts: string[] = ['', 'cmgxCmZ1enoKeAox', Buffer.from('rh1\nfuzz\nnope\n1').toString('base64')];
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const url = new URL(t.emu.endpoint);
    let sent = 0;
    const statuses = new Map<number, number>();
    const send = (options: { method: string; path: string; headers: Record<string, string> }, body: Buffer) =>
      new Promise<void>((resolve, reject) => {
        // Node's client omits Content-Length for a GET/OPTIONS body unless told: always declare it.
        const headers = { ...options.headers, 'content-length': String(body.length) };
        const req = request({ host: url.hostname, port: url.port, agent, ...options, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            try {
              expect(status === 200 || (status >= 400 && status < 500), `status ${status}`).to.equal(true);
              const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
              const sqs = options.headers['x-amz-target']?.startsWith('AmazonSQS.') === true;
              if (status !== 200) {
                expect(json.__type).to.be.a('string');
                if (sqs) expect(res.headers['x-amzn-query-error']).to.match(/^[\w.]+;Sender$/);
                else expect(res.headers['x-amzn-errortype']).to.equal(json.__type);
              }
              const messages = json.Messages as { ReceiptHandle: string }[] | undefined;
              if (sqs && messages) receipts.push(...messages.map((m) => m.ReceiptHandle));
              resolve();
            } catch (error) {
              reject(error as Error);
            }
          });
        });
        // A 413 closes the connection while the body may still be in flight.
        req.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve() : reject(error),
        );
        req.end(body);
      });
    const total = 10_000;
    const concurrency = 8;
    const worker = async () => {
      while (sent < total) {
        sent++;
        const { method, path, headers, body } = randomRequest(rng, jobId, queueUrl, receipts);
        await send({ method, path, headers }, body);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // Garbage that is not HTTP at all.
    for (let i = 0; i < 20; i++) await rawTcp(url, randomBytes(rng, 1 + rng.int(0, 300)));
    agent.destroy();

    expect(t.emu.counters().requests).to.be.at.least(total);
    expect(statuses.get(500) ?? 0).to.equal(0);
    expect(statuses.get(200) ?? 0).to.be.greaterThan(100);
    // Still correct afterwards: the SDK reads the whole job.
    let faces = 0;
    for await (const page of paginateGetFaceDetection({ client: t.client, pageSize: 17 }, { JobId: jobId })) {
      faces += page.Faces!.length;
    }
    expect(faces).to.equal(t.emu.video(jobId).detectionCount());
    // The SQS side too: the real client sends, receives and deletes.
    expect(statuses.get(200) ?? 0).to.be.greaterThan(100);
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: t.emu.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'after the fuzz' }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
      expect(Messages?.map((m) => m.MessageId)).to.deep.equal([sent.MessageId]);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle! }));
      expect(t.emu.queueMessages('fuzz')).to.deep.equal([]);
    } finally {
      sqs.destroy();
    }
  });
});

const METHODS = ['POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const TARGETS = [
  'RekognitionService.GetFaceDetection',
  'RekognitionService.GetFaceDetection',
  'RekognitionService.StartFaceDetection',
  'RekognitionService.DetectFaces',
  'rekognitionservice.getfacedetection',
  'RekognitionService.',
  '',
  'x'.repeat(500),
  'RekognitionService.GetFaceDetection ',
  'RekognitionService.GetFaceDetection,RekognitionService.StartFaceDetection',
  'AmazonSQS.ReceiveMessage',
  'AmazonSQS.ReceiveMessage',
  'AmazonSQS.DeleteMessage',
  'AmazonSQS.DeleteMessageBatch',
  'AmazonSQS.ChangeMessageVisibility',
  'AmazonSQS.SendMessage',
  'AmazonSQS.GetQueueUrl',
  'AmazonSQS.CreateQueue',
  'AmazonSQS.GetQueueAttributes',
  'AmazonSQS.PurgeQueue',
  'AmazonSQS.ListQueues',
  'AmazonSQS.',
];
const SQS_KEYS = ['QueueUrl', 'QueueName', 'ReceiptHandle', 'WaitTimeSeconds', 'VisibilityTimeout', 'MaxNumberOfMessages', 'MessageBody', 'Entries', 'Attributes', 'AttributeNames', 'DelaySeconds'];
/** Never a positive wait: long polls on the real clock would only slow the fuzz down. */
const WAITS: unknown[] = [0, -1, 21, 1.5, '1', null, 'x'];
const AUTHS = [FAKE_AUTH, FAKE_AUTH, FAKE_AUTH, undefined, 'AWS4-HMAC-SHA256', 'Basic Zm9vOmJhcg==', FAKE_AUTH.replace('a', 'Z')];
const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1,
  1000,
  1001,
  1e308,
  -0,
  1.5,
  2 ** 53 + 1,
  '',
  'a',
  'abc',
  'x'.repeat(65),
  'x'.repeat(300),
  'ÿ😀\u0000',
  [],
  [1, 'a'],
  {},
  { S3Object: {} },
  { S3Object: { Bucket: 'abc', Name: 'preset=walkers,duration=1s' } },
  { S3Object: { Bucket: 'abc', Name: 'preset=bogus' } },
  { S3Object: { Bucket: 'abc', Name: 'duration=99h' } },
  { S3Object: { Bucket: 7, Name: [] } },
  'DEFAULT',
  'ALL',
  'QUJD',
];
const KEYS: string[] = ['JobId', 'MaxResults', 'NextToken', 'Video', 'FaceAttributes', 'JobTag', 'ClientRequestToken', 'NotificationChannel', '__proto__', 'constructor'];

function randomRequest(rng: Rng, jobId: string, queueUrl: string, receipts: readonly string[]) {
  const method = rng.pick(METHODS);
  const path = rng.pick(['/', '/', '/x/y/', '/?a=b&c', '/%zz', '//..//']);
  const headers: Record<string, string> = {};
  const target = rng.pick(TARGETS);
  if (rng.chance(0.9)) headers['x-amz-target'] = target;
  const auth = rng.pick(AUTHS);
  if (auth !== undefined) headers.authorization = auth;
  if (rng.chance(0.8)) headers['content-type'] = target.startsWith('AmazonSQS.') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  let body: Buffer;
  const kind = rng.next();
  if (target.startsWith('AmazonSQS.') && kind < 0.6) {
    const object: Record<string, unknown> = {};
    if (rng.chance(0.8)) object.QueueUrl = rng.chance(0.8) ? queueUrl : rng.pick([...VALUES, queueUrl.replace('fuzz', 'nope'), `${queueUrl}/x`]);
    const extra = rng.int(0, 5);
    for (let i = 0; i < extra; i++) {
      const key = rng.pick(SQS_KEYS);
      object[key] =
        key === 'WaitTimeSeconds'
          ? rng.pick(WAITS)
          : key === 'ReceiptHandle' && receipts.length > 0 && rng.chance(0.7)
            ? rng.pick(receipts)
            : key === 'Entries' && receipts.length > 0 && rng.chance(0.5)
              ? receipts.slice(-rng.int(0, 12)).map((h, id) => ({ Id: rng.chance(0.9) ? String(id) : 'same', ReceiptHandle: h }))
              : key === 'QueueName' && rng.chance(0.5)
                ? rng.pick(['fuzz', 'fuzz2', 'a.fifo', 'x'.repeat(81)])
                : rng.pick(VALUES);
    }
    body = Buffer.from(JSON.stringify(object));
  } else if (kind < 0.5) {
    const object: Record<string, unknown> = {};
    if (rng.chance(0.7)) object.JobId = rng.chance(0.7) ? jobId : rng.pick(VALUES);
    const extra = rng.int(0, 4);
    for (let i = 0; i < extra; i++) object[rng.pick(KEYS)] = rng.pick(VALUES);
    body = Buffer.from(JSON.stringify(object));
  } else if (kind < 0.65) {
    const text = JSON.stringify({ JobId: jobId, MaxResults: rng.int(-5, 2000), NextToken: rng.pick(VALUES) });
    body = Buffer.from(text.slice(0, rng.int(0, text.length)));
  } else if (kind < 0.75) {
    body = randomBytes(rng, rng.int(0, 200));
  } else if (kind < 0.8) {
    const depth = rng.int(1, 20_000);
    body = Buffer.from(`${'['.repeat(depth)}${']'.repeat(rng.chance(0.5) ? depth : 0)}`);
  } else if (kind < 0.82) {
    body = Buffer.alloc(rng.int(4097, 20_000), 0x20);
  } else if (kind < 0.9) {
    body = Buffer.from(rng.pick(['', '{}', 'null', '"str"', '123', '{"JobId":"' + jobId + '","NextToken":""}', '\u0000']));
  } else {
    body = Buffer.from(JSON.stringify({ JobId: jobId, MaxResults: rng.int(1, 50) }));
  }
  return { method, path, headers, body };
}

function randomBytes(rng: Rng, n: number): Buffer {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = rng.int(0, 255);
  return bytes;
}

/** Sends raw bytes on a fresh TCP connection; resolves with whatever came back before the close. */
function rawTcp(url: URL, data: Buffer): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(Number(url.port), url.hostname, () => socket.end(data));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
    socket.setTimeout(2000, () => socket.destroy());
  });
}

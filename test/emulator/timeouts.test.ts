import { GetFaceDetectionCommand } from '@aws-sdk/client-rekognition';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { FAKE_AUTH } from './raw.js';

/**
 * A slow client: connects, then sends `text` one byte at a time (every `everyMs`), starting over when it
 * reaches the end, until the server closes the connection. Resolves with what the server sent.
 */
async function dribble(emu: Emulator, text: string, everyMs = 20): Promise<{ readonly received: string; readonly sent: number }> {
  const socket: Socket = connect(emu.port, emu.host);
  await once(socket, 'connect');
  let received = '';
  let sent = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a reset after the server closed is part of the outcome
  const timer = setInterval(() => {
    if (!socket.writable) return;
    socket.write(text[sent % text.length]!);
    sent++;
  }, everyMs);
  try {
    await once(socket, 'close');
  } finally {
    clearInterval(timer);
  }
  return { received, sent };
}

const HEADERS =
  'POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.1\r\n' +
  `x-amz-target: RekognitionService.GetFaceDetection\r\nauthorization: ${FAKE_AUTH}\r\nx-padding: ${'p'.repeat(4000)}`;

describe('emulator: slow clients are timed out (slow-loris)', function () {
  this.timeout(20_000);
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('a client sending its headers byte by byte gets 408 RequestTimeoutException and the server closes the connection', async () => {
    emu = await startEmulator({ processingTimeMs: 0, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const { received, sent } = await dribble(emu, HEADERS);
    expect(sent).to.be.lessThan(HEADERS.length); // the headers never completed
    expect(received).to.match(/^HTTP\/1\.1 408 /);
    expect(received).to.contain('x-amzn-ErrorType: RequestTimeoutException');
    expect(received).to.match(/connection: close/i);
  });

  it('20 slow-loris connections at once are all closed', async () => {
    emu = await startEmulator({ processingTimeMs: 0, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const results = await Promise.all(Array.from({ length: 20 }, () => dribble(emu!, HEADERS, 25)));
    expect(results.filter((r) => /^HTTP\/1\.1 408 /.test(r.received))).to.have.length(20);
  });

  it('a client sending complete headers and then the body byte by byte is timed out by requestTimeoutMs', async () => {
    emu = await startEmulator({ processingTimeMs: 0, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const body = JSON.stringify({ JobId: 'x'.repeat(40), MaxResults: 10 });
    const head = `${HEADERS.replace(/x-padding: p+/, `content-length: ${body.length * 10}`)}\r\n\r\n`;
    const socket = connect(emu.port, emu.host);
    await once(socket, 'connect');
    socket.write(head); // the headers arrive at once; the body never completes
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    let i = 0;
    const timer = setInterval(() => socket.writable && socket.write(body[i++ % body.length]!), 20);
    await once(socket, 'close');
    clearInterval(timer);
    expect(received).to.match(/^HTTP\/1\.1 408 /);
  });

  it('an idle connection that sends nothing is closed too', async () => {
    emu = await startEmulator({ processingTimeMs: 0, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const socket = connect(emu.port, emu.host);
    socket.on('error', () => undefined);
    // Either timer may close it: ours (nothing sent) or Node's request timeout (a 408 first). Read what comes, or
    // a 408 left unread would keep the socket from ever seeing the end of the stream.
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await once(socket, 'connect');
    await once(socket, 'close');
    expect(received).to.match(/^$|^HTTP\/1\.1 408 /);
  });

  it('requests sent normally are unaffected by small timeouts (real SDK)', async () => {
    const t = await startTestEmulator({ headersTimeoutMs: 2000, requestTimeoutMs: 2000 });
    try {
      const jobId = await t.startJob();
      for (let i = 0; i < 3; i++) {
        const page = await t.client.send(new GetFaceDetectionCommand({ JobId: jobId, MaxResults: 5 }));
        expect(page.JobStatus).to.equal('SUCCEEDED');
      }
    } finally {
      await t.close();
    }
  });
});

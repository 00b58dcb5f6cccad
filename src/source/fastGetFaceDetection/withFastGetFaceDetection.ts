import { finished, type Readable } from 'node:stream';
import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { canonicalFaces } from './canonicalFaces.js';
import { parseGetFaceDetectionBody } from './parseGetFaceDetectionBody.js';
import { lazyFaces } from './rawFaces.js';

/** The parts of the SDK's protocol object the fast path touches (structural; no SDK internals imported). */
interface ProtocolLike {
  deserializeResponse(operationSchema: { readonly name?: string }, context: unknown, response: HttpResponseLike): Promise<unknown>;
  deserializeMetadata?(response: HttpResponseLike): unknown;
}

interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

const FAST = Symbol.for('rekognition-face-stream.fastGetFaceDetection');
const RAW_MODE = Symbol.for('rekognition-face-stream.rawFaceBytes');

type FastProtocol = ProtocolLike & { [FAST]?: true; [RAW_MODE]?: boolean };

/**
 * Installs the fast `GetFaceDetection` parser on a client you own and returns it.
 *
 * The client's protocol (`client.config.protocol`, the SDK's awsJson1.1 protocol object) is replaced by a
 * delegate that parses successful (`< 300`) `GetFaceDetection` bodies with {@link parseGetFaceDetectionBody}
 * and hands everything else — other operations, every error response — to the SDK. Credentials, signing,
 * endpoints, middleware, retries and error classification are untouched, and the outputs are the same objects
 * (tests compare them with the SDK's on every response shape the emulator produces). Idempotent.
 *
 * @example
 * ```ts
 * import { RekognitionClient } from '@aws-sdk/client-rekognition';
 * import { withFastGetFaceDetection } from 'rekognition-face-stream';
 *
 * const client = withFastGetFaceDetection(new RekognitionClient({ region: 'us-east-1' }));
 * ```
 */
export function withFastGetFaceDetection<C extends RekognitionClient>(client: C): C {
  install(client);
  return client;
}

/**
 * The fast path of {@link withFastGetFaceDetection}, plus: the `Faces` of a page whose detections are all in
 * canonical form (exactly what `JSON.stringify` of the SDK's object would write) stay bytes until read, so
 * that a writer of NDJSON/JSON can copy them (`rawFaceBytes(page.Faces)`) instead of parsing and
 * re-serialising. Reading an element still gives the same object as the SDK would. Idempotent.
 *
 * @example
 * ```ts
 * import { createRekognitionClient, faceDetectionPages, rawFaceBytes, withRawFaceBytes } from 'rekognition-face-stream';
 *
 * const client = withRawFaceBytes(createRekognitionClient({ fastPath: true }));
 * for await (const page of faceDetectionPages({ client, jobId: process.argv[2]! })) {
 *   const raw = rawFaceBytes(page.Faces); // undefined for a page that is not in canonical form
 *   console.log(raw ? `${raw.starts.length} detections as bytes` : `${page.Faces.length} parsed detections`);
 * }
 * ```
 */
export function withRawFaceBytes<C extends RekognitionClient>(client: C): C {
  install(client)[RAW_MODE] = true;
  return client;
}

function install(client: RekognitionClient): FastProtocol {
  const config = client.config as unknown as { protocol: FastProtocol };
  const inner = config.protocol;
  if (inner[FAST]) return inner;
  const fast = Object.create(inner) as FastProtocol;
  fast[FAST] = true;
  fast.deserializeResponse = async function deserializeResponse(operationSchema, context, response) {
    if (operationSchema?.name !== 'GetFaceDetection' || !(response.statusCode < 300)) {
      return inner.deserializeResponse.call(this, operationSchema, context, response);
    }
    const headers = response.headers;
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      if (lower !== name) {
        const value = headers[name]!;
        delete headers[name];
        headers[lower] = value;
      }
    }
    const body = await collect(response.body);
    const output = ((fast[RAW_MODE] === true && typeof body !== 'string' && parseCanonical(body)) ||
      parseGetFaceDetectionBody(body)) as Record<string, unknown>;
    output.$metadata = this.deserializeMetadata?.(response) ?? { httpStatusCode: response.statusCode };
    return output;
  };
  config.protocol = fast;
  return fast;
}

const EMPTY_ARRAY = Buffer.from('[]');

/**
 * The output of a body whose detections are all canonical, with `Faces` backed by the bytes; `undefined` when
 * they are not (or anything about the rest is unusual): the caller then parses the body the ordinary way.
 */
function parseCanonical(body: Uint8Array): Record<string, unknown> | undefined {
  const found = canonicalFaces(body);
  if (found === undefined) return undefined;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const rest = Buffer.concat([bytes.subarray(0, found.arrayStart), EMPTY_ARRAY, bytes.subarray(found.arrayEnd)]);
  let output: Record<string, unknown>;
  try {
    output = parseGetFaceDetectionBody(rest) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  // (another, escaped spelling of "Faces" later in the body would have replaced ours: not canonical)
  if (!Array.isArray(output.Faces) || output.Faces.length !== 0) return undefined;
  output.Faces = lazyFaces(body, found);
  return output;
}

async function collect(body: unknown): Promise<Uint8Array | string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (isNodeReadable(body)) return collectStream(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
  throw new TypeError('Unsupported GetFaceDetection response body');
}

function isNodeReadable(body: unknown): body is Readable {
  const r = body as Partial<Readable>;
  return typeof r.on === 'function' && typeof r.resume === 'function' && r.readableEncoding === null && r.readableEnded === false;
}

/**
 * The body of the SDK's Node HTTP response (an `IncomingMessage`) through 'data' events: cheaper than async
 * iteration (no promise per chunk, no re-buffering in the stream). `finished` rejects on an error or a
 * premature close (an abort), as the iterator would.
 */
function collectStream(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    finished(body, { writable: false }, (error) => {
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
  });
}

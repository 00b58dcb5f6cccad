import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import { parseGetFaceDetectionBody } from './parseGetFaceDetectionBody.js';

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
  const config = client.config as unknown as { protocol: ProtocolLike & { [FAST]?: true } };
  const inner = config.protocol;
  if (inner[FAST]) return client;
  const fast = Object.create(inner) as ProtocolLike & { [FAST]?: true };
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
    const output = parseGetFaceDetectionBody(await collect(response.body)) as Record<string, unknown>;
    output.$metadata = this.deserializeMetadata?.(response) ?? { httpStatusCode: response.statusCode };
    return output;
  };
  config.protocol = fast;
  return client;
}

async function collect(body: unknown): Promise<Uint8Array | string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
  throw new TypeError('Unsupported GetFaceDetection response body');
}

/** Raw HTTP access to the emulator (for what the SDK cannot send: no signature, bad JSON, wrong method…). */
import { request } from 'node:http';

/** A syntactically valid SigV4 header (not a valid signature). */
export const FAKE_AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDRAW/20260101/us-east-1/rekognition/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  'a'.repeat(64);

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json(): Record<string, unknown>;
}

export interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  /** Operation name (prefixed with `RekognitionService.`) or a raw `x-amz-target` (`raw:` prefix). */
  readonly target?: string;
  readonly body?: string | Buffer;
  readonly auth?: string | null;
  readonly headers?: Record<string, string>;
}

/** Sends one request on a fresh connection and reads the whole answer. */
export function rawRequest(endpoint: string, r: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(endpoint);
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', ...r.headers };
  if (r.target !== undefined) {
    headers['x-amz-target'] = r.target.startsWith('raw:') ? r.target.slice(4) : `RekognitionService.${r.target}`;
  }
  const auth = r.auth === undefined ? FAKE_AUTH : r.auth;
  if (auth !== null) headers.authorization = auth;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: r.method ?? 'POST', path: r.path ?? '/', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(r.body ?? '');
  });
}

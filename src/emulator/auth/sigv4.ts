/**
 * The SigV4 gate: every request must carry an `AWS4-HMAC-SHA256` `Authorization` header; when credentials
 * are configured the signature is recomputed (node:crypto) and must match. Secrets are never logged.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../protocol/ServiceException.js';

/** Static credentials the emulator accepts when verifying signatures. */
export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The parts of a SigV4 `Authorization` header. */
export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})\s*$/;

/** Parses an `Authorization` header; `undefined` when it is not a SigV4 header. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const m = header === undefined ? null : AUTH.exec(header);
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

/** The request facts a signature covers. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query as received (`req.url`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Checks the SigV4 header of `request` and returns its parsed form; throws `AccessDeniedException` when it
 * is missing or malformed, or — with `credentials` — when the key is unknown or the signature is wrong.
 */
export function authenticate(
  request: SignedRequest,
  credentials: readonly EmulatorCredentials[] | undefined,
): ParsedAuthorization {
  const header = request.headers.authorization;
  const auth = parseAuthorization(header);
  if (!auth) {
    throw errors.accessDenied(
      header === undefined
        ? 'Missing Authentication Token: requests must be signed with AWS Signature Version 4.'
        : 'The Authorization header is not a valid AWS4-HMAC-SHA256 signature.',
    );
  }
  if (!credentials) return auth;
  const secret = credentials.find((c) => c.accessKeyId === auth.accessKeyId)?.secretAccessKey;
  if (secret === undefined) throw errors.accessDenied('The security token included in the request is invalid.');
  const expected = Buffer.from(expectedSignature(request, auth, secret), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
    throw errors.accessDenied(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return auth;
}

/** The SigV4 signature `request` should carry for `secret` (hex). */
export function expectedSignature(request: SignedRequest, auth: ParsedAuthorization, secret: string): string {
  const amzDate = headerValue(request.headers, 'x-amz-date');
  const payloadHash = sha256(request.body);
  const declared = headerValue(request.headers, 'x-amz-content-sha256');
  if (declared !== '' && declared !== 'UNSIGNED-PAYLOAD' && declared !== payloadHash) {
    throw errors.accessDenied('The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const [path = '/', query = ''] = request.url.split('?', 2);
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${headerValue(request.headers, name).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    declared === 'UNSIGNED-PAYLOAD' ? declared : payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  return hmac(key, stringToSign).toString('hex');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => escape(safeDecode(segment)))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => pair.split('=', 2).map((part) => escape(safeDecode(part ?? ''))) as [string, string?])
    .sort(([a, x = ''], [b, y = '']) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v = '']) => `${k}=${v}`)
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

import type { GetFaceDetectionResponse } from '../../types.js';
import { parseInPieces } from './parseInPieces.js';
import { readShape } from './readShape.js';
import { GET_FACE_DETECTION_RESPONSE } from './shapes.js';

/**
 * Parses a `GetFaceDetection` success body (JSON bytes or text) into the object the SDK's deserializer would
 * produce (without `$metadata`): same members, nulls and unknown members dropped, no coercion.
 *
 * @example
 * ```ts
 * import { parseGetFaceDetectionBody } from './parseGetFaceDetectionBody.js';
 *
 * const out = parseGetFaceDetectionBody('{"JobStatus":"SUCCEEDED","Faces":[{"Timestamp":0,"Face":{"Confidence":99}}],"Extra":null}');
 * console.log(out.Faces?.[0]?.Face?.Confidence); // 99
 * ```
 */
export function parseGetFaceDetectionBody(body: Uint8Array | string): GetFaceDetectionResponse {
  // (a large body is parsed in pieces: the same value, without a string in V8's large-object space)
  if (typeof body !== 'string' && body.byteLength > IN_PIECES_ABOVE) {
    const parsed = parseInPieces(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    if (parsed !== undefined) return shaped(parsed);
  }
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) Object.defineProperty(error, '$responseBodyText', { value: text });
    throw error;
  }
  return shaped(parsed);
}

/** Bodies above this size (bytes) are parsed in pieces (parseInPieces) when their layout allows. */
const IN_PIECES_ABOVE = 128 * 1024;

function shaped(parsed: unknown): GetFaceDetectionResponse {
  const output = readShape(GET_FACE_DETECTION_RESPONSE, parsed);
  return (output !== null && typeof output === 'object' && !Array.isArray(output) ? output : {}) as GetFaceDetectionResponse;
}

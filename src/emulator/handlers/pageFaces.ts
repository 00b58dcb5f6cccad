/**
 * The `Faces` of one page: which detections it holds (and whether more follow), and their JSON in pieces of
 * about 64 KiB, written digit by digit.
 *
 * @module
 */
import { ByteWriter, fragment } from '../protocol/ByteWriter.js';
import type { NumberFormat } from '../synthetic/decimal.js';
import type { FaceAttributesMode } from '../synthetic/faceDetail.js';
import type { RawFace } from '../synthetic/sampler.js';
import { writeFaceDetection } from '../synthetic/serialize.js';
import type { SyntheticVideo } from '../synthetic/syntheticVideo.js';

/** The detections of a page and whether at least one more follows it. */
export interface PageSlice {
  readonly faces: readonly RawFace[];
  readonly more: boolean;
}

/** Detections `from` … `from + limit - 1` of `video`, and whether more follow. */
export function slicePage(video: SyntheticVideo, from: number, limit: number): PageSlice {
  const faces: RawFace[] = [];
  let more = false;
  for (const face of video.rawDetections(from)) {
    if (faces.length === limit) {
      more = true;
      break;
    }
    faces.push(face);
  }
  return { faces, more };
}

const PIECE_BYTES = 64 * 1024;
const COMMA = fragment(',');

/** The comma-separated JSON of `faces`, in pieces of about 64 KiB, serialised on demand. */
export function* facePieces(faces: readonly RawFace[], mode: FaceAttributesMode, numbers: NumberFormat): Iterable<Buffer> {
  let out = new ByteWriter(PIECE_BYTES + 8192);
  for (let i = 0; i < faces.length; i++) {
    if (i > 0) out.bytes(COMMA);
    writeFaceDetection(out, faces[i]!, mode, numbers);
    if (out.length >= PIECE_BYTES) {
      yield out.finish();
      out = new ByteWriter(PIECE_BYTES + 8192);
    }
  }
  if (out.length > 0) yield out.finish();
}

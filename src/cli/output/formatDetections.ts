import { rawFaceBytes, type FaceDetection, type RawFaceBytes } from '../../index.js';

/** Output formats of `face-stream detections`. */
export const DETECTION_FORMATS = ['ndjson', 'json', 'csv'] as const;
/** One of {@link DETECTION_FORMATS}. */
export type DetectionFormat = (typeof DETECTION_FORMATS)[number];

/** Turns pages of detections into text chunks: a header, one chunk per page, a footer. Pure. */
export interface DetectionFormatter {
  /** Text before the first detection. */
  readonly header: string;
  /**
   * The text of one page of detections (`first` tells whether any detection was written before): a string, or
   * bytes when the detections are byte-backed (`rawFaceBytes`) and the format is NDJSON or JSON — their bytes
   * are exactly their `JSON.stringify`, so they are copied instead of rebuilt.
   */
  page(detections: readonly FaceDetection[], first: boolean): string | Uint8Array;
  /** Text after the last detection. */
  readonly footer: string;
}

/** CSV columns: the flat, commonly used members of a FaceDetection. */
export const CSV_COLUMNS = [
  'Timestamp',
  'Confidence',
  'Left',
  'Top',
  'Width',
  'Height',
  'Roll',
  'Yaw',
  'Pitch',
  'Brightness',
  'Sharpness',
] as const;

/**
 * The formatter of `format`. NDJSON writes each FaceDetection exactly as the SDK returned it, one JSON object a
 * line; JSON writes one array; CSV writes the {@link CSV_COLUMNS} (empty cells for absent members).
 */
export function detectionFormatter(format: DetectionFormat): DetectionFormatter {
  switch (format) {
    case 'ndjson':
      return {
        header: '',
        footer: '',
        page: (faces) => {
          const raw = rawFaceBytes(faces);
          return raw ? joinBytes(raw, '', '\n', '\n') : joinLines(faces, JSON.stringify, '\n', '\n');
        },
      };
    case 'json':
      return {
        header: '[',
        footer: ']\n',
        page: (faces, first) => {
          if (faces.length === 0) return '';
          const raw = rawFaceBytes(faces);
          const start = first ? '\n' : ',\n';
          return raw ? joinBytes(raw, start, ',\n', '') : start + joinLines(faces, JSON.stringify, ',\n', '');
        },
      };
    case 'csv':
      return { header: `${CSV_COLUMNS.join(',')}\n`, footer: '', page: (faces) => joinLines(faces, csvRow, '\n', '\n') };
  }
}

function joinLines(faces: readonly FaceDetection[], line: (face: FaceDetection) => string, separator: string, end: string): string {
  if (faces.length === 0) return '';
  let text = line(faces[0]!);
  for (let i = 1; i < faces.length; i++) text += separator + line(faces[i]!);
  return text + end;
}

/** `start`, the detections' bytes separated by `separator`, then `end` (all ASCII), in one buffer. */
function joinBytes(raw: RawFaceBytes, start: string, separator: string, end: string): Uint8Array {
  const { bytes, starts, ends } = raw;
  const n = starts.length;
  if (n === 0) return new Uint8Array(0);
  let size = start.length + end.length + separator.length * (n - 1);
  for (let i = 0; i < n; i++) size += ends[i]! - starts[i]!;
  const out = Buffer.allocUnsafe(size);
  let pos = out.write(start, 0, 'latin1');
  if (separator.length === 1 && contiguous(raw)) {
    // The detections are one run of bytes with one-byte commas between them: copy it once, then swap the commas.
    out.set(bytes.subarray(starts[0]!, ends[n - 1]!), pos);
    const sep = separator.charCodeAt(0);
    for (let i = 0; i < n - 1; i++) out[pos + ends[i]! - starts[0]!] = sep;
    out.write(end, pos + ends[n - 1]! - starts[0]!, 'latin1');
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (i > 0) pos += out.write(separator, pos, 'latin1');
    out.set(bytes.subarray(starts[i]!, ends[i]!), pos);
    pos += ends[i]! - starts[i]!;
  }
  out.write(end, pos, 'latin1');
  return out;
}

/** Whether each detection starts right after the comma that ends the previous one (no whitespace between). */
function contiguous({ starts, ends }: RawFaceBytes): boolean {
  for (let i = 1; i < starts.length; i++) if (starts[i] !== ends[i - 1]! + 1) return false;
  return true;
}

function csvRow(d: FaceDetection): string {
  const f = d.Face;
  const b = f?.BoundingBox;
  const p = f?.Pose;
  const q = f?.Quality;
  return [d.Timestamp, f?.Confidence, b?.Left, b?.Top, b?.Width, b?.Height, p?.Roll, p?.Yaw, p?.Pitch, q?.Brightness, q?.Sharpness]
    .map((v) => (v === undefined ? '' : String(v)))
    .join(',');
}

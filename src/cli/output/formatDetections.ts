import type { FaceDetection } from '../../index.js';

/** Output formats of `face-stream detections`. */
export const DETECTION_FORMATS = ['ndjson', 'json', 'csv'] as const;
/** One of {@link DETECTION_FORMATS}. */
export type DetectionFormat = (typeof DETECTION_FORMATS)[number];

/** Turns pages of detections into text chunks: a header, one chunk per page, a footer. Pure. */
export interface DetectionFormatter {
  /** Text before the first detection. */
  readonly header: string;
  /** The text of one page of detections (`first` tells whether any detection was written before). */
  page(detections: readonly FaceDetection[], first: boolean): string;
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
      return { header: '', footer: '', page: (faces) => joinLines(faces, JSON.stringify, '\n', '\n') };
    case 'json':
      return {
        header: '[',
        footer: ']\n',
        page: (faces, first) => (faces.length === 0 ? '' : (first ? '\n' : ',\n') + joinLines(faces, JSON.stringify, ',\n', '')),
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

function csvRow(d: FaceDetection): string {
  const f = d.Face;
  const b = f?.BoundingBox;
  const p = f?.Pose;
  const q = f?.Quality;
  return [d.Timestamp, f?.Confidence, b?.Left, b?.Top, b?.Width, b?.Height, p?.Roll, p?.Yaw, p?.Pitch, q?.Brightness, q?.Sharpness]
    .map((v) => (v === undefined ? '' : String(v)))
    .join(',');
}

/**
 * MOTChallenge rows of labelled detections, shared by `tracks --format mot` and `report --gt`: the frame size
 * and frame period flags, and the row writer.
 *
 * @module
 */
import { type FaceDetection, InvalidParameterError, type LabelledFaceDetection, type VideoMetadata } from '../index.js';

/** `--frame-size 1920x1080` → { width, height }. */
export function frameSizeOf(text: string): { readonly width: number; readonly height: number } {
  const match = /^\s*(\d+)\s*[xX×]\s*(\d+)\s*$/.exec(text);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || !(width > 0) || !(height > 0)) throw new InvalidParameterError('--frame-size', 'WIDTHxHEIGHT in pixels, e.g. 1920x1080', text);
  return { width, height };
}

/** `--frame-ms 200` → 200 (ms per MOT frame). */
export function frameMsOf(text: string, flag = '--frame-ms'): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidParameterError(flag, 'a number of ms > 0', text);
  return value;
}

/**
 * Formats labelled detections as MOTChallenge rows `frame,id,left,top,width,height,conf,-1,-1,-1` (pixels,
 * conf = Confidence / 100); detections in no reported track give no row. Frame size and frame period come from
 * the flags, else from the job's VideoMetadata: the period is Rekognition Video's sampling of about 5 frames
 * per second (round(FrameRate / 5) frames), as the emulator's ground truth numbers its frames.
 */
export function motRowWriter(
  frameSize: { readonly width: number; readonly height: number } | undefined,
  frameMs: number | undefined,
  video: VideoMetadata | undefined,
): (detection: LabelledFaceDetection<FaceDetection>) => string | undefined {
  const width = frameSize?.width ?? video?.FrameWidth;
  const height = frameSize?.height ?? video?.FrameHeight;
  const rate = video?.FrameRate;
  const period = frameMs ?? (rate !== undefined && rate > 0 ? (Math.max(1, Math.round(rate / 5)) * 1000) / rate : undefined);
  if (!(width! > 0) || !(height! > 0)) {
    throw new InvalidParameterError('--frame-size', 'WIDTHxHEIGHT in pixels (the job returned no FrameWidth/FrameHeight)', undefined);
  }
  if (period === undefined) throw new InvalidParameterError('--frame-ms', 'a number of ms > 0 (the job returned no FrameRate)', undefined);
  const px = (value: number | undefined, scale: number) => String(Math.round((value ?? 0) * scale * 100) / 100);
  return (d) => {
    if (d.TrackId === null) return undefined;
    const box = d.Face?.BoundingBox;
    const frame = Math.round((d.Timestamp ?? 0) / period) + 1;
    const conf = ((d.Face?.Confidence ?? 100) / 100).toFixed(4);
    return `${frame},${d.TrackId},${px(box?.Left, width!)},${px(box?.Top, height!)},${px(box?.Width, width!)},${px(box?.Height, height!)},${conf},-1,-1,-1\n`;
  };
}


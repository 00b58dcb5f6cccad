/**
 * The size model of the emulator's S3 objects (served by `HeadObject`): a model of real videos, not of any
 * client. A video's size is its duration times its bitrate; videos of one source are encoded at similar, not
 * equal, bitrates (the encoder spends more bits on busy scenes), so each object gets its own bitrate, drawn
 * deterministically from a log-normal distribution around a median.
 *
 * @module
 */
import { DEFAULT_DURATION_MS, ObjectNameError, parseObjectName } from '../jobs/objectName.js';
import { hashString } from '../synthetic/random.js';

/** The parameters of the bitrate distribution. */
export interface BitrateModel {
  /** Median bitrate, bits per second. */
  readonly median: number;
  /** Standard deviation of the natural log of the bitrate. */
  readonly sigma: number;
}

/** A standard normal deviate from two 32-bit hashes (Box–Muller). */
function normal(a: number, b: number): number {
  const u = (a + 0.5) / 2 ** 32;
  const v = (b + 0.5) / 2 ** 32;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The bitrate of one object (bits/s): `median × e^(σ·z)`, z a standard normal drawn from the object and the seed. */
export function objectBitrate(object: { readonly bucket: string; readonly name: string; readonly version?: string | undefined }, seed: number, model: BitrateModel): number {
  const text = `${object.bucket}\n${object.name}\n${object.version ?? ''}`;
  return model.median * Math.exp(model.sigma * normal(hashString(text, seed), hashString(text, seed ^ 0x5bd1e995)));
}

/**
 * The object's size in bytes: its duration (object-name convention; the default 60 s for a name that misuses
 * it — the object exists, only Rekognition refuses it) × its bitrate / 8, at least 1.
 */
export function objectSize(object: { readonly bucket: string; readonly name: string; readonly version?: string | undefined }, seed: number, model: BitrateModel): number {
  let durationMs: number;
  try {
    durationMs = parseObjectName(object.name).durationMs;
  } catch (error) {
    if (!(error instanceof ObjectNameError)) throw error;
    durationMs = DEFAULT_DURATION_MS;
  }
  return Math.max(1, Math.round(((durationMs / 1000) * objectBitrate(object, seed, model)) / 8));
}

/**
 * The pure, lazy synthetic video generator behind the emulator: a deterministic Rekognition-like face
 * detection stream (about one sample every 200 ms) with ground-truth identities.
 *
 * @module
 */
import type { FaceDetection, VideoMetadata } from '../../types.js';
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectInteger, expectNumber } from '../../internal/validate.js';
import type { Appearance } from './appearance.js';
import { NUMBER_FORMATS, type NumberFormat } from './decimal.js';
import { toFaceDetection, type FaceAttributesMode } from './faceDetail.js';
import { isPresetName, presetSpec, PRESET_NAMES, type PresetName } from './presets.js';
import { generateSample, type RawFace, type SampleContext, type TruthFace } from './sampler.js';
import { buildScript, type Script } from './script.js';

/** Options of {@link syntheticVideo}. */
export interface SyntheticVideoOptions {
  /** Seed (any integer); the same options always give the same video. */
  readonly seed: number;
  /** Footage preset. */
  readonly preset: PresetName;
  /** Video length in ms (> 0). */
  readonly durationMs: number;
  /**
   * How many people; the meaning depends on the preset (interviewees, seats, walkers in view, faces per shot).
   * @default the preset's default (interview 2, meeting 5, walkers 5, edited 3)
   */
  readonly people?: number;
  /**
   * Which attributes each `FaceDetail` carries, as `StartFaceDetection.FaceAttributes`.
   * @default 'DEFAULT'
   */
  readonly faceAttributes?: FaceAttributesMode;
  /**
   * How float fields are printed: `'float32'` as the real service does (float32 values widened to doubles,
   * `0.23000000417232513`), or `'rounded'` (7 decimals for frame ratios, 5 for degrees and percentages).
   * @default 'float32'
   */
  readonly numbers?: NumberFormat;
}

/** One detection with its ground-truth identity (`null` for a false positive). */
export interface SyntheticDetection {
  readonly detection: FaceDetection;
  readonly personId: number | null;
}

/** A synthetic video: metadata, and its detections generated on demand. */
export interface SyntheticVideo {
  /** `VideoMetadata` as `GetFaceDetection` returns it. */
  readonly metadata: VideoMetadata;
  readonly preset: PresetName;
  readonly durationMs: number;
  readonly people: number;
  readonly faceAttributes: FaceAttributesMode;
  /** How float fields are printed (see {@link SyntheticVideoOptions.numbers}). */
  readonly numbers: NumberFormat;
  /** Time between samples (ms); about 200. */
  readonly samplePeriodMs: number;
  /** Number of samples (instants at which faces are reported). */
  readonly sampleCount: number;
  /** Total number of detections (computed once, in one pass that builds no `FaceDetail`). */
  detectionCount(): number;
  /**
   * The detections from index `fromIndex` (default 0) to the end, sorted by `Timestamp`, generated lazily:
   * seeking to any index costs about one 10 s chunk of generation, whatever the index.
   */
  detections(fromIndex?: number): Iterable<SyntheticDetection>;
  /** The raw detections from `fromIndex` (the emulator's fast path; same order as {@link detections}). */
  rawDetections(fromIndex?: number): Iterable<RawFace>;
  /** Ground truth: every face truly present (detected or missed), sample by sample. */
  truth(): Iterable<TruthFace>;
  /** Timestamp (ms) of sample `index`. */
  timestampOf(index: number): number;
}

/** Samples per chunk: the unit of lazy generation and of the detection-offset index. */
const CHUNK_SAMPLES = 50;

/**
 * Creates a deterministic synthetic video. Cheap: only the script (who appears when) is built; detections
 * are generated on demand, chunk by chunk, and never all held in memory.
 *
 * @example
 * ```ts
 * import { syntheticVideo } from 'rekognition-face-stream/emulator';
 *
 * const video = syntheticVideo({ seed: 1, preset: 'walkers', durationMs: 10_000 });
 * for (const { detection, personId } of video.detections()) {
 *   console.log(detection.Timestamp, personId, detection.Face?.BoundingBox);
 * }
 * ```
 */
export function syntheticVideo(options: SyntheticVideoOptions): SyntheticVideo {
  expectInteger('seed', options.seed);
  if (typeof options.preset !== 'string' || !isPresetName(options.preset)) {
    throw new InvalidParameterError('preset', `one of ${PRESET_NAMES.join(', ')}`, options.preset);
  }
  expectNumber('durationMs', options.durationMs, 1);
  const spec = presetSpec(options.preset);
  const people = options.people ?? spec.defaultPeople;
  expectInteger('people', people, 1, spec.maxPeople);
  const faceAttributes = options.faceAttributes ?? 'DEFAULT';
  if (faceAttributes !== 'DEFAULT' && faceAttributes !== 'ALL') {
    throw new InvalidParameterError('faceAttributes', "'DEFAULT' or 'ALL'", faceAttributes);
  }
  const numbers = options.numbers ?? 'float32';
  if (!NUMBER_FORMATS.includes(numbers)) throw new InvalidParameterError('numbers', "'float32' or 'rounded'", numbers);
  return new Video(options.seed, options.preset, options.durationMs, people, faceAttributes, numbers);
}

class Video implements SyntheticVideo {
  readonly metadata: VideoMetadata;
  readonly samplePeriodMs: number;
  readonly sampleCount: number;
  readonly #ctx: SampleContext;
  readonly #script: Script;
  readonly #chunkActive: Appearance[][];
  /** `#offsets[c]` = detections before chunk c; known for c ≤ `#offsets.length - 1`. */
  readonly #offsets: number[] = [0];
  #cache: { chunk: number; faces: RawFace[] } | undefined;

  constructor(
    seed: number,
    readonly preset: PresetName,
    readonly durationMs: number,
    readonly people: number,
    readonly faceAttributes: FaceAttributesMode,
    readonly numbers: NumberFormat,
  ) {
    const spec = presetSpec(preset);
    const framesPerSample = Math.max(1, Math.round(spec.frameRate * 0.2));
    this.samplePeriodMs = (framesPerSample * 1000) / spec.frameRate;
    let count = Math.ceil(durationMs / this.samplePeriodMs);
    while (count > 0 && this.timestampOf(count - 1) >= durationMs) count--;
    while (this.timestampOf(count) < durationMs) count++;
    this.sampleCount = count;
    this.metadata = {
      Codec: 'h264',
      DurationMillis: Math.round(durationMs),
      Format: 'QuickTime / MOV',
      FrameRate: numbers === 'float32' ? Math.fround(spec.frameRate) : spec.frameRate,
      FrameHeight: spec.frameHeight,
      FrameWidth: spec.frameWidth,
      ColorRange: spec.colorRange,
    };
    this.#ctx = { spec, seed, frameAspect: spec.frameWidth / spec.frameHeight };
    this.#script = buildScript(spec, seed, durationMs, people);
    this.#chunkActive = this.#indexChunks();
  }

  timestampOf(index: number): number {
    return Math.round(index * this.samplePeriodMs);
  }

  detectionCount(): number {
    const chunks = this.#chunkActive.length;
    while (this.#offsets.length <= chunks) this.#extendOffsets();
    return this.#offsets[chunks]!;
  }

  *detections(fromIndex = 0): Iterable<SyntheticDetection> {
    for (const face of this.rawDetections(fromIndex)) {
      yield { detection: toFaceDetection(face, this.faceAttributes, this.numbers), personId: face.personId };
    }
  }

  *rawDetections(fromIndex = 0): Iterable<RawFace> {
    expectInteger('fromIndex', fromIndex, 0);
    const located = this.#locate(fromIndex);
    if (!located) return;
    let { chunk, skip } = located;
    for (; chunk < this.#chunkActive.length; chunk++, skip = 0) {
      const faces = this.#chunkFaces(chunk);
      for (let i = skip; i < faces.length; i++) yield faces[i]!;
    }
  }

  *truth(): Iterable<TruthFace> {
    const truth: TruthFace[] = [];
    const faces: RawFace[] = [];
    for (let chunk = 0; chunk < this.#chunkActive.length; chunk++) {
      truth.length = 0;
      faces.length = 0;
      this.#generateChunk(chunk, faces, truth);
      yield* truth;
    }
  }

  /** The chunk and the offset in it of detection `index`, or undefined past the end. */
  #locate(index: number): { chunk: number; skip: number } | undefined {
    const chunks = this.#chunkActive.length;
    while (this.#offsets[this.#offsets.length - 1]! <= index && this.#offsets.length <= chunks) {
      this.#extendOffsets();
    }
    const offsets = this.#offsets;
    if (offsets[offsets.length - 1]! <= index) return undefined;
    // Largest c with offsets[c] <= index (offsets is non-decreasing).
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { chunk: lo, skip: index - offsets[lo]! };
  }

  #extendOffsets(): void {
    this.#chunkFaces(this.#offsets.length - 1);
  }

  #chunkFaces(chunk: number): RawFace[] {
    if (this.#cache?.chunk === chunk) return this.#cache.faces;
    const faces: RawFace[] = [];
    this.#generateChunk(chunk, faces);
    this.#cache = { chunk, faces };
    // Sequential reading extends the offset index for free.
    if (chunk === this.#offsets.length - 1) this.#offsets.push(this.#offsets[chunk]! + faces.length);
    return faces;
  }

  #generateChunk(chunk: number, faces: RawFace[], truth?: TruthFace[]): void {
    const active = this.#chunkActive[chunk]!;
    const end = Math.min(this.sampleCount, (chunk + 1) * CHUNK_SAMPLES);
    for (let k = chunk * CHUNK_SAMPLES; k < end; k++) {
      generateSample(this.#ctx, k, this.timestampOf(k), active, faces, truth);
    }
  }

  /** For each chunk, the appearances overlapping its time range. */
  #indexChunks(): Appearance[][] {
    const chunks = Math.ceil(this.sampleCount / CHUNK_SAMPLES);
    const lists: Appearance[][] = Array.from({ length: chunks }, () => []);
    const chunkMs = CHUNK_SAMPLES * this.samplePeriodMs;
    for (const a of this.#script.appearances) {
      const first = Math.max(0, Math.floor(a.startMs / chunkMs) - 1);
      const last = Math.min(chunks - 1, Math.floor(a.endMs / chunkMs) + 1);
      for (let c = first; c <= last; c++) lists[c]!.push(a);
    }
    return lists;
  }
}

/**
 * The object-name convention: how an S3 object name asks the emulator for a kind of video.
 *
 * `key=value` tokens separated by `,` `;` `/` `&` (or starting the name) anywhere in the object name:
 * `preset=interview|meeting|walkers|edited` (default `meeting`), `duration=<number><ms|s|m|h>` (default
 * `60s`), `people=<n>` (preset default), `fail=1` (the job ends FAILED), `missing=1` (the object does not exist:
 * `InvalidS3ObjectException`), `denied=1` (the caller may not read it: `AccessDeniedException`). Anything after a value (such as a
 * file extension) is ignored; unknown keys are ignored; any other name yields the default video.
 *
 * @module
 */
import { leadingDuration, parseDurationMs } from '../../core/duration.js';
import { isPresetName, presetSpec, PRESET_NAMES, type PresetName } from '../synthetic/presets.js';

/** What an object name asks for. */
export interface VideoRequest {
  readonly preset: PresetName;
  readonly durationMs: number;
  readonly people: number;
  /** The job ends FAILED with this `StatusMessage`, when set. */
  readonly failure: string | undefined;
  /**
   * Start refuses the object: `missing` → `InvalidS3ObjectException` (no such object), `denied` →
   * `AccessDeniedException`; `undefined` for a readable object.
   */
  readonly s3Error: 'missing' | 'denied' | undefined;
}

/** The preset and length of a name without convention tokens. */
export const DEFAULT_PRESET: PresetName = 'meeting';
export const DEFAULT_DURATION_MS = 60_000;

/** A name that uses the convention wrongly (`preset=foo`, `duration=abc`, `people=0`). */
export class ObjectNameError extends Error {
  override name = 'ObjectNameError';
}

const TOKEN = /(?:^|[,;/&])\s*(preset|duration|people|fail|missing|denied)=([^,;/&]*)/gi;

/**
 * Parses an object name. Throws {@link ObjectNameError} when a recognised key has a bad value.
 *
 * @example
 * ```ts
 * import { parseObjectName } from 'rekognition-face-stream/emulator';
 *
 * parseObjectName('clips/preset=walkers,duration=10m.mp4');
 * // { preset: 'walkers', durationMs: 600000, people: 5, failure: undefined, s3Error: undefined }
 * ```
 */
export function parseObjectName(name: string): VideoRequest {
  let preset: PresetName = DEFAULT_PRESET;
  let durationMs = DEFAULT_DURATION_MS;
  let people: number | undefined;
  let failure: string | undefined;
  let s3Error: VideoRequest['s3Error'];
  for (const match of name.matchAll(TOKEN)) {
    const key = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    switch (key) {
      case 'preset': {
        const word = /^[a-z]+/i.exec(value)?.[0]?.toLowerCase() ?? '';
        if (!isPresetName(word)) {
          throw new ObjectNameError(`preset must be one of ${PRESET_NAMES.join(', ')}; got "${value.slice(0, 40)}".`);
        }
        preset = word;
        break;
      }
      case 'duration': {
        const ms = durationOf(value);
        if (!(ms >= 1)) {
          throw new ObjectNameError(`duration must be <number><ms|s|m|h> of at least 1 ms; got "${value.slice(0, 40)}".`);
        }
        durationMs = ms;
        break;
      }
      case 'people': {
        const m = /^\d+/.exec(value);
        if (!m) throw new ObjectNameError(`people must be a positive integer; got "${value.slice(0, 40)}".`);
        people = Number(m[0]);
        break;
      }
      case 'fail':
        if (/^(1|true|yes)/i.test(value)) {
          failure = 'Unsupported codec/format. The video could not be decoded (emulator: fail=1).';
        }
        break;
      case 'missing':
      case 'denied':
        if (/^(1|true|yes)/i.test(value)) s3Error ??= key as 'missing' | 'denied';
        break;
    }
  }
  const spec = presetSpec(preset);
  people ??= spec.defaultPeople;
  if (people < 1 || people > spec.maxPeople) {
    throw new ObjectNameError(`people must be from 1 to ${spec.maxPeople} for preset ${preset}; got ${people}.`);
  }
  return { preset, durationMs, people, failure, s3Error };
}

/**
 * The duration at the start of a `duration=` value (`10m` of `10m.mp4`), ms; NaN when there is none. A unit is
 * required here (`duration=10` is ambiguous in a file name), unlike on the command line.
 */
function durationOf(value: string): number {
  const text = leadingDuration(value);
  if (text === undefined || !/[a-z]$/i.test(text)) return Number.NaN;
  try {
    return parseDurationMs(text);
  } catch {
    return Number.NaN;
  }
}

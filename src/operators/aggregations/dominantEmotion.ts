import type { WindowAggregate } from '../../core/windows/windowTypes.js';
import type { DetectionLike } from './faceShapes.js';

/** The most frequent top emotion of a window's faces. */
export interface DominantEmotion {
  /** Emotion type, e.g. `HAPPY`. */
  readonly type: string;
  /** Fraction (0–1) of the faces with emotions whose top emotion is `type`. */
  readonly share: number;
}

interface EmotionAccumulator {
  readonly counts: Map<string, number>;
  total: number;
}

/**
 * The dominant emotion of a window: each face votes for its highest-confidence `Face.Emotions` entry; the
 * type with most votes wins (ties: alphabetical). `null` when no item has emotions. Needs
 * `FaceAttributes: 'ALL'` detections.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { dominantEmotion, tumblingWindow } from 'rekognition-face-stream';
 *
 * const face = (Type: string) => ({ Emotions: [{ Type, Confidence: 90 }] });
 * from([{ Timestamp: 0, Face: face('HAPPY') }, { Timestamp: 5, Face: face('HAPPY') }, { Timestamp: 9, Face: face('CALM') }])
 *   .pipe(tumblingWindow(1000, { aggregate: dominantEmotion() }))
 *   .subscribe((w) => console.log(w.value)); // { type: 'HAPPY', share: 0.666… }
 * ```
 */
export function dominantEmotion(): WindowAggregate<DetectionLike, EmotionAccumulator, DominantEmotion | null> {
  return {
    create: () => ({ counts: new Map(), total: 0 }),
    add: (acc, d) => {
      const emotions = d.Face?.Emotions;
      if (emotions === undefined) return acc;
      let best: string | undefined;
      let bestConfidence = -Infinity;
      for (const e of emotions) {
        const confidence = e.Confidence ?? 0;
        if (e.Type !== undefined && confidence > bestConfidence) {
          best = e.Type;
          bestConfidence = confidence;
        }
      }
      if (best !== undefined) {
        acc.counts.set(best, (acc.counts.get(best) ?? 0) + 1);
        acc.total++;
      }
      return acc;
    },
    merge: (a, b) => {
      for (const [type, n] of b.counts) a.counts.set(type, (a.counts.get(type) ?? 0) + n);
      a.total += b.total;
      return a;
    },
    result: (acc) => {
      let type: string | undefined;
      let votes = 0;
      for (const [t, n] of acc.counts) {
        if (n > votes || (n === votes && type !== undefined && t < type)) {
          type = t;
          votes = n;
        }
      }
      return type === undefined ? null : { type, share: votes / acc.total };
    },
  };
}

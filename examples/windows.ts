/**
 * Event-time windows over a synthetic video's detections: faces per second (with no holes), who is on screen
 * in each 10 s (hopping, with face tracks), and scenes separated by 2 s without faces.
 *
 * Run: npx tsx examples/windows.ts
 */
import { from, Subject } from 'rxjs';
import {
  attributeShares,
  combineAggregates,
  countAggregate,
  distinctTracks,
  dominantEmotion,
  hoppingWindow,
  labelFaceTracks,
  meanConfidence,
  sessionWindow,
  tumblingWindow,
  type FaceDetection,
  type LateItem,
} from 'rekognition-face-stream';
import { syntheticVideo } from 'rekognition-face-stream/emulator';

const video = syntheticVideo({ seed: 3, preset: 'edited', durationMs: 60_000, faceAttributes: 'ALL' });
const detections = [...video.detections()].map((d) => d.detection);
const durationMillis = video.metadata.DurationMillis;

// 1. Faces per second of video, zero-count seconds included up to the video's end.
const perSecond: number[] = [];
from(detections)
  .pipe(tumblingWindow(1000, { aggregate: countAggregate, emptyWindows: true, ...(durationMillis ? { durationMillis } : {}) }))
  .subscribe((w) => perSecond.push(w.value));
console.log(`faces per second (${perSecond.length} s): ${perSecond.join(' ')}`);

// 2. Who is on screen in each 10 s, every 5 s: face tracks first, then distinct tracks per window.
from(detections)
  .pipe(
    labelFaceTracks(),
    hoppingWindow(10_000, 5000, {
      aggregate: combineAggregates({ tracks: distinctTracks(), smiling: attributeShares({ attributes: ['Smile'] }) }),
    }),
  )
  .subscribe(({ start, end, value }) => {
    const smiling = value.smiling.Smile;
    console.log(
      `${start / 1000}–${end / 1000} s: tracks [${value.tracks.trackIds.join(', ')}],`,
      `smiling ${smiling == null ? '?' : Math.round(smiling * 100)} %`,
    );
  });

// 3. Scenes: runs of detections separated by at least 2 s without faces; late items to a side output.
const late$ = new Subject<LateItem<FaceDetection>>();
late$.subscribe((late) => console.log(`late detection at ${late.timestamp} ms (watermark ${late.watermark} ms)`));
from(detections)
  .pipe(
    sessionWindow(2000, {
      maxOutOfOrderness: 500,
      onLate: late$,
      aggregate: combineAggregates({ faces: countAggregate, confidence: meanConfidence(), emotion: dominantEmotion() }),
    }),
  )
  .subscribe(({ start, end, value }) =>
    console.log(
      `scene ${start}–${end} ms: ${value.faces} detections, mean confidence ${value.confidence?.toFixed(1)},`,
      `mostly ${value.emotion?.type ?? '?'}`,
    ),
  );

/**
 * Face tracks from a synthetic video: who was on screen, when, for how long, looking how.
 *
 * Run: npx tsx examples/tracks.ts
 */
import { from } from 'rxjs';
import { faceTracks } from 'rekognition-face-stream';
import { syntheticVideo } from 'rekognition-face-stream/emulator';

const video = syntheticVideo({ seed: 1, preset: 'interview', durationMs: 30_000, faceAttributes: 'ALL' });
const detections = [...video.detections()].map((d) => d.detection);

from(detections)
  .pipe(faceTracks({ maxGapMs: 6000, includeDetections: false }))
  .subscribe((track) => {
    const { Gender, AgeRange, SmileShare } = track.attributes;
    console.log(
      `track ${track.trackId}: ${track.startTimestamp}–${track.endTimestamp} ms (${track.detectionCount} detections, closed: ${track.closeReason})`,
      `gender ${Gender?.Value ?? '?'}, age ${AgeRange ? `${AgeRange.Low}–${AgeRange.High}` : '?'},`,
      `smiling ${SmileShare === undefined ? '?' : Math.round(SmileShare * 100)} %, mostly ${track.emotions?.Dominant.Type ?? '?'},`,
      `best frame at ${track.bestDetection.Timestamp} ms`,
    );
  });

import { expect } from 'chai';
import { motExport, PRESET_NAMES, syntheticVideo } from '../../src/emulator/index.js';
import { evaluateMot } from '../../src/metrics/evaluateMot.js';
import { parseMot } from '../../src/metrics/parseMot.js';

describe('emulator ground truth scored with evaluateMot', () => {
  it('the oracle (detections labelled with their true person) scores near the ceiling; walkers are the hardest', () => {
    const hota: Record<string, number> = {};
    for (const preset of PRESET_NAMES) {
      const video = syntheticVideo({ seed: 3, preset, durationMs: 60_000 });
      const gt = parseMot(motExport(video));
      const oracle = parseMot(motExport(video, { kind: 'detections' }));
      const m = evaluateMot(gt, oracle, { numFrames: video.sampleCount });
      expect(m.IDSW, preset).to.equal(0);
      expect(m.IDF1, preset).to.be.greaterThan(0.9);
      expect(m.MOTA, preset).to.be.within(0.85, 0.999); // misses (and jitter) keep it below 1
      hota[preset] = m.HOTA;
    }
    expect(hota.walkers).to.be.lessThan(hota.interview!);
    expect(hota.walkers).to.be.lessThan(hota.meeting!);
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { ReportBuilder } from '../../src/report/ReportBuilder.js';
import { renderReportHtml } from '../../src/report/renderReportHtml.js';
import { histogramSvg, perSecondSvg, swimlanesSvg } from '../../src/report/svg.js';
import { FIXTURE_BOX, fixtureDetection, fixtureTrack } from '../helpers/reportTracks.js';

const box = FIXTURE_BOX;
const detection = fixtureDetection;
const track = fixtureTrack;

describe('report/ReportBuilder', () => {
  it('counts detections per second; the per-second series sums to the detections (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600_000 }), { maxLength: 300 }), (times) => {
        const builder = new ReportBuilder();
        for (const t of times) builder.add(detection(t));
        const model = builder.build();
        expect(model.detections).to.equal(times.length);
        expect(model.perSecond.counts.reduce((a, b) => a + b, 0)).to.equal(times.length);
        for (const t of times) expect(model.perSecond.counts[Math.floor(t / 1000)]).to.be.greaterThan(0);
        expect(model.extentMs).to.be.at.least(Math.max(0, ...times) + 1);
      }),
    );
  });

  it('splits a track into spans at gaps longer than gapMs, and counts distinct tracks per second', () => {
    const builder = new ReportBuilder({ gapMs: 1000 });
    builder.addTrack(track(1, [0, 200, 400, 3000, 3200]));
    builder.addTrack(track(2, [100, 300]));
    const model = builder.build({ job: { VideoMetadata: { DurationMillis: 5000 } } });
    expect(model.tracks[0]!.segments).to.deep.equal([
      [0, 400],
      [3000, 3200],
    ]);
    // Screen time: the spans plus one sample period (200 ms, the smallest gap) each.
    expect(model.tracks[0]!.screenTimeMs).to.equal(400 + 200 + 200 + 200);
    expect(model.perSecond.tracks).to.deep.equal([2, 0, 0, 1, 0]);
    expect(model.untrackedDetections).to.equal(0); // no detections were added, only tracks
  });

  it('keeps only the longest gaps when a track would have more than maxSegmentsPerTrack spans', () => {
    const times = [0, 2000, 4000, 10_000, 12_000, 30_000];
    const builder = new ReportBuilder({ gapMs: 1000, maxSegmentsPerTrack: 3 });
    builder.addTrack(track(1, times));
    expect(builder.build().tracks[0]!.segments).to.deep.equal([
      [0, 4000],
      [10_000, 12_000],
      [30_000, 30_000],
    ]);
  });

  it('bins the strongest emotion per detection, and says when attributes are DEFAULT only', () => {
    const all = new ReportBuilder({ maxEmotionBins: 2 });
    all.add(detection(500, { Emotions: [{ Type: 'HAPPY', Confidence: 80 }, { Type: 'CALM', Confidence: 20 }] }));
    all.add(detection(2500, { Emotions: [{ Type: 'SAD', Confidence: 60 }, { Type: 'HAPPY', Confidence: 30 }] }));
    all.add(detection(3500, { Emotions: [{ Type: 'SAD', Confidence: 90 }] }));
    const model = all.build({ job: { VideoMetadata: { DurationMillis: 4000 } } });
    expect(model.attributes).to.equal('ALL');
    expect(model.emotions!.binMs).to.equal(2000);
    const sad = model.emotions!.types.indexOf('SAD');
    const happy = model.emotions!.types.indexOf('HAPPY');
    expect(model.emotions!.counts[0]![happy]).to.equal(1);
    expect(model.emotions!.counts[1]![sad]).to.equal(2);
    expect(model.notes).to.deep.equal([]);

    const plain = new ReportBuilder();
    plain.add(detection(0));
    const p = plain.build();
    expect(p.attributes).to.equal('DEFAULT');
    expect(p.emotions).to.equal(undefined);
    expect(p.notes[0]).to.contain('FaceAttributes: ALL');
  });

  it('puts box centres on the 32×18 grid and sizes in pixels with the 40 px marker', () => {
    const builder = new ReportBuilder();
    builder.add(detection(0));
    const model = builder.build({ job: { VideoMetadata: { FrameHeight: 720, DurationMillis: 1000 } } });
    // centre (0.45, 0.4) → column 14, row 7
    expect(model.heatmap.counts[7 * 32 + 14]).to.equal(1);
    expect(model.heatmap.counts.reduce((a, b) => a + b, 0)).to.equal(1);
    const heights = model.histograms[0]!;
    expect(heights.label).to.equal('box height (px)');
    expect(heights.marker!.value).to.equal(40);
    expect(heights.counts[20]).to.equal(1); // 0.2 of 720 px = 144 px, bins of 7.2 px
  });

  it('refuses a detection without a usable Timestamp, naming it', () => {
    const builder = new ReportBuilder();
    expect(() => builder.add({ Face: { BoundingBox: box } })).to.throw(/detection\.Timestamp/);
    expect(() => new ReportBuilder({ gapMs: 0 })).to.throw(/gapMs/);
  });

  it('renders deterministic, self-contained HTML: no external URL, the data block cannot be closed early', () => {
    const build = () => {
      const builder = new ReportBuilder();
      for (let t = 0; t < 10_000; t += 200) builder.add(detection(t));
      builder.addTrack(track(1, [0, 200, 400]));
      return builder.build({ title: 'a </script><b>title', job: { JobId: 'j', JobStatus: 'SUCCEEDED' } });
    };
    const html = renderReportHtml(build());
    expect(renderReportHtml(build())).to.equal(html);
    expect(html).to.not.match(/(src|href)="(https?:)?\/\//);
    expect(html).to.contain("default-src 'none'");
    expect(html.match(/<\/script>/g)!.length).to.equal(2);
    expect(html).to.contain('a &lt;/script&gt;&lt;b&gt;title');
  });

  it('draws at most maxLanes lanes (the tracks with the most screen time) and says so; the table keeps every track', () => {
    const builder = new ReportBuilder();
    builder.addTrack(track(1, [0, 200]));
    builder.addTrack(track(2, [0, 200, 400, 600]));
    builder.addTrack(track(3, [0, 200, 400]));
    const html = renderReportHtml(builder.build(), { maxLanes: 2 });
    expect(html.match(/class="lane"/g)!.length).to.equal(2);
    expect(html).to.not.contain('data-track="1"');
    expect(html).to.contain('Showing the 2 tracks with the most screen time of 3');
    expect(html).to.contain('"trackId":[1,2,3]');
    expect(() => renderReportHtml(builder.build(), { maxLanes: 0 })).to.throw(/maxLanes/);
  });

  it('draws one lane per track, one bar per span, and a chart whose total is the detections', () => {
    const builder = new ReportBuilder({ gapMs: 1000 });
    for (let t = 0; t < 4000; t += 100) builder.add(detection(t));
    builder.addTrack(track(1, [0, 100, 3000]));
    builder.addTrack(track(2, [500]));
    const model = builder.build();
    const lanes = swimlanesSvg(model);
    expect(lanes.match(/class="lane"/g)!.length).to.equal(2);
    // One path per lane, one closed subpath (a bar) per span: track 1 has two spans (a 2.9 s gap), track 2 one.
    const bars = [...lanes.matchAll(/<path class="lane" data-track="(\d+)"[^>]* d="([^"]*)"/g)].map((m) => [Number(m[1]), m[2]!.match(/M[\d.]+ 0h[\d.]+v\d+h-[\d.]+z/g)!.length]);
    expect(bars).to.deep.equal([
      [1, 2],
      [2, 1],
    ]);
    expect(perSecondSvg(model)).to.contain('data-total="40"');
    expect(histogramSvg({ label: 'x', min: 0, width: 1, counts: [0, 0, 3, 0, 0] })).to.contain('<title>2–3: 3</title>');
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { BatchReportBuilder } from '../../src/report/BatchReport.js';
import { ReportBuilder } from '../../src/report/ReportBuilder.js';
import type { ReportModel } from '../../src/report/ReportModel.js';
import { renderBatchReportHtml } from '../../src/report/renderBatchReportHtml.js';
import { fixtureDetection, fixtureTrack } from '../helpers/reportTracks.js';

const detection = fixtureDetection;
const track = fixtureTrack;

/** A report of `tracks` tracks, track k seen every 200 ms over `k + 1` seconds; `durationMs` as VideoMetadata when given. */
function report(name: string, tracks: number, durationMs?: number): ReportModel {
  const builder = new ReportBuilder();
  for (let k = 0; k < tracks; k++) {
    const times = Array.from({ length: 5 * (k + 1) }, (_, i) => 1000 * k + 200 * i);
    for (const t of times) builder.add(detection(t));
    builder.addTrack(track(k + 1, times));
  }
  return builder.build({ title: name, ...(durationMs === undefined ? {} : { job: { VideoMetadata: { DurationMillis: durationMs } } }) });
}

describe('report/BatchReportBuilder', () => {
  it('one row per video: state, detections, tracks, screen time (sum over tracks), duration (known or the detections span), peak per second', () => {
    const batch = new BatchReportBuilder();
    const a = report('a', 3, 60_000);
    batch.add({ uri: 's3://b/a.mp4', state: 'done', report: a });
    batch.add({ uri: 's3://b/b.mp4', state: 'failed', error: 'the job FAILED' });
    batch.add({ uri: 's3://b/c.mp4', state: 'done', report: report('c', 2) });
    batch.add({ uri: 's3://b/d.mp4', state: 'incomplete' });
    const model = batch.build({ title: 'x' });
    const [va, vb, vc, vd] = model.videos;
    expect(va).to.deep.include({ uri: 's3://b/a.mp4', state: 'done', detections: a.detections, tracks: 3, durationMs: 60_000, durationKnown: true, detail: 0 });
    expect(va!.screenTimeMs).to.equal(a.tracks.reduce((s, t) => s + t.screenTimeMs, 0));
    expect(va!.peakPerSecond).to.equal(Math.max(...a.perSecond.counts));
    expect(vb).to.deep.equal({ uri: 's3://b/b.mp4', state: 'failed', error: 'the job FAILED', detections: 0, tracks: 0, screenTimeMs: 0, durationMs: 0, durationKnown: false, peakPerSecond: 0 });
    expect(vc).to.deep.include({ durationKnown: false, detail: 1 });
    expect(vc!.durationMs).to.be.greaterThan(1000);
    expect(vd).to.deep.include({ state: 'incomplete', detections: 0 });
    expect(model.totals).to.deep.equal({
      videos: 4,
      done: 2,
      failed: 1,
      incomplete: 1,
      detections: va!.detections + vc!.detections,
      tracks: 5,
      screenTimeMs: va!.screenTimeMs + vc!.screenTimeMs,
      durationMs: 60_000 + vc!.durationMs,
    });
    expect(model.details.map((d) => d.title)).to.deep.equal(['a', 'c']);
    expect(model.summarisedOnly).to.equal(0);
  });

  it('keeps full reports within the budget (videos and tracks); every video keeps its row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 25 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 30 }),
        (trackCounts, maxDetailedVideos, maxDetailTracks) => {
          const batch = new BatchReportBuilder({ maxDetailedVideos, maxDetailTracks });
          trackCounts.forEach((n, i) => batch.add({ uri: `s3://b/${i}.mp4`, state: 'done', report: report(String(i), n) }));
          const model = batch.build();
          expect(model.videos).to.have.length(trackCounts.length);
          expect(model.details.length).to.be.at.most(maxDetailedVideos);
          expect(model.details.reduce((s, d) => s + d.tracks.length, 0)).to.be.at.most(maxDetailTracks);
          expect(model.details.length + model.summarisedOnly).to.equal(trackCounts.length);
          // Rows point at their own report.
          for (const v of model.videos) if (v.detail !== undefined) expect(model.details[v.detail]!.title).to.equal(v.uri.slice(7, -4));
          expect(model.totals.tracks).to.equal(trackCounts.reduce((a, b) => a + b, 0));
        },
      ),
      { seed: 14, numRuns: 60 },
    );
  });

  it('validates its options and videos (InvalidParameterError naming the parameter)', () => {
    expect(() => new BatchReportBuilder({ maxDetailedVideos: -1 })).to.throw(/maxDetailedVideos/);
    expect(() => new BatchReportBuilder({ maxDetailTracks: 1.5 })).to.throw(/maxDetailTracks/);
    expect(() => new BatchReportBuilder().add({ uri: '', state: 'done' })).to.throw(/video\.uri/);
    expect(() => new BatchReportBuilder().add({ uri: 's3://b/k', state: 'gone' as 'done' })).to.throw(/video\.state/);
  });
});

describe('report/renderBatchReportHtml', () => {
  it('one self-contained file: the overview data, one embedded report per detailed video, no external reference; data cannot end its script', () => {
    const batch = new BatchReportBuilder({ maxDetailedVideos: 2 });
    for (let i = 0; i < 5; i++) batch.add({ uri: `s3://b/v${i}</script><!--.mp4`, state: 'done', report: report(`v${i}</script><!--`, 2) });
    const html = renderBatchReportHtml(batch.build({ title: 'five <videos>' }));
    expect(html).to.contain('<title>Faces in five &lt;videos&gt;</title>');
    expect(html).to.contain("default-src 'none'");
    expect(html).to.not.match(/\b(src|href)=["']?https?:/);
    expect(html.match(/id="video-report-\d+"/g)).to.have.length(2);
    expect(html.match(/<\/script>/g)).to.have.length(4); // the overview data, two reports, the script
    expect(html).to.not.contain('<!--');
    const data = JSON.parse(/<script type="application\/json" id="batch-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { videos: { uri: string[]; detail: number[] } };
    expect(data.videos.uri[0]).to.equal('s3://b/v0</script><!--.mp4');
    expect(data.videos.detail).to.deep.equal([0, 1, -1, -1, -1]);
    expect(html).to.contain('3 more done videos are in the overview only');
  });

  it('the file grows with the overview rows only once the detail budget is spent', () => {
    const size = (videos: number) => {
      const batch = new BatchReportBuilder({ maxDetailedVideos: 3 });
      for (let i = 0; i < videos; i++) batch.add({ uri: `s3://bucket/video-${i}.mp4`, state: 'done', report: report(String(i), 4, 600_000) });
      return renderBatchReportHtml(batch.build()).length;
    };
    const perRow = (size(400) - size(200)) / 200;
    expect(perRow).to.be.below(200);
  });
});

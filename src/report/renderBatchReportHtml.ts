/**
 * The batch report as ONE self-contained HTML file: an overview of every video (state, detections, tracks,
 * screen time, duration; sortable) and, for the videos within the detail budget, each video's full report
 * (exactly {@link renderReportHtml}'s), embedded as data and shown on demand in a frame (`srcdoc`), one at a time:
 * the page renders one video's swimlanes and charts, never all of them. No network request (the same
 * Content-Security-Policy as the single report).
 *
 * @module
 */
import { expectInteger } from '../internal/validate.js';
import type { BatchReportModel } from './BatchReport.js';
import { BASE_CSS, jsonForScript, pageStart, renderReportHtml } from './renderReportHtml.js';
import { escapeXml, formatTime } from './svg.js';

/** Options of {@link renderBatchReportHtml}. */
export interface RenderBatchReportOptions {
  /** A line under the title naming what made the report (for example `face-stream 0.1.0`). @default none */
  readonly generator?: string;
  /**
   * Most swimlanes in each video's full report (the tracks with the most screen time; every track stays in its table).
   * @default 300
   */
  readonly maxLanes?: number;
  /**
   * Overview rows rendered at first (a "show all" button renders the rest).
   * @default 500
   */
  readonly tableRows?: number;
}

const STATES = ['done', 'failed', 'incomplete'] as const;

/**
 * Renders a batch report model as a standalone HTML document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { BatchReportBuilder, renderBatchReportHtml } from 'rekognition-face-stream';
 *
 * const batch = new BatchReportBuilder();
 * // batch.add({ uri, state, report }) for each video of the batch
 * writeFileSync('batch.html', renderBatchReportHtml(batch.build({ title: 'my batch' })));
 * ```
 */
export function renderBatchReportHtml(model: BatchReportModel, options: RenderBatchReportOptions = {}): string {
  const maxLanes = expectInteger('maxLanes', options.maxLanes ?? 300, 1);
  const tableRows = expectInteger('tableRows', options.tableRows ?? 500, 1);
  const title = `Faces in ${model.title}`;
  const t = model.totals;
  const n = (value: number) => value.toLocaleString('en-US');
  const summary: [string, string][] = [
    ['Videos', `${n(t.videos)}: ${n(t.done)} done, ${n(t.failed)} failed, ${n(t.incomplete)} incomplete`],
    ['Detections', n(t.detections)],
    ['Tracks', n(t.tracks)],
    ['Screen time', `${formatTime(t.screenTimeMs)} (all tracks of all videos)`],
    ['Video time', formatTime(t.durationMs)],
  ];
  const notes: string[] = [];
  if (model.summarisedOnly > 0) {
    notes.push(
      `Full reports of ${n(model.details.length)} videos are included; ${n(model.summarisedOnly)} more done videos are in the overview only (the file's detail budget). Run face-stream report --input on one of them for its full report.`,
    );
  }
  if (t.incomplete > 0) notes.push('Incomplete videos were started but have no complete detections file: still running, interrupted, or failed in a run that kept no record.');
  const durations = model.videos.some((v) => v.state === 'done' && !v.durationKnown)
    ? '<p class="hint">Duration marked ≥ is the time span of the detections (the detections file carries no video metadata).</p>'
    : '';
  // The overview, column by column; the page's script renders and sorts the rows.
  const videos = {
    uri: model.videos.map((v) => v.uri),
    state: model.videos.map((v) => STATES.indexOf(v.state)),
    error: model.videos.map((v) => v.error ?? ''),
    detections: model.videos.map((v) => v.detections),
    tracks: model.videos.map((v) => v.tracks),
    screenTimeMs: model.videos.map((v) => v.screenTimeMs),
    durationMs: model.videos.map((v) => v.durationMs),
    durationKnown: model.videos.map((v) => (v.durationKnown ? 1 : 0)),
    peakPerSecond: model.videos.map((v) => v.peakPerSecond),
    detail: model.videos.map((v) => v.detail ?? -1),
  };
  const detailNames = new Map<number, string>();
  model.videos.forEach((v) => {
    if (v.detail !== undefined) detailNames.set(v.detail, v.uri);
  });
  const details = model.details
    .map((report, i) => {
      const html = renderReportHtml(report, { maxLanes, ...(options.generator ? { generator: options.generator } : {}) });
      return `<script type="application/json" id="video-report-${i}" class="video-report">${jsonForScript(html)}</script>`;
    })
    .join('\n');
  const detailSection =
    model.details.length === 0
      ? ''
      : `<section id="video"><h2>Video report</h2><p class="controls"><label>Video <select id="video-select">${model.details
          .map((_, i) => `<option value="${i}">${escapeXml(detailNames.get(i) ?? `video ${i + 1}`)}</option>`)
          .join('')}</select></label></p><iframe id="video-frame" title="Report of the selected video"></iframe></section>`;
  const data = jsonForScript({ tableRows, states: STATES, videos });
  return `${pageStart(title, `${BASE_CSS}${CSS}`, options.generator)}
<main>
<section id="summary"><h2>Summary</h2><dl class="summary">${summary
    .map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd data-field="${escapeXml(k.toLowerCase())}">${escapeXml(v)}</dd>`)
    .join('')}</dl>${notes.map((note) => `<p class="note">${escapeXml(note)}</p>`).join('')}</section>
<section id="videos"><h2>Videos (${n(t.videos)})</h2>${durations}<table id="video-table"><thead><tr>${COLUMNS.map(
    (c, i) => `<th data-column="${i}" tabindex="0">${c}</th>`,
  ).join('')}</tr></thead><tbody></tbody></table><p class="table-more" hidden><button type="button" id="show-all">Show all ${n(
    t.videos,
  )} videos</button></p></section>
${detailSection}
</main>
<script type="application/json" id="batch-data">${data}</script>
${details}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const COLUMNS = ['video', 'state', 'detections', 'tracks', 'screen time', 'duration', 'peak / s', 'report'];

const CSS = `
th:first-child,td:first-child{text-align:left;overflow-wrap:anywhere;width:45%}td{white-space:nowrap}td:first-child{white-space:normal}.error{color:var(--accent2);font-size:12px}td.state-done{color:var(--accent)}td.state-failed,td.state-incomplete{color:var(--accent2)}
.bar{display:inline-block;height:8px;background:var(--accent);opacity:.5;margin-right:6px;vertical-align:middle}.hint{color:var(--muted);margin:0 0 6px}
#video-frame{width:100%;height:90vh;border:0;border-radius:6px;background:var(--bg)}.controls select{max-width:100%}
@media print{section{background:none;border:1px solid #ccc}#video{display:none}}`;

/** The overview table (sort, show all, failure reasons) and the video selector (one report frame at a time). */
const SCRIPT = `
(function(){
'use strict';
var data=JSON.parse(document.getElementById('batch-data').textContent),v=data.videos,states=data.states;
function two(n){return String(n).padStart(2,'0');}
function time(ms){var s=Math.round(ms/1000),h=Math.floor(s/3600),m=Math.floor(s%3600/60),r=s%60;return h>0?h+':'+two(m)+':'+two(r):m+':'+two(r);}
var rows=v.uri.map(function(u,i){return i;}),maxScreen=Math.max.apply(null,[1].concat(v.screenTimeMs));
var cells=[
  function(i){return [v.uri[i],v.uri[i]];},function(i){return [states[v.state[i]],v.state[i]];},function(i){return [v.detections[i].toLocaleString('en-US'),v.detections[i]];},
  function(i){return [String(v.tracks[i]),v.tracks[i]];},function(i){return [time(v.screenTimeMs[i]),v.screenTimeMs[i]];},
  function(i){return [v.state[i]===0?(v.durationKnown[i]?'':'≥ ')+time(v.durationMs[i]):'',v.durationMs[i]];},function(i){return [String(v.peakPerSecond[i]),v.peakPerSecond[i]];},
  function(i){return ['',v.detail[i]];}];
var table=document.getElementById('video-table'),more=document.querySelector('.table-more'),column=-1,dir=1,showAll=false;
var select=document.getElementById('video-select'),frame=document.getElementById('video-frame'),shown=-1;
function show(d){if(!frame||d<0||d===shown)return;shown=d;select.value=String(d);frame.srcdoc=JSON.parse(document.getElementById('video-report-'+d).textContent);}
function render(){var order=rows.slice();
  if(column>=0)order.sort(function(a,b){var x=cells[column](a)[1],y=cells[column](b)[1];var d=typeof x==='number'?x-y:(x<y?-1:x>y?1:0);return dir*d||a-b;});
  var limit=showAll?order.length:Math.min(order.length,data.tableRows),body=document.createElement('tbody');
  for(var r=0;r<limit;r++){var i=order[r],tr=document.createElement('tr');tr.dataset.video=v.uri[i];
    for(var k=0;k<cells.length;k++){var td=document.createElement('td');
      if(k===0){td.textContent=v.uri[i];if(v.error[i]){var e=document.createElement('div');e.className='error';e.textContent=v.error[i];td.appendChild(e);}}
      else if(k===1){td.className='state-'+states[v.state[i]];td.textContent=states[v.state[i]];}
      else if(k===4){var bar=document.createElement('span');bar.className='bar';bar.style.width=Math.round(60*v.screenTimeMs[i]/maxScreen)+'px';td.appendChild(bar);td.appendChild(document.createTextNode(cells[k](i)[0]));}
      else if(k===7){if(v.detail[i]>=0){var b=document.createElement('button');b.type='button';b.textContent='show';b.dataset.detail=v.detail[i];td.appendChild(b);}else if(v.state[i]===0)td.textContent='overview only';}
      else td.textContent=cells[k](i)[0];
      tr.appendChild(td);}
    body.appendChild(tr);}
  table.replaceChild(body,table.tBodies[0]);if(more)more.hidden=limit>=order.length;}
table.querySelectorAll('th').forEach(function(th){function go(){var col=Number(th.dataset.column);dir=column===col?-dir:1;column=col;
  table.querySelectorAll('th').forEach(function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',dir===1?'ascending':'descending');render();}
  th.addEventListener('click',go);th.addEventListener('keydown',function(e){if(e.key==='Enter')go();});});
table.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('button[data-detail]');if(!b)return;show(Number(b.dataset.detail));document.getElementById('video').scrollIntoView();});
var all=document.getElementById('show-all');if(all)all.addEventListener('click',function(){showAll=true;render();});
if(select)select.addEventListener('change',function(){show(Number(select.value));});
render();
if(select)show(0);
})();
`;

/**
 * The report as ONE self-contained HTML file: the model embedded as JSON, the charts as inline SVG, styles and
 * a small script inline. It makes no network request (a Content-Security-Policy forbids every fetch), reads in
 * light and dark mode, and prints.
 *
 * @module
 */
import type { MotMetrics } from '../metrics/MotMetrics.js';
import { expectInteger } from '../internal/validate.js';
import type { ReportModel, ReportTrack } from './ReportModel.js';
import {
  emotionsSvg,
  escapeXml,
  formatTime,
  heatmapSvg,
  histogramSvg,
  laneCategories,
  num,
  perSecondSvg,
  swimlaneAxisSvg,
  swimlanesSvg,
  trackSharesSvg,
} from './svg.js';

/** Options of {@link renderReportHtml}. */
export interface RenderReportOptions {
  /** A line under the title naming what made the report (for example `face-stream 0.1.0`). @default none */
  readonly generator?: string;
  /**
   * Most swimlanes drawn: beyond it, the tracks with the most screen time get a lane (every track stays in
   * the table and the downloads). Keeps a 6-hour report of a busy scene small and readable.
   * @default 1000
   */
  readonly maxLanes?: number;
  /**
   * Track-table rows rendered at first, and added each time the end of the table scrolls into view (a "show
   * all" button renders the rest at once): the page opens with one chunk, not thousands of rows.
   * @default 100
   */
  readonly tableRows?: number;
}

/** The tracks of the embedded data, column by column (about a third of the size of an array of objects). */
export interface TrackColumns {
  readonly trackId: number[];
  readonly start: number[];
  readonly end: number[];
  readonly screenTimeMs: number[];
  readonly detections: number[];
  readonly meanConfidence: number[];
  readonly spans: number[];
  /** Index into `categories.<name>`, or -1 when absent. */
  readonly gender: number[];
  readonly emotion: number[];
  readonly eyewear: number[];
  /** Age range bounds, -1 when absent. */
  readonly ageLow: number[];
  readonly ageHigh: number[];
  /** Smile share (0–1), -1 when absent. */
  readonly smileShare: number[];
  readonly categories: { readonly gender: string[]; readonly emotion: string[]; readonly eyewear: string[] };
}

/** Colour-blind-safe categorical palette (Okabe–Ito, plus greys), as CSS custom properties `--p0` … */
const PALETTE = ['#E69F00', '#009E73', '#CC79A7', '#0072B2', '#D55E00', '#56B4E9', '#8C6D00', '#6A3D9A', '#7F7F7F', '#B15928'];
const EMOTION_COLOURS: Record<string, string> = {
  happy: '#E69F00',
  calm: '#56B4E9',
  sad: '#0072B2',
  angry: '#D55E00',
  confused: '#CC79A7',
  disgusted: '#009E73',
  surprised: '#F0E442',
  fear: '#6A3D9A',
  unknown: '#999999',
};

/**
 * Renders a report model as a standalone HTML document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { ReportBuilder, renderReportHtml } from 'rekognition-face-stream';
 *
 * const builder = new ReportBuilder();
 * // builder.add(detection) for each detection, builder.addTrack(track) for each faceTracks() summary
 * writeFileSync('report.html', renderReportHtml(builder.build({ title: 'my video' })));
 * ```
 */
export function renderReportHtml(model: ReportModel, options: RenderReportOptions = {}): string {
  const maxLanes = expectInteger('maxLanes', options.maxLanes ?? 1000, 1);
  const tableRows = expectInteger('tableRows', options.tableRows ?? 100, 1);
  const title = `Faces in ${model.title}`;
  const laneModel = withLanes(model, maxLanes);
  const laneNote =
    laneModel.tracks.length < model.tracks.length
      ? `<p class="note">Showing the ${laneModel.tracks.length.toLocaleString('en-US')} tracks with the most screen time of ${model.tracks.length.toLocaleString(
          'en-US',
        )}; every track is in the table and the downloads.</p>`
      : '';
  const sections = [
    section('summary', 'Summary', summaryHtml(model)),
    section(
      'tracks',
      `Who was on screen, and when (${model.tracks.length} tracks)`,
      `${controlsHtml(model)}${colourLegendHtml(model)}${laneNote}<div class="lanes-box">${swimlaneAxisSvg(model)}${swimlanesSvg(laneModel)}</div>`,
    ),
    section('per-second', 'Faces on screen per second', `${legendHtml()}${perSecondSvg(model)}`),
    model.emotions ? section('emotions', 'Dominant emotion over time', emotionsSvg(model)) : '',
    model.attributes === 'ALL' && model.tracks.length > 0 ? section('shares', 'Tracks by attribute', trackSharesSvg(model)) : '',
    section(
      'where',
      'Where faces appear',
      `<div class="grid2"><figure>${heatmapSvg(model)}<figcaption>Box centres on the frame (darker: more detections)</figcaption></figure>${model.histograms
        .map((h) => `<figure>${histogramSvg(h)}</figure>`)
        .join('')}</div>`,
    ),
    model.metrics ? section('metrics', 'Tracking quality against the ground truth', metricsHtml(model.metrics)) : '',
    section('table', 'Tracks', tableHtml(model.tracks.length)),
  ].join('\n');
  const { tracks, ...rest } = model;
  const data = jsonForScript({ ...rest, tableRows, trackColumns: trackColumns(tracks) });
  return `${pageStart(title, css(model), options.generator, ' data-colour="none"')}
<main>
${sections}
</main>
<div id="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="report-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}"><h2>${escapeXml(heading)}</h2>${body}</section>`;
}

function summaryHtml(model: ReportModel): string {
  const v = model.video;
  const rows: [string, string][] = [];
  if (v.bucket || v.name) rows.push(['Video', `s3://${v.bucket ?? '?'}/${v.name ?? '?'}`]);
  if (v.durationMs !== undefined) rows.push(['Duration', formatTime(v.durationMs)]);
  if (v.frameWidth && v.frameHeight) {
    rows.push(['Frame', `${v.frameWidth}×${v.frameHeight}${v.frameRate ? ` @ ${num(v.frameRate, 2)} fps` : ''}${v.codec ? ` ${v.codec}` : ''}`]);
  }
  if (model.job.jobId) rows.push(['Job', `${model.job.jobId}${model.job.status ? ` (${model.job.status})` : ''}`]);
  if (model.job.jobTag) rows.push(['Job tag', model.job.jobTag]);
  rows.push(['Detections', model.detections.toLocaleString('en-US')]);
  rows.push(['Tracks', `${model.tracks.length.toLocaleString('en-US')} (${model.untrackedDetections.toLocaleString('en-US')} detections in no track)`]);
  if (model.source) rows.push(['Read in', `${model.source.pages.toLocaleString('en-US')} pages, ${model.source.requests.toLocaleString('en-US')} requests`]);
  rows.push(['Attributes', model.attributes]);
  const notes = model.notes.map((n) => `<p class="note">${escapeXml(n)}</p>`).join('');
  return `<dl class="summary">${rows
    .map(([k, value]) => `<dt>${escapeXml(k)}</dt><dd data-field="${escapeXml(k.toLowerCase())}">${escapeXml(value)}</dd>`)
    .join('')}</dl>${notes}`;
}

function controlsHtml(model: ReportModel): string {
  const colourBy = model.attributes === 'ALL' ? ['none', 'gender', 'emotion', 'eyewear', 'age'] : ['none'];
  return `<div class="controls">
<label>Sort by <select id="sort"><option value="start">start</option><option value="screen">screen time</option><option value="track">track id</option></select></label>
<label>Colour by <select id="colour">${colourBy.map((c) => `<option value="${c}">${c}</option>`).join('')}</select></label>
<label>Min. confidence <input id="min-confidence" type="number" min="0" max="100" step="1" value="0"></label>
<span class="downloads">Download tracks: <a href="#" id="download-ndjson" download="tracks.ndjson">NDJSON</a> · <a href="#" id="download-csv" download="tracks.csv">CSV</a></span>
</div>`;
}

/** One legend per colour-by attribute; CSS shows the one selected. */
function colourLegendHtml(model: ReportModel): string {
  const byAttribute = categories(model);
  let out = '';
  for (const [attribute, values] of byAttribute) {
    out += `<p class="colour-legend" data-for="${attribute}">${[...values]
      .sort()
      .map((v) => `<span class="swatch" data-${attribute}="${escapeXml(v)}"></span>${escapeXml(v)}`)
      .join(' ')}</p>`;
  }
  return out;
}

function legendHtml(): string {
  return '<p class="legend"><span class="key faces"></span> detections per second <span class="key tracks"></span> distinct tracks</p>';
}

function metricsHtml(metrics: MotMetrics): string {
  const pick: [string, number][] = [
    ['HOTA', metrics.HOTA],
    ['DetA', metrics.DetA],
    ['AssA', metrics.AssA],
    ['IDF1', metrics.IDF1],
    ['MOTA', metrics.MOTA],
    ['MOTP', metrics.MOTP],
    ['ID switches', metrics.IDSW],
    ['Fragmentations', metrics.Frag],
  ];
  return `<dl class="metrics">${pick
    .map(([k, v]) => {
      const share = k === 'ID switches' || k === 'Fragmentations' ? String(v) : `${num(v * 100, 1)} %`;
      return `<div><dt>${k}</dt><dd>${share}</dd></div>`;
    })
    .join('')}</dl>`;
}

const TABLE_COLUMNS = ['track', 'start', 'end', 'screen time', 'detections', 'confidence', 'gender', 'age', 'emotion', 'eyewear', 'smile'];

/** The track table's frame: the page's script renders the rows from the embedded data (sorted, filtered). */
function tableHtml(tracks: number): string {
  return (
    `<table id="track-table"><thead><tr>${TABLE_COLUMNS.map((h, i) => `<th data-column="${i}" tabindex="0">${h}</th>`).join('')}</tr></thead><tbody></tbody></table>` +
    `<p class="table-more" hidden><button type="button" id="show-all">Show all ${tracks.toLocaleString('en-US')} tracks</button></p>`
  );
}

/** The model with only the `maxLanes` tracks of most screen time (in their original order). */
function withLanes(model: ReportModel, maxLanes: number): ReportModel {
  if (model.tracks.length <= maxLanes) return model;
  const keep = new Set(
    [...model.tracks]
      .sort((a, b) => b.screenTimeMs - a.screenTimeMs || a.trackId - b.trackId)
      .slice(0, maxLanes)
      .map((t) => t.trackId),
  );
  return { ...model, tracks: model.tracks.filter((t) => keep.has(t.trackId)) };
}

/** The tracks as columns, categories as indices. */
export function trackColumns(tracks: readonly ReportTrack[]): TrackColumns {
  const dictionary = () => {
    const values: string[] = [];
    const index = new Map<string, number>();
    return {
      values,
      of(value: string | undefined): number {
        if (value === undefined) return -1;
        let i = index.get(value);
        if (i === undefined) {
          i = values.length;
          values.push(value);
          index.set(value, i);
        }
        return i;
      },
    };
  };
  const gender = dictionary();
  const emotion = dictionary();
  const eyewear = dictionary();
  const columns: TrackColumns = {
    trackId: [],
    start: [],
    end: [],
    screenTimeMs: [],
    detections: [],
    meanConfidence: [],
    spans: [],
    gender: [],
    emotion: [],
    eyewear: [],
    ageLow: [],
    ageHigh: [],
    smileShare: [],
    categories: { gender: gender.values, emotion: emotion.values, eyewear: eyewear.values },
  };
  for (const t of tracks) {
    columns.trackId.push(t.trackId);
    columns.start.push(t.start);
    columns.end.push(t.end);
    columns.screenTimeMs.push(t.screenTimeMs);
    columns.detections.push(t.detections);
    columns.meanConfidence.push(t.meanConfidence);
    columns.spans.push(t.segments.length);
    columns.gender.push(gender.of(t.gender));
    columns.emotion.push(emotion.of(t.emotion));
    columns.eyewear.push(eyewear.of(t.eyewear));
    columns.ageLow.push(t.age?.low ?? -1);
    columns.ageHigh.push(t.age?.high ?? -1);
    columns.smileShare.push(t.smileShare ?? -1);
  }
  return columns;
}

/** Per-attribute category colours (deterministic: categories sorted, palette in order). */
function categories(model: ReportModel): Map<string, Set<string>> {
  const byAttribute = new Map<string, Set<string>>();
  if (model.attributes !== 'ALL') return byAttribute;
  for (const track of model.tracks) {
    for (const [attribute, value] of Object.entries(laneCategories(track))) {
      if (!byAttribute.has(attribute)) byAttribute.set(attribute, new Set());
      byAttribute.get(attribute)!.add(value);
    }
  }
  return byAttribute;
}

function categoryRules(model: ReportModel): string {
  let rules = '';
  for (const [attribute, values] of categories(model)) {
    rules += `body[data-colour="${attribute}"] .colour-legend[data-for="${attribute}"]{display:block}`;
    [...values].sort().forEach((value, i) => {
      const colour =
        value === 'unknown' ? 'var(--muted)' : attribute === 'emotion' ? (EMOTION_COLOURS[value.toLowerCase()] ?? PALETTE[i % PALETTE.length]) : PALETTE[i % PALETTE.length];
      const v = escapeXml(value);
      rules +=
        `body[data-colour="${attribute}"] .lane[data-${attribute}="${v}"],.shares [data-${attribute}="${v}"]{fill:${colour}}` +
        `.colour-legend .swatch[data-${attribute}="${v}"]{background:${colour}}`;
    });
  }
  return rules;
}

/**
 * The document up to the page header: the Content-Security-Policy that forbids every fetch (inline style and
 * script only), light and dark, the title as `<title>` and `<h1>`, and the generator line.
 */
export function pageStart(title: string, style: string, generator: string | undefined, bodyAttributes = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${escapeXml(title)}</title>
<style>${style}</style>
</head>
<body${bodyAttributes}>
<header><h1>${escapeXml(title)}</h1>${generator ? `<p class="generator">${escapeXml(generator)}</p>` : ''}</header>`;
}

/** The page basics every report shares: colours (light and dark), type, panels, summary lists, tables, notes. */
export const BASE_CSS = `
:root{--bg:#fff;--fg:#1d1d1f;--muted:#8a8a8e;--grid:#e4e4e7;--accent:#0072B2;--accent2:#D55E00;--panel:#f6f6f8;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#151518;--fg:#e8e8ea;--muted:#7d7d85;--grid:#2c2c31;--accent:#56B4E9;--accent2:#E69F00;--panel:#1e1e22}}
body{margin:0;background:var(--bg);color:var(--fg)}header,main{max-width:1120px;margin:0 auto;padding:0 20px}
h1{font-size:22px;margin:20px 0 2px}h2{font-size:16px;margin:0 0 10px}.generator{color:var(--muted);margin:0}
section{background:var(--panel);border-radius:8px;padding:14px 16px;margin:14px 0;break-inside:avoid}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}.summary dt{color:var(--muted)}.summary dd{margin:0;overflow-wrap:anywhere}
.note{color:var(--accent2);margin:8px 0 0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:3px 8px;text-align:right;border-bottom:1px solid var(--grid)}th{cursor:pointer;user-select:none;position:sticky;top:0;background:var(--panel)}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}tr.hidden{display:none}
a{color:var(--accent)}`;

/**
 * `value` as JSON to embed in a `<script>` element: `</` and `<!--` are written `\\u003c…` (still the same JSON), so
 * no string in the data can end the element early or switch the HTML tokenizer's script state.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/<(\/|!--)/g, '\\u003c$1');
}

function css(model: ReportModel): string {
  const emotions = Object.entries(EMOTION_COLOURS)
    .map(([e, c]) => `.emotion-${e}{fill:${c}}`)
    .join('');
  return `
${BASE_CSS}
.chart{width:100%;height:auto;display:block}.chart text{fill:var(--muted);font-size:11px}.axis line{stroke:var(--muted);stroke-width:1}.axis .grid{stroke:var(--grid)}
.axis-label{font-weight:600}
.lanes-box{max-height:70vh;overflow-y:auto}.lane-axis{position:sticky;top:0;background:var(--panel);z-index:1}
.colour-legend{display:none;margin:0 0 6px;font-size:12px}.colour-legend .swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}.lane{fill:var(--accent)}.lane-highlight{fill:var(--grid)}
.lane.hidden{display:none}
.faces-area{fill:var(--accent);fill-opacity:.35;stroke:var(--accent);stroke-width:1}.tracks-line{fill:none;stroke:var(--accent2);stroke-width:1.5}
.legend .key{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;vertical-align:middle}.legend .faces{background:var(--accent);opacity:.6}.legend .tracks{background:var(--accent2);height:3px}
.heatmap .frame{fill:none;stroke:var(--muted)}.heatmap .cells rect{fill:var(--accent)}.histogram .bars rect{fill:var(--accent)}.histogram .marker{stroke:var(--accent2);stroke-width:2;stroke-dasharray:4 3}
.shares rect{fill:var(--muted)}.shares text{fill:var(--fg)}.shares .on-bar{fill:#fff}
.grid2{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}figure{margin:0}figcaption{color:var(--muted);font-size:12px}
.controls{display:flex;flex-wrap:wrap;gap:8px 18px;margin-bottom:8px;align-items:center}.controls input{width:64px}
.metrics{display:flex;flex-wrap:wrap;gap:10px;margin:0}.metrics div{background:var(--bg);padding:8px 12px;border-radius:6px;min-width:90px}.metrics dt{color:var(--muted);font-size:12px}.metrics dd{margin:0;font-size:18px;font-weight:600}
#tooltip{position:fixed;pointer-events:none;background:var(--fg);color:var(--bg);padding:6px 9px;border-radius:5px;font-size:12px;white-space:pre;z-index:9;max-width:360px}
@media print{body{background:#fff;color:#000}.controls,#tooltip{display:none}.lanes-box{max-height:none;overflow:visible}section{background:none;border:1px solid #ccc}}
${emotions}${categoryRules(model)}`;
}

/** The page's behaviour: tooltip, sorting, filtering, colouring, downloads. Plain DOM, no library. */
const SCRIPT = `
(function(){
'use strict';
var data=JSON.parse(document.getElementById('report-data').textContent),c=data.trackColumns,cat=c.categories;
function at(list,i){return i<0?undefined:list[i];}
var tracks=c.trackId.map(function(id,i){return {trackId:id,start:c.start[i],end:c.end[i],screenTimeMs:c.screenTimeMs[i],detections:c.detections[i],meanConfidence:c.meanConfidence[i],spans:c.spans[i],
  gender:at(cat.gender,c.gender[i]),emotion:at(cat.emotion,c.emotion[i]),eyewear:at(cat.eyewear,c.eyewear[i]),ageLow:c.ageLow[i]<0?undefined:c.ageLow[i],ageHigh:c.ageHigh[i]<0?undefined:c.ageHigh[i],smileShare:c.smileShare[i]<0?undefined:c.smileShare[i]};});
var byId=new Map(tracks.map(function(t){return [String(t.trackId),t];}));
function two(n){return String(n).padStart(2,'0');}
function time(ms){var s=Math.round(ms/1000),h=Math.floor(s/3600),m=Math.floor(s%3600/60),r=s%60;return h>0?h+':'+two(m)+':'+two(r):m+':'+two(r);}
function describe(t){var lines=['Track '+t.trackId,time(t.start)+' – '+time(t.end)+' ('+t.spans+' span'+(t.spans===1?'':'s')+')','on screen '+time(t.screenTimeMs)+', '+t.detections+' detections','confidence '+t.meanConfidence.toFixed(1)];
  if(t.gender)lines.push('gender '+t.gender);if(t.ageLow!==undefined)lines.push('age '+t.ageLow+'–'+t.ageHigh);if(t.emotion)lines.push('emotion '+t.emotion);if(t.eyewear)lines.push('eyewear '+t.eyewear);if(t.smileShare!==undefined)lines.push('smiling '+Math.round(t.smileShare*100)+' %');return lines.join('\\n');}
var tip=document.getElementById('tooltip');
var svg=document.querySelector('.swimlanes');
var lanes=svg?Array.prototype.slice.call(svg.querySelectorAll('.lane')):[],visibleLanes=lanes;
var laneHeight=svg?Number(svg.dataset.laneHeight):0,top0=svg?Number(svg.dataset.top):0,highlight=svg&&svg.querySelector('.lane-highlight');
if(svg){
  var vb=svg.viewBox.baseVal,left=Number(svg.dataset.left),plot=Number(svg.dataset.plot);
  function hide(){tip.hidden=true;highlight.setAttribute('visibility','hidden');svg.querySelectorAll('.lane.active').forEach(function(l){l.classList.remove('active');});}
  // Lanes are rows of equal height: the pointer's row is its lane (no hit rectangle per lane).
  svg.addEventListener('mousemove',function(e){var r=svg.getBoundingClientRect(),sx=(e.clientX-r.left)*vb.width/r.width,sy=(e.clientY-r.top)*vb.height/r.height;
    var i=Math.floor((sy-top0)/laneHeight),lane=sx>=left&&sx<=left+plot&&i>=0?visibleLanes[i]:undefined,t=lane&&byId.get(lane.dataset.track);if(!t){hide();return;}
    if(!lane.classList.contains('active')){hide();lane.classList.add('active');}
    highlight.setAttribute('y',String(top0+i*laneHeight));highlight.setAttribute('visibility','visible');tip.textContent=describe(t);tip.hidden=false;
    var x=Math.min(e.clientX+14,window.innerWidth-tip.offsetWidth-8),y=Math.min(e.clientY+14,window.innerHeight-tip.offsetHeight-8);tip.style.left=x+'px';tip.style.top=y+'px';});
  svg.addEventListener('mouseleave',hide);
}
var minConfidence=0,sortKey='start',tableColumn=-1,tableDir=1,showAll=false,shownRows=data.tableRows;
function layout(){var visible=lanes.filter(function(l){return Number(l.dataset.confidence)>=minConfidence;});
  var key=sortKey==='screen'?function(l){return -Number(l.dataset.screen);}:sortKey==='track'?function(l){return Number(l.dataset.track);}:function(l){return Number(l.dataset.start);};
  visible.sort(function(a,b){return key(a)-key(b)||Number(a.dataset.track)-Number(b.dataset.track);});
  visibleLanes=visible;lanes.forEach(function(l){l.classList.add('hidden');});
  visible.forEach(function(l,i){l.classList.remove('hidden');l.setAttribute('transform','translate(0,'+(top0+i*laneHeight)+')');});
  renderTable();}
var cells=[
  function(t){return [t.trackId,t.trackId];},function(t){return [time(t.start),t.start];},function(t){return [time(t.end),t.end];},
  function(t){return [time(t.screenTimeMs),t.screenTimeMs];},function(t){return [t.detections,t.detections];},function(t){return [t.meanConfidence.toFixed(1),t.meanConfidence];},
  function(t){return [t.gender||'',t.gender||''];},function(t){return [t.ageLow===undefined?'':t.ageLow+'–'+t.ageHigh,t.ageLow===undefined?-1:t.ageLow];},
  function(t){return [t.emotion||'',t.emotion||''];},function(t){return [t.eyewear||'',t.eyewear||''];},function(t){return [t.smileShare===undefined?'':Math.round(t.smileShare*100)+' %',t.smileShare===undefined?-1:t.smileShare];}];
var table=document.getElementById('track-table'),more=document.querySelector('.table-more');
function renderTable(){if(!table)return;
  var rows=tracks.filter(function(t){return t.meanConfidence>=minConfidence;});
  if(tableColumn>=0)rows.sort(function(a,b){var x=cells[tableColumn](a)[1],y=cells[tableColumn](b)[1];var d=typeof x==='number'&&typeof y==='number'?x-y:(x<y?-1:x>y?1:0);return tableDir*d||a.trackId-b.trackId;});
  var limit=showAll?rows.length:Math.min(rows.length,shownRows),body=document.createElement('tbody');
  for(var i=0;i<limit;i++){var t=rows[i],tr=document.createElement('tr');tr.dataset.track=t.trackId;
    for(var k=0;k<cells.length;k++){var td=document.createElement('td');td.textContent=String(cells[k](t)[0]);tr.appendChild(td);}body.appendChild(tr);}
  table.replaceChild(body,table.tBodies[0]);if(more)more.hidden=limit>=rows.length;}
if(table)table.querySelectorAll('th').forEach(function(th){function go(){var col=Number(th.dataset.column);tableDir=tableColumn===col?-tableDir:1;tableColumn=col;
  table.querySelectorAll('th').forEach(function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',tableDir===1?'ascending':'descending');renderTable();}
  th.addEventListener('click',go);th.addEventListener('keydown',function(e){if(e.key==='Enter')go();});});
var all=document.getElementById('show-all');if(all)all.addEventListener('click',function(){showAll=true;renderTable();});
// The next rows when the end of the table scrolls into view: the page opens with one chunk, not thousands of rows.
if(more&&window.IntersectionObserver)new IntersectionObserver(function(entries){if(entries[0].isIntersecting&&!more.hidden){shownRows+=data.tableRows;renderTable();}},{rootMargin:'400px'}).observe(more);
var sort=document.getElementById('sort');if(sort)sort.addEventListener('change',function(){sortKey=sort.value;layout();});
var colour=document.getElementById('colour');if(colour)colour.addEventListener('change',function(){document.body.dataset.colour=colour.value;});
var min=document.getElementById('min-confidence');if(min)min.addEventListener('input',function(){minConfidence=Number(min.value)||0;layout();});
var columns=['trackId','start','end','screenTimeMs','detections','meanConfidence','gender','ageLow','ageHigh','emotion','eyewear','smileShare','spans'];
function csvCell(v){if(v===undefined||v===null)return '';var s=String(v);return /[",\\n]/.test(s)?'"'+s.replace(/"/g,'""')+'"':s;}
function download(id,type,text){var a=document.getElementById(id);if(!a)return;a.addEventListener('click',function(){a.href=URL.createObjectURL(new Blob([text()],{type:type}));});}
download('download-ndjson','application/x-ndjson',function(){return tracks.map(function(t){return JSON.stringify(t);}).join('\\n')+'\\n';});
download('download-csv','text/csv',function(){return columns.join(',')+'\\n'+tracks.map(function(t){return columns.map(function(k){return csvCell(t[k]);}).join(',');}).join('\\n')+'\\n';});
renderTable();
})();
`;

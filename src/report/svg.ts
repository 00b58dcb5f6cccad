/**
 * Hand-written SVG for the report: pure functions from the {@link ReportModel} to markup, deterministic (fixed
 * number formatting, no randomness, no clock), so they can be tested as strings and in the DOM. Colours come
 * from CSS classes and custom properties of the page, so one SVG serves light mode, dark mode and print.
 *
 * @module
 */
import type { Histogram, ReportModel, ReportTrack } from './ReportModel.js';

/** Width of every chart's viewBox; charts scale to the page width. */
export const CHART_WIDTH = 1000;
const LEFT = 56;
const RIGHT = 12;
const PLOT = CHART_WIDTH - LEFT - RIGHT;

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

/** A number with at most `digits` decimals, without trailing zeros (deterministic SVG coordinates). */
export function num(value: number, digits = 1): string {
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** `h:mm:ss` or `m:ss` of a time in ms. */
export function formatTime(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Tick spacing (ms) giving about `count` ticks over `extentMs`, from a list of readable steps. */
export function timeTickStep(extentMs: number, count = 8): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].map((s) => s * 1000);
  return steps.find((s) => extentMs / s <= count) ?? 3600_000 * Math.ceil(extentMs / 3600_000 / count);
}

function x(ms: number, extentMs: number): number {
  return LEFT + (ms / extentMs) * PLOT;
}

/** The time axis along the bottom of a chart of height `top` (ticks and labels). */
function timeAxis(extentMs: number, top: number): string {
  const step = timeTickStep(extentMs);
  let out = `<g class="axis"><line x1="${LEFT}" x2="${LEFT + PLOT}" y1="${top}" y2="${top}"/>`;
  for (let t = 0; t <= extentMs; t += step) {
    const at = x(t, extentMs);
    const px = num(at);
    const anchor = at > LEFT + PLOT - 24 ? 'end' : 'middle';
    out += `<line x1="${px}" x2="${px}" y1="${top}" y2="${top + 4}"/><text x="${px}" y="${top + 16}" text-anchor="${anchor}">${formatTime(t)}</text>`;
  }
  return `${out}</g>`;
}

/** Nice upper bound for a value axis. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= value) ?? 10 * p);
}

function valueAxis(max: number, top: number, height: number, label: string): string {
  let out = `<g class="axis"><line x1="${LEFT}" x2="${LEFT}" y1="${top}" y2="${top + height}"/>`;
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = num(top + height - (height * i) / 4);
    out += `<line class="grid" x1="${LEFT}" x2="${LEFT + PLOT}" y1="${y}" y2="${y}"/><text x="${LEFT - 6}" y="${y}" dy="4" text-anchor="end">${num(v, 2)}</text>`;
  }
  return `${out}<text class="axis-label" x="${LEFT}" y="${top - 6}">${escapeXml(label)}</text></g>`;
}

/** Categorical values a lane can be coloured by, per attribute (the report's "colour by" choices). */
export function laneCategories(track: ReportTrack): Record<string, string> {
  const age = track.age ? `${Math.floor((track.age.low + track.age.high) / 2 / 10) * 10}s` : 'unknown';
  return {
    gender: track.gender ?? 'unknown',
    emotion: track.emotion ?? 'unknown',
    eyewear: track.eyewear ?? 'unknown',
    age,
  };
}

/**
 * One row per track on the video time axis, a bar per span on screen (gaps visible). Each lane is ONE `<path>`
 * (its bars as subpaths), so a 1,000-lane chart is 1,000 elements: the page hit-tests the pointer by row
 * instead of a hit rectangle per lane, and one highlight rectangle follows it. Lanes carry their sort keys and
 * categories as data attributes; the page's script sorts, filters and colours them and shows the tooltip.
 */
export function swimlanesSvg(model: ReportModel): string {
  const n = model.tracks.length;
  const lane = n <= 30 ? 16 : n <= 150 ? 8 : n <= 600 ? 4 : 3;
  const pad = lane >= 8 ? 3 : 1;
  const top = 2;
  const height = Math.max(n, 1) * lane;
  let lanes = '';
  // In start order: the page's default sort, so that it needs no layout pass when it opens.
  const ordered = [...model.tracks].sort((a, b) => a.start - b.start || a.trackId - b.trackId);
  ordered.forEach((track, i) => {
    const categories = laneCategories(track);
    const attrs = Object.entries(categories)
      .map(([k, v]) => ` data-${k}="${escapeXml(v)}"`)
      .join('');
    let bars = '';
    for (const [start, end] of track.segments) {
      const x0 = x(start, model.extentMs);
      const w = num(Math.max(x(end, model.extentMs) - x0, 0.6), 2);
      bars += `M${num(x0, 2)} 0h${w}v${lane - pad}h-${w}z`;
    }
    lanes +=
      `<path class="lane" data-track="${track.trackId}" data-start="${track.start}" data-screen="${track.screenTimeMs}" ` +
      `data-confidence="${num(track.meanConfidence, 2)}"${attrs} transform="translate(0,${top + i * lane})" d="${bars}"/>`;
  });
  const labels = lane >= 8 ? ' with-labels' : '';
  return (
    `<svg class="chart swimlanes${labels}" viewBox="0 0 ${CHART_WIDTH} ${top + height + 2}" data-lane-height="${lane}" data-top="${top}" data-left="${LEFT}" data-plot="${PLOT}" role="img" aria-label="Track swimlanes: ${n} tracks">` +
    `<rect class="lane-highlight" x="${LEFT}" y="${top}" width="${PLOT}" height="${lane}" visibility="hidden"/><g class="lanes">${lanes}</g></svg>`
  );
}

/** The time axis of the swimlanes, drawn on its own so that it stays in view while the lanes scroll. */
export function swimlaneAxisSvg(model: ReportModel): string {
  return `<svg class="chart lane-axis" viewBox="0 0 ${CHART_WIDTH} 22" aria-hidden="true">${timeAxis(model.extentMs, 2)}</svg>`;
}

/**
 * Faces on screen per second (area) and distinct tracks per second (line). Long videos are drawn at one point
 * per pixel column (the column's mean), while the per-second data stays in the embedded model.
 */
export function perSecondSvg(model: ReportModel): string {
  const { counts, tracks } = model.perSecond;
  const height = 160;
  const top = 20;
  const columns = Math.min(counts.length, PLOT);
  const column = (values: readonly number[], c: number): number => {
    const from = Math.floor((c * values.length) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / columns));
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i] ?? 0;
    return sum / (to - from);
  };
  const faces = Array.from({ length: columns }, (_, c) => column(counts, c));
  const distinct = Array.from({ length: columns }, (_, c) => column(tracks, c));
  const max = niceMax(Math.max(1, ...faces, ...distinct));
  const px = (c: number) => num(LEFT + ((c + 0.5) / columns) * PLOT);
  const py = (v: number) => num(top + height - (v / max) * height);
  let area = `M${px(0)},${top + height}`;
  let line = '';
  for (let c = 0; c < columns; c++) {
    area += `L${px(c)},${py(faces[c]!)}`;
    line += `${c === 0 ? 'M' : 'L'}${px(c)},${py(distinct[c]!)}`;
  }
  area += `L${px(columns - 1)},${top + height}Z`;
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    `<svg class="chart per-second" viewBox="0 0 ${CHART_WIDTH} ${top + height + 24}" data-total="${total}" role="img" aria-label="Faces on screen per second">` +
    `${valueAxis(max, top, height, 'per second')}<path class="faces-area" d="${area}"/><path class="tracks-line" d="${line}"/>` +
    `${timeAxis(model.extentMs, top + height)}</svg>`
  );
}

/** The strongest emotion per time bin, stacked (share of the bin's detections). */
export function emotionsSvg(model: ReportModel): string {
  const timeline = model.emotions;
  if (!timeline) return '';
  const height = 140;
  const top = 20;
  const binWidth = (timeline.binMs / model.extentMs) * PLOT;
  let bars = '';
  timeline.counts.forEach((row, bin) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (total === 0) return;
    let y = top + height;
    row.forEach((n, type) => {
      if (!n) return;
      const h = (n / total) * height;
      y -= h;
      bars += `<rect class="emotion-${timeline.types[type]!.toLowerCase()}" x="${num(LEFT + bin * binWidth, 2)}" y="${num(y, 2)}" width="${num(Math.max(binWidth, 0.5), 2)}" height="${num(h, 2)}"/>`;
    });
  });
  const legend = timeline.types
    .map((t, i) => `<g transform="translate(${LEFT + i * 100},${top + height + 30})"><rect class="emotion-${t.toLowerCase()}" width="10" height="10"/><text x="14" y="9">${escapeXml(t)}</text></g>`)
    .join('');
  return (
    `<svg class="chart emotions" viewBox="0 0 ${CHART_WIDTH} ${top + height + 46}" role="img" aria-label="Dominant emotion over time">` +
    `${valueAxis(1, top, height, `share of detections per ${num(timeline.binMs / 1000, 0)} s`)}${bars}${timeAxis(model.extentMs, top + height)}${legend}</svg>`
  );
}

/** Box centres on a 16:9 frame. */
export function heatmapSvg(model: ReportModel): string {
  const { columns, rows, counts } = model.heatmap;
  const width = 480;
  const height = 270;
  const cw = width / columns;
  const ch = height / rows;
  const max = Math.max(1, ...counts);
  let cells = '';
  counts.forEach((n, i) => {
    if (!n) return;
    const c = i % columns;
    const r = Math.floor(i / columns);
    cells += `<rect x="${num(c * cw, 2)}" y="${num(r * ch, 2)}" width="${num(cw, 2)}" height="${num(ch, 2)}" fill-opacity="${num(0.08 + 0.92 * Math.sqrt(n / max), 3)}"><title>${n} detections</title></rect>`;
  });
  return (
    `<svg class="chart heatmap" viewBox="-1 -1 ${width + 2} ${height + 2}" role="img" aria-label="Where faces appear (box centres)">` +
    `<rect class="frame" x="0" y="0" width="${width}" height="${height}"/><g class="cells">${cells}</g></svg>`
  );
}

/** A histogram with an optional marker line. */
export function histogramSvg(full: Histogram): string {
  const histogram = trimmed(full);
  const width = 480;
  const height = 120;
  const left = 40;
  const top = 18;
  const plot = width - left - 8;
  const bins = histogram.counts.length;
  const max = niceMax(Math.max(1, ...histogram.counts));
  const bw = plot / bins;
  let bars = '';
  histogram.counts.forEach((n, i) => {
    if (!n) return;
    const h = (n / max) * height;
    bars += `<rect x="${num(left + i * bw, 2)}" y="${num(top + height - h, 2)}" width="${num(Math.max(bw - 1, 0.5), 2)}" height="${num(h, 2)}"><title>${escapeXml(
      `${num(histogram.min + i * histogram.width, 2)}–${num(histogram.min + (i + 1) * histogram.width, 2)}: ${n}`,
    )}</title></rect>`;
  });
  const end = histogram.min + bins * histogram.width;
  let marker = '';
  if (histogram.marker && histogram.marker.value >= histogram.min && histogram.marker.value <= end) {
    const mx = num(left + ((histogram.marker.value - histogram.min) / (end - histogram.min)) * plot);
    marker = `<line class="marker" x1="${mx}" x2="${mx}" y1="${top}" y2="${top + height}"><title>${escapeXml(histogram.marker.label)}</title></line>`;
  }
  return (
    `<svg class="chart histogram" viewBox="0 0 ${width} ${top + height + 20}" role="img" aria-label="${escapeXml(histogram.label)}">` +
    `<text class="axis-label" x="${left}" y="12">${escapeXml(histogram.label)}</text>` +
    `<g class="axis"><line x1="${left}" x2="${left + plot}" y1="${top + height}" y2="${top + height}"/>` +
    `<text x="${left}" y="${top + height + 14}">${num(histogram.min, 2)}</text><text x="${left + plot}" y="${top + height + 14}" text-anchor="end">${num(end, 2)}</text>` +
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end">${max}</text></g><g class="bars">${bars}</g>${marker}</svg>`
  );
}

/** Shares of tracks per category of `attribute` (gender, eyewear, age), as one stacked bar each. */
export function trackSharesSvg(model: ReportModel): string {
  const attributes = ['gender', 'eyewear', 'age', 'emotion'] as const;
  const width = 480;
  const row = 34;
  let out = '';
  attributes.forEach((attribute, i) => {
    const tally = new Map<string, number>();
    for (const track of model.tracks) {
      const key = laneCategories(track)[attribute]!;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const total = model.tracks.length || 1;
    let x0 = 80;
    let bars = '';
    for (const [key, n] of [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      const w = ((width - 88) * n) / total;
      bars += `<rect class="cat" data-${attribute}="${escapeXml(key)}" x="${num(x0, 2)}" y="0" width="${num(w, 2)}" height="20"><title>${escapeXml(
        `${key}: ${n} of ${model.tracks.length} tracks`,
      )}</title></rect>${w > 40 ? `<text class="on-bar" x="${num(x0 + 4, 2)}" y="14">${escapeXml(key)}</text>` : ''}`;
      x0 += w;
    }
    out += `<g transform="translate(0,${i * row})" data-colour="${attribute}"><text x="0" y="14">${attribute}</text>${bars}</g>`;
  });
  return `<svg class="chart shares" viewBox="0 0 ${width} ${attributes.length * row}" role="img" aria-label="Attribute shares per track">${out}</svg>`;
}

/** The histogram without its empty bins at either end (keeping the marker, if any, inside the range). */
function trimmed(histogram: Histogram): Histogram {
  const counts = histogram.counts;
  let first = counts.findIndex((n) => n > 0);
  if (first < 0) return histogram;
  let last = counts.length - 1;
  while (last > first && counts[last] === 0) last--;
  if (histogram.marker) {
    const m = Math.floor((histogram.marker.value - histogram.min) / histogram.width);
    if (m >= 0 && m < counts.length) {
      first = Math.min(first, m);
      last = Math.max(last, m);
    }
  }
  // A little context on each side.
  first = Math.max(0, first - 1);
  last = Math.min(counts.length - 1, last + 1);
  return { ...histogram, min: histogram.min + first * histogram.width, counts: counts.slice(first, last + 1) };
}

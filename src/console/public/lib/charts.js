/**
 * Small hand-drawn SVG charts for the staff console. No chart library: the
 * console ships no third-party script, and these few shapes are all it needs.
 *
 * Every chart is an `<svg role="img">` named by its `<title>` and summarised by
 * its `<desc>` (what a screen reader announces), followed by a legend and a
 * table with the same numbers. The table is visually hidden until the
 * "show table" button is pressed, so it serves screen readers and anyone who
 * reads numbers more easily than bars (at 200% zoom, for instance).
 *
 * Colours are attributes, not classes, so a chart looks right on any page;
 * `CHARTS_CSS` (the stylesheet for the legend, the toggle and sizing) must be
 * linked by the page that uses them.
 */
import { nextId } from './ui.js';

export const CHARTS_CSS = '/console/assets/lib/charts.css';

/** Each at least 3:1 against white (WCAG non-text contrast) and told apart by the legend's text too. */
export const PALETTE = {
  blue: '#0b5cab',
  green: '#1e6b34',
  red: '#b3261e',
  brown: '#7a4b00',
  purple: '#5b3c88',
  teal: '#00676f',
  grey: '#5f6b76',
};
const INK = '#1a1f24';
const TRACK = '#e3e8ed';
const GRID = '#c9d1d9';

/**
 * @typedef {{ caption: string, head: string[], rows: (string | number | Node)[][], numeric?: boolean[] }} ChartTable
 * @typedef {{ showTable: string, hideTable: string }} ToggleLabels
 * @typedef {{ label: string, color: string, kind?: 'swatch' | 'marker' }} LegendItem
 */

/**
 * A horizontal bar chart: one row per item, each bar made of one or more
 * segments, with an optional target marker (a dark vertical line) per row.
 *
 * @param {import('./types.js').HtmlBuilder} h
 * @param {{
 *   title: string,
 *   summary: string,
 *   rows: { label: string, segments: { value: number, color: string }[], target?: number | null, valueText: string }[],
 *   max: number,
 *   ticks?: { value: number, label: string }[],
 *   legend: LegendItem[],
 *   table: ChartTable,
 *   labels: ToggleLabels,
 *   testId?: string,
 * }} spec
 */
export function barChart(h, spec) {
  const width = 560;
  const labelWidth = 184;
  const valueWidth = 72;
  const barX = labelWidth + 8;
  const barWidth = width - barX - valueWidth;
  const fontSize = 15;
  const labels = spec.rows.map((row) => wrapLabel(row.label, Math.floor(labelWidth / (fontSize * 0.52))));
  // Rows grow when a label needs two lines, so the text never has to shrink.
  const rowHeight = labels.some((lines) => lines.length > 1) ? 44 : 34;
  const barHeight = 18;
  const top = spec.ticks?.length ? 26 : 6;
  const height = top + spec.rows.length * rowHeight + 6;
  /** @param {number} v */
  const scale = (v) => (spec.max > 0 ? Math.max(0, Math.min(1, v / spec.max)) * barWidth : 0);
  const titleId = nextId('chart-title');
  const descId = nextId('chart-desc');

  const grid = (spec.ticks ?? []).map((tick) => {
    const x = barX + scale(tick.value);
    return h(
      'g',
      null,
      h('line', { x1: x, x2: x, y1: top - 6, y2: height - 4, stroke: GRID, 'stroke-width': 1 }),
      h('text', { x, y: 14, 'text-anchor': 'middle', 'font-size': 13, fill: INK }, tick.label),
    );
  });

  const rows = spec.rows.map((row, i) => {
    const y = top + i * rowHeight + (rowHeight - barHeight) / 2;
    let x = barX;
    const segments = row.segments.map((segment) => {
      const w = scale(segment.value);
      const rect = h('rect', { x, y, width: w.toFixed(2), height: barHeight, fill: segment.color });
      x += w;
      return rect;
    });
    const target =
      row.target === null || row.target === undefined
        ? null
        : h('line', {
            x1: barX + scale(row.target),
            x2: barX + scale(row.target),
            y1: y - 5,
            y2: y + barHeight + 5,
            stroke: INK,
            'stroke-width': 3,
            'data-target': String(row.target),
          });
    return h(
      'g',
      { 'data-row': row.label },
      labelText(h, labels[i], { x: labelWidth, y: y + barHeight / 2, fontSize }),
      h('rect', { x: barX, y, width: barWidth, height: barHeight, fill: TRACK }),
      segments,
      target,
      h('text', { x: width - valueWidth + 8, y: y + barHeight / 2, 'dominant-baseline': 'central', 'font-size': fontSize, 'font-weight': 700, fill: INK }, row.valueText),
    );
  });

  const svg = h(
    'svg',
    {
      class: 'chart-svg',
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      focusable: 'false',
      preserveAspectRatio: 'xMinYMin meet',
    },
    h('title', { id: titleId }, spec.title),
    h('desc', { id: descId }, spec.summary),
    grid,
    rows,
  );
  return chartFigure(h, spec, svg);
}

/**
 * Splits a label into at most two lines of about `maxChars`, at spaces; what
 * still does not fit ends with "…" (the full text is in the title, summary and table).
 * @param {string} label @param {number} maxChars
 */
export function wrapLabel(label, maxChars) {
  if (label.length <= maxChars) return [label];
  /** @param {string} text */
  const clip = (text) => (text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text);
  // The space where the longer of the two lines is shortest.
  let best = -1;
  for (let i = label.indexOf(' '); i !== -1; i = label.indexOf(' ', i + 1)) {
    if (best === -1 || Math.max(i, label.length - i - 1) < Math.max(best, label.length - best - 1)) best = i;
  }
  if (best === -1) return [clip(label)];
  // The space stays at the end of the first line, so the element's text reads as the whole label.
  return [`${clip(label.slice(0, best))} `, clip(label.slice(best + 1))];
}

/**
 * A right-aligned label of one or two lines, centred on `y`.
 * @param {import('./types.js').HtmlBuilder} h @param {string[]} lines @param {{ x: number, y: number, fontSize: number }} at
 */
function labelText(h, lines, { x, y, fontSize }) {
  const attrs = { x, y, 'text-anchor': 'end', 'dominant-baseline': 'central', 'font-size': fontSize, fill: INK };
  if (lines.length === 1) return h('text', attrs, lines[0]);
  return h('text', attrs, h('tspan', { x, dy: '-0.6em' }, lines[0]), h('tspan', { x, dy: '1.2em' }, lines[1]));
}

/**
 * A donut: one slice per item, the total in the middle.
 *
 * @param {import('./types.js').HtmlBuilder} h
 * @param {{
 *   title: string,
 *   summary: string,
 *   slices: { label: string, value: number, color: string }[],
 *   centerText: string,
 *   legend: LegendItem[],
 *   table: ChartTable,
 *   labels: ToggleLabels,
 *   testId?: string,
 * }} spec
 */
export function donutChart(h, spec) {
  const size = 200;
  const c = size / 2;
  const r = 70;
  const circumference = 2 * Math.PI * r;
  const total = spec.slices.reduce((sum, s) => sum + s.value, 0);
  const titleId = nextId('chart-title');
  const descId = nextId('chart-desc');
  let offset = 0;
  const slices = spec.slices
    .filter((s) => s.value > 0)
    .map((slice) => {
      const length = (slice.value / total) * circumference;
      const circle = h('circle', {
        cx: c,
        cy: c,
        r,
        fill: 'none',
        stroke: slice.color,
        'stroke-width': 34,
        'stroke-dasharray': `${length.toFixed(3)} ${(circumference - length).toFixed(3)}`,
        'stroke-dashoffset': (-offset).toFixed(3),
        transform: `rotate(-90 ${c} ${c})`,
      });
      offset += length;
      return circle;
    });
  const svg = h(
    'svg',
    { class: 'chart-svg chart-donut', viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, focusable: 'false' },
    h('title', { id: titleId }, spec.title),
    h('desc', { id: descId }, spec.summary),
    h('circle', { cx: c, cy: c, r, fill: 'none', stroke: TRACK, 'stroke-width': 34 }),
    slices,
    h('text', { x: c, y: c, 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': 34, 'font-weight': 700, fill: INK }, spec.centerText),
  );
  return chartFigure(h, spec, svg);
}

/**
 * The chart, its legend, and the table with the same numbers behind a toggle.
 * @param {import('./types.js').HtmlBuilder} h
 * @param {{ legend: LegendItem[], table: ChartTable, labels: ToggleLabels, testId?: string }} spec
 * @param {SVGSVGElement} svg
 */
function chartFigure(h, spec, svg) {
  const tableId = nextId('chart-table');
  const numeric = spec.table.numeric ?? [];
  const table = h(
    'div',
    { class: 'chart-table sr-only', id: tableId, 'data-chart-table': '' },
    h(
      'table',
      { class: 'data' },
      h('caption', null, spec.table.caption),
      h('thead', null, h('tr', null, spec.table.head.map((label, i) => h('th', { scope: 'col', class: numeric[i] ? 'num' : null }, label)))),
      h(
        'tbody',
        null,
        spec.table.rows.map((cells) =>
          h(
            'tr',
            null,
            cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', { class: numeric[i] ? 'num' : null }, cell))),
          ),
        ),
      ),
    ),
  );
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-plain chart-toggle',
      // Expanded, not pressed: the label already changes ("show"/"hide"), and "pressed" would contradict it.
      'aria-expanded': 'false',
      'aria-controls': tableId,
      'on:click': () => {
        const show = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(show));
        toggle.textContent = show ? spec.labels.hideTable : spec.labels.showTable;
        table.classList.toggle('sr-only', !show);
      },
    },
    spec.labels.showTable,
  );
  const legend = h(
    'ul',
    { class: 'chart-legend' },
    spec.legend.map((item) =>
      h(
        'li',
        null,
        h('span', { class: item.kind === 'marker' ? 'chart-key chart-key-marker' : 'chart-key', style: `--key: ${item.color}`, 'aria-hidden': 'true' }),
        item.label,
      ),
    ),
  );
  return h('figure', { class: 'chart', 'data-testid': spec.testId }, svg, legend, toggle, table);
}

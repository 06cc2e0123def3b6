/** Horizontal bar charts in plain SVG, coloured only through CSS classes that use --vscode-* variables. */
import { s } from './dom';
import { linearScale, logScale, type Scale } from './model/scale';

export interface BarSeries {
  name: string;
  /** CSS class of the bars (series-1 .. series-4, see media/dashboard.css). */
  cls: string;
}

export interface BarGroup {
  label: string;
  values: Array<number | undefined>;
  /** Shown instead of bars when the group has no values (e.g. "unavailable: ..."). */
  note?: string;
  highlight?: boolean;
  /** Per-value extra class (e.g. "over" for drift beyond tolerance). */
  valueClass?: Array<string | undefined>;
}

export interface BarChartOptions {
  title: string;
  series: BarSeries[];
  groups: BarGroup[];
  format: (value: number) => string;
  width?: number;
  /** Log scale (for errors spanning orders of magnitude). */
  log?: boolean;
  /** A vertical marker, e.g. the parity tolerance. */
  marker?: { value: number; label: string };
}

const LABEL_W = 180;
const VALUE_W = 86;
const BAR_H = 12;
const GROUP_GAP = 10;
const TOP = 26;
const AXIS_H = 22;

export function barChart(options: BarChartOptions): SVGSVGElement {
  const width = options.width ?? 640;
  const plotW = width - LABEL_W - VALUE_W;
  const n = Math.max(1, options.series.length);
  const groupH = n * BAR_H + GROUP_GAP;
  const height = TOP + options.groups.length * groupH + AXIS_H;
  const values = options.groups.flatMap((g) => g.values).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (options.marker) values.push(options.marker.value);
  const max = values.length ? Math.max(...values) : 1;
  const positive = values.filter((v) => v > 0);
  const scale: Scale = options.log ? logScale(positive.length ? Math.min(...positive) : 1e-6, max, plotW) : linearScale(max, plotW);

  const description = options.groups
    .map((g) => `${g.label}: ${g.note ?? g.values.map((v, i) => `${options.series[i]?.name ?? ''} ${v === undefined ? 'n/a' : options.format(v)}`).join(', ')}`)
    .join('; ');
  const svg = s('svg', {
    class: 'chart',
    role: 'img',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    'aria-label': `${options.title}. ${description}`,
  }) as SVGSVGElement;
  svg.append(s('title', {}, options.title));

  // Legend (only when several series share a group).
  if (options.series.length > 1) {
    let x = LABEL_W;
    for (const series of options.series) {
      svg.append(s('rect', { x, y: 6, width: 10, height: 10, class: `bar ${series.cls}` }));
      svg.append(s('text', { x: x + 14, y: 15, class: 'legend' }, series.name));
      x += 18 + series.name.length * 7 + 14;
    }
  }

  const axisY = TOP + options.groups.length * groupH;
  // Log axes can span many decades: label every k-th tick so labels never overlap.
  const every = Math.max(1, Math.ceil(scale.ticks.length / 6));
  scale.ticks.forEach((tick, i) => {
    const x = LABEL_W + scale(tick);
    svg.append(s('line', { x1: x, x2: x, y1: TOP - 4, y2: axisY, class: 'grid' }));
    if (i % every === 0) svg.append(s('text', { x, y: axisY + 15, class: 'tick', 'text-anchor': 'middle' }, options.format(tick)));
  });

  options.groups.forEach((group, gi) => {
    const y0 = TOP + gi * groupH;
    const label = s('text', { x: LABEL_W - 8, y: y0 + (n * BAR_H) / 2 + 4, class: group.highlight ? 'label best' : 'label', 'text-anchor': 'end' }, truncate(group.label, 26));
    label.append(s('title', {}, group.label));
    svg.append(label);
    if (group.note !== undefined && group.values.every((v) => v === undefined)) {
      svg.append(s('text', { x: LABEL_W + 4, y: y0 + (n * BAR_H) / 2 + 4, class: 'note' }, truncate(group.note, 70)));
      return;
    }
    group.values.forEach((value, si) => {
      if (value === undefined || !Number.isFinite(value)) return;
      const y = y0 + si * BAR_H;
      const w = Math.max(1, scale(value));
      const cls = ['bar', options.series[si]?.cls ?? 'series-1', group.valueClass?.[si] ?? ''].join(' ').trim();
      const bar = s('rect', { x: LABEL_W, y: y + 1, width: w, height: BAR_H - 2, class: cls });
      bar.append(s('title', {}, `${group.label} ${options.series[si]?.name ?? ''}: ${options.format(value)}`));
      svg.append(bar);
      svg.append(s('text', { x: LABEL_W + w + 4, y: y + BAR_H - 2, class: 'value' }, options.format(value)));
    });
  });
  svg.append(s('line', { x1: LABEL_W, x2: LABEL_W + plotW, y1: axisY, y2: axisY, class: 'axis' }));

  if (options.marker) {
    const x = LABEL_W + scale(options.marker.value);
    svg.append(s('line', { x1: x, x2: x, y1: TOP - 8, y2: axisY, class: 'marker' }));
    svg.append(s('text', { x: x + 4, y: TOP - 10, class: 'marker-label' }, options.marker.label));
  }
  return svg;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

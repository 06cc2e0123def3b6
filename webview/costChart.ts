/**
 * The latency–cost chart of the Compare page, in plain SVG: one point per compared row that has both figures,
 * the Pareto front (rows nothing else beats on both) joined by a line, the winner ringed. Coloured only through
 * CSS classes (strict CSP: no inline styles).
 */
import type { TargetChoice } from '../src/run/choose';
import { formatMoney } from '../src/run/cost';
import { s } from './dom';
import { linearScale } from './model/scale';
import { formatMs } from './model/format';

const LEFT = 64;
const RIGHT = 150;
const TOP = 16;
const BOTTOM = 44;

const SPEED_AXIS: Record<NonNullable<TargetChoice['speedMetric']>, string> = {
  p50: 'p50 latency',
  wall: 'wall time',
  throughput: 'time per item',
};

export function latencyCostChart(choice: TargetChoice, width = 640, height = 320): SVGSVGElement {
  const points = choice.points;
  const currency = choice.currency ?? '';
  const plotW = width - LEFT - RIGHT;
  const plotH = height - TOP - BOTTOM;
  const x = linearScale(Math.max(...points.map((p) => p.cost), 0), plotW);
  const y = linearScale(Math.max(...points.map((p) => p.speed), 0), plotH);
  const px = (cost: number) => LEFT + x(cost);
  const py = (speed: number) => TOP + plotH - y(speed);
  const money = (v: number) => formatMoney(v, currency);
  const costAxis = `cost ${choice.costBasis === 'per run' ? 'per run' : 'per 1,000 inferences'} (${currency})`;
  const speedAxis = SPEED_AXIS[choice.speedMetric ?? 'p50'];
  const description = points.map((p) => `${p.label}: ${formatMs(p.speed)}, ${money(p.cost)}${p.onFront ? ', on the Pareto front' : ''}${p.eligible ? '' : ', left out'}`).join('; ');
  const svg = s('svg', {
    class: 'chart latency-cost', role: 'img', viewBox: `0 0 ${width} ${height}`, width, height,
    'aria-label': `Latency against cost, lower left is better. ${description}`,
  }) as SVGSVGElement;
  svg.append(s('title', {}, `${speedAxis} against ${costAxis}`));

  for (const tick of x.ticks) {
    svg.append(s('line', { x1: px(tick), x2: px(tick), y1: TOP, y2: TOP + plotH, class: 'grid' }));
    svg.append(s('text', { x: px(tick), y: TOP + plotH + 15, class: 'tick', 'text-anchor': 'middle' }, tick === 0 ? '0' : money(tick).replace(` ${currency}`, '')));
  }
  for (const tick of y.ticks) {
    svg.append(s('line', { x1: LEFT, x2: LEFT + plotW, y1: py(tick), y2: py(tick), class: 'grid' }));
    svg.append(s('text', { x: LEFT - 6, y: py(tick) + 4, class: 'tick', 'text-anchor': 'end' }, tick === 0 ? '0' : formatMs(tick)));
  }
  svg.append(s('line', { x1: LEFT, x2: LEFT + plotW, y1: TOP + plotH, y2: TOP + plotH, class: 'axis' }));
  svg.append(s('line', { x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + plotH, class: 'axis' }));
  svg.append(s('text', { x: LEFT + plotW / 2, y: height - 8, class: 'axis-title', 'text-anchor': 'middle' }, `${costAxis} →`));
  svg.append(s('text', { x: 12, y: TOP + plotH / 2, class: 'axis-title', 'text-anchor': 'middle', transform: `rotate(-90 12 ${TOP + plotH / 2})` }, `${speedAxis} →`));

  // The front as a staircase from the fastest to the cheapest: everything above and to the right of it is beaten.
  const front = points.filter((p) => p.onFront).sort((a, b) => a.cost - b.cost);
  if (front.length > 1) {
    const path = front.map((p, i) => `${i ? 'L' : 'M'}${px(p.cost).toFixed(1)},${py(p.speed).toFixed(1)}`).join(' ');
    svg.append(s('path', { d: path, class: 'pareto' }));
  }
  for (const p of points) {
    const cls = ['point', p.onFront ? 'front' : p.eligible ? 'dominated' : 'left-out', p.key === choice.best ? 'winner' : ''].join(' ').trim();
    const group = s('g', { class: cls, 'data-key': p.key });
    if (p.key === choice.best) group.append(s('circle', { cx: px(p.cost), cy: py(p.speed), r: 9, class: 'ring' }));
    group.append(s('circle', { cx: px(p.cost), cy: py(p.speed), r: 5, class: 'dot' }));
    group.append(s('text', { x: px(p.cost) + 10, y: py(p.speed) + 4, class: p.key === choice.best ? 'label best' : 'label' }, truncate(p.label, 22)));
    group.append(s('title', {}, `${p.label}: ${formatMs(p.speed)} ${speedAxis}, ${money(p.cost)}${p.onFront ? ' — on the Pareto front' : p.eligible ? ' — another target is faster and cheaper' : ' — left out (see the banner)'}`));
    svg.append(group);
  }
  return svg;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

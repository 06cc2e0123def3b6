/**
 * The latency–cost chart of the Compare page, in plain SVG: one point per compared row that has both figures,
 * the Pareto front (rows nothing else beats on both) joined by a line, the winner ringed. Both axes are
 * logarithmic: targets differ by factors, and a linear axis piles the fast ones into one corner. Coloured only
 * through CSS classes (strict CSP: no inline styles).
 */
import type { TargetChoice } from '../src/run/choose';
import { formatMoney } from '../src/run/cost';
import { s } from './dom';
import { logScale } from './model/scale';
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

const LABEL_H = 13;

/** Moves each label down (then up) until it overlaps no label placed before it. */
function placeLabels(items: Array<{ x: number; y: number; width: number }>): number[] {
  const placed: Array<{ x: number; y: number; width: number }> = [];
  return items.map((item) => {
    const clashes = (y: number) => placed.some((p) => Math.abs(p.y - y) < LABEL_H && item.x < p.x + p.width && p.x < item.x + item.width);
    let y = item.y;
    for (let step = 1; clashes(y) && step < 12; step++) y = item.y + (step % 2 ? 1 : -1) * Math.ceil(step / 2) * LABEL_H;
    placed.push({ ...item, y });
    return y;
  });
}

export function latencyCostChart(choice: TargetChoice, width = 640, height = 340): SVGSVGElement {
  const points = choice.points;
  const currency = choice.currency ?? '';
  const plotW = width - LEFT - RIGHT;
  const plotH = height - TOP - BOTTOM;
  const positive = (values: number[]) => values.filter((v) => v > 0);
  const costs = positive(points.map((p) => p.cost));
  const speeds = positive(points.map((p) => p.speed));
  const x = logScale(costs.length ? Math.min(...costs) : 1e-4, costs.length ? Math.max(...costs) : 1, plotW);
  const y = logScale(speeds.length ? Math.min(...speeds) : 0.1, speeds.length ? Math.max(...speeds) : 1, plotH);
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
    svg.append(s('text', { x: px(tick), y: TOP + plotH + 15, class: 'tick', 'text-anchor': 'middle' }, money(tick).replace(` ${currency}`, '')));
  }
  for (const tick of y.ticks) {
    svg.append(s('line', { x1: LEFT, x2: LEFT + plotW, y1: py(tick), y2: py(tick), class: 'grid' }));
    svg.append(s('text', { x: LEFT - 6, y: py(tick) + 4, class: 'tick', 'text-anchor': 'end' }, formatMs(tick)));
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
  // Winner and front first, so their labels keep their places and the others move.
  const order = [...points].sort((a, b) => Number(b.key === choice.best) - Number(a.key === choice.best) || Number(b.onFront) - Number(a.onFront));
  const labelY = placeLabels(order.map((p) => ({ x: px(p.cost) + 10, y: py(p.speed) + 4, width: Math.min(22, p.label.length) * 6.2 })));
  order.forEach((p, i) => {
    const cls = ['point', p.onFront ? 'front' : p.eligible ? 'dominated' : 'left-out', p.key === choice.best ? 'winner' : ''].join(' ').trim();
    const group = s('g', { class: cls, 'data-key': p.key });
    if (p.key === choice.best) group.append(s('circle', { cx: px(p.cost), cy: py(p.speed), r: 9, class: 'ring' }));
    group.append(s('circle', { cx: px(p.cost), cy: py(p.speed), r: 5, class: 'dot' }));
    if (Math.abs(labelY[i] - (py(p.speed) + 4)) > 1) group.append(s('line', { x1: px(p.cost) + 5, y1: py(p.speed), x2: px(p.cost) + 9, y2: labelY[i] - 4, class: 'leader' }));
    group.append(s('text', { x: px(p.cost) + 10, y: labelY[i], class: p.key === choice.best ? 'label best' : 'label' }, truncate(p.label, 22)));
    group.append(s('title', {}, `${p.label}: ${formatMs(p.speed)} ${speedAxis}, ${money(p.cost)}${p.onFront ? ' — on the Pareto front' : p.eligible ? ' — another target is faster and cheaper' : ' — left out (see the banner)'}`));
    svg.append(group);
  });
  return svg;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Chart scales for the plain-SVG charts. Pure. */

/** Round tick values (1, 2, 5 × 10^n) covering [0, max]. */
export function niceTicks(max: number, approxCount = 5): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const rough = max / Math.max(1, approxCount);
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export interface Scale {
  (value: number): number;
  ticks: number[];
  domain: [number, number];
}

/** Maps [0, niceMax] onto [0, rangePx]. */
export function linearScale(maxValue: number, rangePx: number, approxTicks = 5): Scale {
  const ticks = niceTicks(maxValue, approxTicks);
  const top = ticks[ticks.length - 1];
  const scale = ((value: number) => (Number.isFinite(value) ? (Math.max(0, value) / top) * rangePx : 0)) as Scale;
  scale.ticks = ticks;
  scale.domain = [0, top];
  return scale;
}

/** Log10 scale for errors that span orders of magnitude (parity drift). Zero and negatives clamp to the bottom. */
export function logScale(minValue: number, maxValue: number, rangePx: number): Scale {
  const lo = Math.floor(Math.log10(Math.max(minValue, 1e-12)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(maxValue, 1e-12))));
  const scale = ((value: number) => {
    if (!(value > 0)) return 0;
    const clamped = Math.min(Math.max(Math.log10(value), lo), hi);
    return ((clamped - lo) / (hi - lo)) * rangePx;
  }) as Scale;
  scale.ticks = [];
  for (let p = lo; p <= hi; p++) scale.ticks.push(Number(`1e${p}`));
  scale.domain = [Number(`1e${lo}`), Number(`1e${hi}`)];
  return scale;
}

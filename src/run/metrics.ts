import type { OutputSummary, RunMetrics, ShimReport } from './record';

/** One protocol line: `PORTA_<KIND> <json>` (docs/run-protocol.md). */
export interface ProtocolLine {
  kind: string;
  payload: Record<string, unknown>;
}

const LINE = /^PORTA_([A-Z]+(?:_[A-Z]+)*) (\{.*\})\s*$/;

export function parseProtocolLine(line: string): ProtocolLine | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  try {
    const payload: unknown = JSON.parse(match[2]);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    return { kind: match[1], payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

export interface Metric {
  name: string;
  value: number;
  unit?: string;
}

/** A `PORTA_METRIC {"name": ..., "value": ...}` line, or undefined for anything else (including malformed JSON). */
export function parseMetricLine(line: string): Metric | undefined {
  const parsed = parseProtocolLine(line);
  if (!parsed || parsed.kind !== 'METRIC') return undefined;
  const { name, value, unit } = parsed.payload;
  if (typeof name !== 'string' || !name || typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return typeof unit === 'string' ? { name, value, unit } : { name, value };
}

/** Well-known names fill RunMetrics fields; everything else goes to `custom`. */
export function applyMetric(metrics: RunMetrics, metric: Metric): void {
  switch (metric.name) {
    case 'wall_ms': metrics.wallMs = metric.value; return;
    case 'startup_ms': metrics.startupMs = metric.value; return;
    case 'peak_memory_bytes': metrics.peakMemoryBytes = metric.value; return;
    case 'throughput': metrics.throughput = metric.value; return;
    default:
      metrics.custom = { ...metrics.custom, [metric.name]: metric.value };
  }
}

const RESULT_LINE = /^RESULT((?:\s+[A-Za-z_][\w.-]*=\S+)+)\s*$/;

/**
 * A script's own result line, `RESULT key=value ...` (the convention of Porta's examples and a common one in
 * training scripts): numbers become custom metrics, anything else (e.g. `top1=3,1,4`) an output whose literal
 * text is its checksum, so runs on different targets can be compared value by value.
 */
export function parseResultLine(line: string): { metrics: Metric[]; outputs: OutputSummary[] } | undefined {
  const match = RESULT_LINE.exec(line);
  if (!match) return undefined;
  const metrics: Metric[] = [];
  const outputs: OutputSummary[] = [];
  for (const pair of match[1].trim().split(/\s+/)) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const text = pair.slice(at + 1);
    const value = Number(text);
    if (text !== '' && Number.isFinite(value)) {
      metrics.push({ name, value });
      continue;
    }
    const parts = text.split(',').map(Number);
    const numeric = parts.every((n) => Number.isFinite(n));
    outputs.push({ name, shape: numeric ? [parts.length] : [], checksum: text, ...(numeric ? { head: parts.slice(0, 16) } : {}) });
  }
  return { metrics, outputs };
}

/** Records a script's RESULT line; a later RESULT line replaces an earlier one's outputs of the same name. */
export function applyResult(metrics: RunMetrics, result: { metrics: Metric[]; outputs: OutputSummary[] }): void {
  for (const metric of result.metrics) metrics.custom = { ...metrics.custom, [metric.name]: metric.value };
  if (result.outputs.length === 0) return;
  const names = new Set(result.outputs.map((o) => o.name));
  metrics.outputs = [...(metrics.outputs ?? []).filter((o) => !names.has(o.name)), ...result.outputs];
}

/** Longer lines are cut to this many characters: protocol lines are short, and a 200 MB line must not be held whole. */
export const MAX_LINE = 1 << 20;

/**
 * Splits a byte stream into complete lines, keeping the unfinished tail for the next chunk. Each chunk is scanned
 * once (the tail is not re-split with every chunk, which made one long line quadratic), and a line keeps at most
 * MAX_LINE characters.
 */
export class LineSplitter {
  private parts: string[] = [];
  private kept = 0;

  push(chunk: string): string[] {
    const lines: string[] = [];
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      this.keep(chunk.slice(from, Math.min(nl, from + MAX_LINE)));
      lines.push(this.take());
      from = nl + 1;
    }
    if (from < chunk.length) this.keep(chunk.slice(from, from + MAX_LINE));
    return lines;
  }

  private keep(piece: string): void {
    const room = MAX_LINE - this.kept;
    if (room <= 0 || piece.length === 0) return;
    const kept = piece.length > room ? piece.slice(0, room) : piece;
    this.parts.push(kept);
    this.kept += kept.length;
  }

  private take(): string {
    const line = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.kept = 0;
    return line;
  }

  flush(): string[] {
    const rest = this.take();
    return rest ? [rest] : [];
  }
}

/** The shim's `PORTA_SHIM_REPORT` payload as a ShimReport; entries of the wrong kind are dropped, never fatal. */
export function shimReportOf(payload: Record<string, unknown>): ShimReport {
  const translated: Record<string, number> = {};
  const calls = payload.translated;
  if (calls && typeof calls === 'object' && !Array.isArray(calls)) {
    for (const [name, count] of Object.entries(calls)) if (typeof count === 'number' && Number.isFinite(count)) translated[name] = count;
  }
  const fallbacks = Array.isArray(payload.fallbacks) ? payload.fallbacks.filter((f): f is string => typeof f === 'string') : [];
  return { device: typeof payload.device === 'string' ? payload.device : '', translated, fallbacks };
}

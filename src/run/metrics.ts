import type { RunMetrics } from './record';

/** One protocol line: `PORTA_<KIND> <json>` (docs/run-protocol.md). */
export interface ProtocolLine {
  kind: string;
  payload: Record<string, unknown>;
}

const LINE = /^PORTA_([A-Z]+) (\{.*\})\s*$/;

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

/** Splits a byte stream into complete lines, keeping the unfinished tail for the next chunk. */
export class LineSplitter {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }
  flush(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest ? [rest] : [];
  }
}

/** Exports of a comparison: a markdown table to paste into a pull request, CSV for spreadsheets, JSON for tools. Pure. */
import type { Comparison, ComparisonRow } from './compare';
import type { ExportFormat } from '../../src/protocol';

interface Column {
  header: string;
  value: (row: ComparisonRow, comparison: Comparison) => string | number | undefined;
}

const num = (v: number | undefined, digits = 3): number | undefined => (v === undefined || !Number.isFinite(v) ? undefined : Number(v.toFixed(digits)));

const COLUMNS: Column[] = [
  { header: 'Target', value: (r) => r.target },
  { header: 'Backend', value: (r) => r.backend },
  { header: 'Provider', value: (r) => r.provider },
  { header: 'Run', value: (r) => r.runId },
  { header: 'Status', value: (r) => (r.available ? r.status : `unavailable: ${r.reason ?? r.status}`) },
  { header: 'p50 ms', value: (r) => num(r.latency?.p50) },
  { header: 'p90 ms', value: (r) => num(r.latency?.p90) },
  { header: 'p99 ms', value: (r) => num(r.latency?.p99) },
  { header: 'Throughput /s', value: (r) => num(r.throughput, 1) },
  { header: 'Peak memory MiB', value: (r) => num(r.peakMemoryBytes === undefined ? undefined : r.peakMemoryBytes / 1048576, 1) },
  { header: 'Max abs error', value: (r) => (r.maxAbsError === undefined ? undefined : Number.isFinite(r.maxAbsError) ? r.maxAbsError.toExponential(2) : 'mismatch') },
  { header: 'Parity', value: (r, c) => (r.key === c.referenceKey ? 'reference' : r.withinTolerance === undefined ? '' : r.withinTolerance ? 'ok' : 'DRIFT') },
  { header: 'Best', value: (r, c) => (c.best?.row.key === r.key ? 'yes' : '') },
];

const cell = (v: string | number | undefined): string => (v === undefined ? '' : String(v));

export function toMarkdown(comparison: Comparison): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `| ${COLUMNS.map((c) => c.header).join(' | ')} |`,
    `| ${COLUMNS.map((c) => (c.header.endsWith('ms') || c.header.includes('/s') || c.header.includes('MiB') ? '---:' : '---')).join(' | ')} |`,
    ...comparison.rows.map((r) => `| ${COLUMNS.map((c) => escape(cell(c.value(r, comparison)))).join(' | ')} |`),
  ];
  const notes = [`Tolerance: max abs error ≤ ${comparison.tolerance}.`];
  if (comparison.best) notes.unshift(`**${comparison.best.summary}**`);
  return `${lines.join('\n')}\n\n${notes.join(' ')}\n`;
}

/** RFC 4180: quote fields with commas, quotes or newlines; CRLF line ends. */
export function toCsv(comparison: Comparison): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [COLUMNS.map((c) => quote(c.header)).join(','), ...comparison.rows.map((r) => COLUMNS.map((c) => quote(cell(c.value(r, comparison)))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(comparison: Comparison, generatedAt: string): string {
  const rows = comparison.rows.map((r) => ({
    key: r.key,
    runId: r.runId,
    label: r.label,
    target: r.target,
    backend: r.backend,
    provider: r.provider ?? null,
    status: r.status,
    available: r.available,
    reason: r.reason ?? null,
    latencyMs: r.latency ?? null,
    throughput: r.throughput ?? null,
    peakMemoryBytes: r.peakMemoryBytes ?? null,
    wallMs: r.wallMs ?? null,
    parity: r.parity.map((p) => ({ ...p, maxAbsError: Number.isFinite(p.maxAbsError) ? p.maxAbsError : null })),
    withinTolerance: r.withinTolerance ?? null,
  }));
  const best = comparison.best ? { key: comparison.best.row.key, metric: comparison.best.metric, summary: comparison.best.summary, margin: comparison.best.margin ?? null } : null;
  return `${JSON.stringify({ version: 1, generatedAt, tolerance: comparison.tolerance, reference: comparison.referenceKey ?? null, best, rows }, null, 2)}\n`;
}

export function exportComparison(comparison: Comparison, format: ExportFormat, generatedAt: string): string {
  return format === 'markdown' ? toMarkdown(comparison) : format === 'csv' ? toCsv(comparison) : toJson(comparison, generatedAt);
}

export function exportFileName(format: ExportFormat): string {
  return `porta-comparison.${format === 'markdown' ? 'md' : format}`;
}

import type { Comparison, CompareRow } from './compare';

const num = (v: number | undefined, digits = 3) => (v === undefined ? '-' : v < 1 ? v.toFixed(digits) : v < 100 ? v.toFixed(2) : v.toFixed(0));
const times = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}x`);
const mib = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 1048576).toFixed(1));

function outputsCell(row: CompareRow, reference: string | undefined): string {
  if (row.key === reference) return 'reference';
  if (!row.available) return row.reason ? `n/a: ${row.reason}` : 'n/a';
  const checks = row.vsReference?.outputs ?? [];
  if (!checks.length) return '-';
  const worst = Math.max(...checks.map((c) => c.maxAbsError));
  const sums = checks.every((c) => c.source === 'recorded')
    ? 'recorded parity vs its CPU provider'
    : checks.every((c) => c.checksumMatch) ? 'checksums equal' : 'checksums differ';
  return `${row.vsReference?.withinTolerance ? 'ok' : 'DRIFT'} (${sums}, max abs ${worst === Infinity ? 'inf' : worst.toExponential(1)})`;
}

function cells(comparison: Comparison): string[][] {
  const header = ['run', 'target/provider', 'status', 'p50 ms', 'p90 ms', 'p99 ms', 'inf/s', 'peak MiB', 'p50 vs ref', 'inf/s vs ref', 'outputs vs ref'];
  const rows = comparison.rows.map((r) => [
    r.runId, r.label, r.available ? r.status : 'unavailable', num(r.latency?.p50), num(r.latency?.p90), num(r.latency?.p99),
    num(r.throughput, 1), mib(r.peakMemoryBytes), times(r.vsReference?.latencyRatio), times(r.vsReference?.throughputRatio),
    outputsCell(r, comparison.reference),
  ]);
  return [header, ...rows];
}

/** Aligned columns for a terminal. */
export function formatComparisonText(comparison: Comparison): string {
  const table = cells(comparison);
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const lines = table.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  lines.push('', `reference: ${comparison.reference ?? 'none (no run produced figures)'}; tolerance atol ${comparison.tolerance.atol}, rtol ${comparison.tolerance.rtol}`);
  if (comparison.missing.length) lines.push(`not found: ${comparison.missing.join(', ')}`);
  return lines.join('\n') + '\n';
}

/** A GitHub-flavoured markdown table. */
export function formatComparisonMarkdown(comparison: Comparison): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const [header, ...rows] = cells(comparison);
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i >= 3 && i <= 9 ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
    '',
    `Reference: \`${comparison.reference ?? 'none'}\`; tolerance atol ${comparison.tolerance.atol}, rtol ${comparison.tolerance.rtol}. ` +
      'Outputs are compared on the values each record keeps (a digest and the leading values of each output).',
  ];
  if (comparison.missing.length) lines.push('', `Not found: ${comparison.missing.map((m) => `\`${m}\``).join(', ')}`);
  return lines.join('\n') + '\n';
}

/** RFC 4180 CSV of the same cells as the tables (quoted where needed, CRLF line ends), for spreadsheets. */
export function formatComparisonCsv(comparison: Comparison): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return cells(comparison).map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** The Comparison itself, for tools (non-finite errors become null, as JSON has no Infinity). */
export function formatComparisonJson(comparison: Comparison): string {
  return JSON.stringify(comparison, null, 2) + '\n';
}

export type ComparisonFormat = 'text' | 'markdown' | 'csv' | 'json';
export const COMPARISON_FORMATS: readonly ComparisonFormat[] = ['text', 'markdown', 'csv', 'json'];

/** One entry point for every format, so `porta compare` and the dashboard export the same bytes. */
export function formatComparison(comparison: Comparison, format: ComparisonFormat): string {
  switch (format) {
    case 'markdown': return formatComparisonMarkdown(comparison);
    case 'csv': return formatComparisonCsv(comparison);
    case 'json': return formatComparisonJson(comparison);
    default: return formatComparisonText(comparison);
  }
}

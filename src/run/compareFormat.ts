import type { TargetChoice } from './choose';
import type { Comparison, CompareRow, MetricCheck } from './compare';
import { printable } from '../core/printable';
import { formatMoney } from './cost';

const num = (v: number | undefined, digits = 3) => (v === undefined ? '-' : v < 1 ? v.toFixed(digits) : v < 100 ? v.toFixed(2) : v.toFixed(0));
const times = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(2)}x`);
const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(ms < 10000 ? 3 : 1));
const signed = (v: number) => (v === 0 ? '0' : `${v > 0 ? '+' : ''}${Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(1) : Number(v.toPrecision(4)).toString()}`);
/** A reported value as the script printed it, give or take float noise. */
const exact = (v: number) => String(Number(v.toPrecision(10)));
const mib = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 1048576).toFixed(1));

function outputsCell(row: CompareRow, reference: string | undefined): string {
  if (row.key === reference) return 'reference';
  if (!row.available) return row.reason ? `n/a: ${row.reason}` : 'n/a';
  const checks = row.vsReference?.outputs ?? [];
  const metrics = row.vsReference?.metrics ?? [];
  if (!checks.length && !metrics.length) return '-';
  const parts: string[] = [];
  const drifting = metrics.filter((m) => !m.withinTolerance);
  if (metrics.length) parts.push(drifting.length ? `${drifting.map((m) => `${m.name} ${signed(m.diff)}`).join(', ')}` : `${metrics.length} metric${metrics.length > 1 ? 's' : ''} match`);
  if (checks.length) {
    const worst = Math.max(...checks.map((c) => c.maxAbsError));
    const sums = checks.every((c) => c.source === 'recorded')
      ? 'recorded parity vs its CPU provider'
      : checks.every((c) => c.checksumMatch) ? 'checksums equal' : 'checksums differ';
    parts.push(`${sums}, max abs ${worst === Infinity ? 'inf' : worst.toExponential(1)}`);
  }
  return `${row.vsReference?.withinTolerance ? 'ok' : 'DRIFT'} (${parts.join('; ')})`;
}

/**
 * The whole run's cost (a benchmark's provider rows share it); "no price" when its target has none, never 0. A
 * provider that could not run shows none: the run's cost is not its doing.
 */
function runCostCell(row: CompareRow): string {
  if (!row.available) return '-';
  return row.cost ? formatMoney(row.cost.amount, row.cost.currency) : 'no price';
}

function per1kCell(row: CompareRow): string {
  if (row.costPer1kInferences !== undefined && row.cost) return formatMoney(row.costPer1kInferences, row.cost.currency);
  return row.available && !row.cost && row.throughput !== undefined ? 'no price' : '-';
}

function cells(comparison: Comparison): string[][] {
  const header = ['run', 'target/provider', 'status', 'p50 ms', 'p90 ms', 'p99 ms', 'inf/s', 'peak MiB', 'wall s', 'run cost', 'cost/1k inf', 'p50 vs ref', 'inf/s vs ref', 'wall vs ref', 'outputs vs ref'];
  const rows = comparison.rows.map((r) => [
    r.runId, r.label, r.available ? r.status : 'unavailable', num(r.latency?.p50), num(r.latency?.p90), num(r.latency?.p99),
    num(r.throughput, 1), mib(r.peakMemoryBytes), seconds(r.wallMs), runCostCell(r), per1kCell(r), times(r.vsReference?.latencyRatio), times(r.vsReference?.throughputRatio),
    times(r.vsReference?.wallRatio), outputsCell(r, comparison.reference),
  ]);
  return [header, ...rows];
}

/** Columns of the right-aligned (numeric) cells in `cells`. */
const NUMERIC_COLUMNS = new Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);

/** The best-target line and the rows left out, or nothing when no choice was made. */
function choiceLines(choice: TargetChoice | undefined, bullet: (label: string, why: string) => string): string[] {
  if (!choice) return [];
  const lines = [`best target (objective ${choice.objective}): ${choice.bestLabel ?? 'none'}. ${choice.reason}`];
  if (choice.pareto.length) lines.push(`latency–cost Pareto front (${choice.costBasis}, ${choice.currency}): ${choice.points.filter((p) => p.onFront).map((p) => p.label).join(', ')}`);
  if (choice.excluded.length) lines.push('left out:', ...choice.excluded.map((e) => bullet(e.label, e.why)));
  return lines;
}

/** Costs in different currencies are shown as they are, never summed or compared: say so when it happens. */
function currencyNote(comparison: Comparison): string[] {
  const currencies = [...new Set(comparison.rows.flatMap((r) => (r.cost ? [r.cost.currency] : [])))];
  return currencies.length > 1 ? [`note: costs are in ${currencies.join(' and ')}; Porta does not convert or compare across currencies`] : [];
}

/** One line per accuracy metric of each compared row (a script's RESULT values), or nothing when no row has any. */
function metricCells(comparison: Comparison): string[][] {
  const rows = comparison.rows.flatMap((r) => (r.vsReference?.metrics ?? []).map((m: MetricCheck) => [
    r.runId, r.label, m.name, exact(m.value), exact(m.reference), signed(m.diff), m.withinTolerance ? 'ok' : 'DRIFT',
  ]));
  return rows.length ? [['run', 'target/provider', 'metric', 'value', 'reference', 'diff', 'vs ref'], ...rows] : [];
}

function aligned(table: string[][]): string[] {
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

/**
 * Labels, target names, errors and metric names come from run records, which a script or a hostile file may have
 * written: terminal and markdown output show their control characters as escapes (JSON and CSV keep the exact text).
 */
const shown = (table: string[][]): string[][] => table.map((r) => r.map(printable));

/** Aligned columns for a terminal. */
export function formatComparisonText(comparison: Comparison): string {
  const lines = aligned(shown(cells(comparison)));
  const metrics = shown(metricCells(comparison));
  if (metrics.length) lines.push('', 'metrics vs reference (|diff| <= atol + rtol*|reference|):', ...aligned(metrics));
  lines.push('', `reference: ${comparison.reference ?? 'none (no run produced figures)'}; tolerance atol ${comparison.tolerance.atol}, rtol ${comparison.tolerance.rtol}`);
  lines.push(...currencyNote(comparison));
  if (comparison.missing.length) lines.push(`not found: ${comparison.missing.join(', ')}`);
  const choice = choiceLines(comparison.choice, (label, why) => `  ${label}: ${why}`);
  if (choice.length) lines.push('', ...choice);
  return lines.map(printable).join('\n') + '\n';
}

/** A GitHub-flavoured markdown table. */
export function formatComparisonMarkdown(comparison: Comparison): string {
  const escape = (s: string) => printable(s).replace(/\|/g, '\\|');
  const [header, ...rows] = cells(comparison);
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (NUMERIC_COLUMNS.has(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ];
  const metrics = metricCells(comparison);
  if (metrics.length) {
    const [mHeader, ...mRows] = metrics;
    lines.push('', `| ${mHeader.join(' | ')} |`, `| ${mHeader.map((_, i) => (i >= 3 && i <= 5 ? '---:' : '---')).join(' | ')} |`, ...mRows.map((r) => `| ${r.map(escape).join(' | ')} |`));
  }
  lines.push(
    '',
    `Reference: \`${printable(comparison.reference ?? 'none')}\`; tolerance atol ${comparison.tolerance.atol}, rtol ${comparison.tolerance.rtol}. ` +
      'Outputs are compared on the values each record keeps (a digest and the leading values of each output); ' +
      'metrics a script reported (RESULT line) by |diff| <= atol + rtol·|reference|, timings (`*_ms`, `*_bytes`) excepted.',
  );
  if (comparison.missing.length) lines.push('', `Not found: ${comparison.missing.map((m) => `\`${printable(m)}\``).join(', ')}`);
  const note = currencyNote(comparison);
  if (note.length) lines.push('', ...note.map((n) => `${n[0].toUpperCase()}${n.slice(1)}.`));
  const choice = choiceLines(comparison.choice, (label, why) => `- **${escape(label)}**: ${escape(why)}`);
  if (choice.length) lines.push('', `**${escape(choice[0].replace(/^best target/, 'Best target'))}**`, ...choice.slice(1).map((l) => (l.startsWith('- ') ? l : `\n${escape(l)}`)));
  return lines.join('\n') + '\n';
}

/**
 * RFC 4180 CSV of the same cells as the tables (quoted where needed, CRLF line ends), for spreadsheets. One table:
 * the per-metric lines of the text table are summed up in `outputs vs ref`; JSON has every value.
 */
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

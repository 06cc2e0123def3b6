/** Formats conversion statistics per file and in total, as text (HIPIFY --print-stats style) or JSON. */
import { emptyCount, percentOf, type ApiCount, type ConversionStats } from './stats';

export interface ConversionTotals {
  files: number;
  references: ApiCount;
  unsupported: number;
  needsReview: number;
  percent: number;
  linesChanged: number;
  totalLines: number;
  bytesChanged: number;
  totalBytes: number;
  byLibrary: Record<string, ApiCount>;
  byKind: Record<string, ApiCount>;
  byName: Record<string, ApiCount & { hip: string }>;
}

function add(into: ApiCount, from: ApiCount): void {
  into.found += from.found;
  into.converted += from.converted;
  into.unconverted += from.unconverted;
}

export function totalStats(all: readonly ConversionStats[]): ConversionTotals {
  const totals: ConversionTotals = {
    files: all.length,
    references: emptyCount(),
    unsupported: 0,
    needsReview: 0,
    percent: 100,
    linesChanged: 0,
    totalLines: 0,
    bytesChanged: 0,
    totalBytes: 0,
    byLibrary: {},
    byKind: {},
    byName: {},
  };
  for (const stats of all) {
    add(totals.references, stats.references);
    totals.unsupported += stats.unsupported;
    totals.needsReview += stats.needsReview;
    totals.linesChanged += stats.linesChanged;
    totals.totalLines += stats.totalLines;
    totals.bytesChanged += stats.bytesChanged;
    totals.totalBytes += stats.totalBytes;
    for (const [key, count] of Object.entries(stats.byLibrary)) add((totals.byLibrary[key] ??= emptyCount()), count);
    for (const [key, count] of Object.entries(stats.byKind)) add((totals.byKind[key] ??= emptyCount()), count);
    for (const [key, count] of Object.entries(stats.byName)) add((totals.byName[key] ??= { ...emptyCount(), hip: count.hip }), count);
  }
  totals.percent = percentOf(totals.references);
  return totals;
}

function ratio(part: number, whole: number): string {
  return whole === 0 ? '0.0' : ((part / whole) * 100).toFixed(1);
}

function countLines(title: string, counts: Record<string, ApiCount>): string[] {
  const keys = Object.keys(counts).sort();
  if (keys.length === 0) return [];
  return [`  ${title}:`, ...keys.map((key) => `    ${key}: ${counts[key].converted}/${counts[key].found} converted`)];
}

function block(header: string, t: Omit<ConversionTotals, 'files'>): string[] {
  return [
    header,
    `  CONVERTED refs count: ${t.references.converted}`,
    `  UNCONVERTED refs count: ${t.references.unconverted}`,
    `  CONVERSION %: ${t.percent.toFixed(1)}`,
    `  UNSUPPORTED refs count (no HIP/ROCm equivalent): ${t.unsupported}`,
    `  NEEDS REVIEW refs count (a counterpart exists, to port by hand): ${t.needsReview}`,
    `  REPLACED bytes: ${t.bytesChanged}`,
    `  TOTAL bytes: ${t.totalBytes}`,
    `  CHANGED lines of code: ${t.linesChanged}`,
    `  TOTAL lines of code: ${t.totalLines}`,
    `  CODE CHANGED (in bytes) %: ${ratio(t.bytesChanged, t.totalBytes)}`,
    `  CODE CHANGED (in lines) %: ${ratio(t.linesChanged, t.totalLines)}`,
    ...countLines('CONVERTED refs by API', t.byLibrary),
    ...countLines('refs by kind', t.byKind),
  ];
}

/** What formatConversionReport accepts: statistics of several files, of one, or hipify results. */
export type ReportInput = ConversionStats | { stats: ConversionStats } | ReadonlyArray<ConversionStats | { stats: ConversionStats }>;

function statsOf(input: ReportInput): ConversionStats[] {
  const items = Array.isArray(input) ? input : [input];
  return items.map((item: ConversionStats | { stats: ConversionStats }) => ('stats' in item ? item.stats : item));
}

/** The conversion report for one or more files: a block per file, its unconverted references, then the total. */
export function formatConversionReport(input: ReportInput, format: 'text' | 'json' = 'text'): string {
  const all = statsOf(input);
  const total = totalStats(all);
  if (format === 'json') return JSON.stringify({ version: 1, files: all, total }, null, 2) + '\n';
  const lines: string[] = [];
  for (const stats of all) {
    lines.push(...block(`[HIPIFY] file: ${stats.path}`, stats));
    for (const item of stats.unconverted) lines.push(`  UNCONVERTED ${stats.path}:${item.line} ${item.api}: ${item.reason}`);
    for (const note of stats.notes) lines.push(`  NOTE: ${note}`);
    lines.push('');
  }
  lines.push(...block(`[HIPIFY] TOTAL (${total.files} file${total.files === 1 ? '' : 's'})`, total));
  const names = Object.entries(total.byName).filter(([, count]) => count.unconverted > 0);
  if (names.length > 0) {
    lines.push('  UNCONVERTED refs by name:');
    for (const [name, count] of names.sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${name} (${count.hip}): ${count.unconverted}`);
  }
  return lines.join('\n') + '\n';
}

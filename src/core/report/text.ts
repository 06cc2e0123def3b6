import type { Finding, Severity } from '../model';
import { BACKENDS, type Backend } from '../targets';
import { buildReadiness, type ReadinessEntry } from './readiness';
import { summarize } from './summary';
import type { ScanResult } from './types';
import { verdictSummary } from './verdicts';
import { printable } from '../printable';
import { alternativeLines } from '../rules/packageAlternatives';

export interface TextOptions {
  color?: boolean;
  targets?: readonly Backend[];
}

const ANSI = { red: 31, yellow: 33, blue: 34, cyan: 36, gray: 90, green: 32, bold: 1, dim: 2 } as const;
type Style = keyof typeof ANSI;
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'gray' };

/** Human-readable report: findings grouped by file, then per-target readiness and a summary. */
export function formatText(scan: ScanResult, options: TextOptions = {}): string {
  const paint = (style: Style, s: string) => (options.color ? `\x1b[${ANSI[style]}m${s}\x1b[0m` : s);
  const targets = options.targets ?? BACKENDS;
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    const list = byFile.get(f.path);
    if (list) list.push(f);
    else byFile.set(f.path, [f]);
  }
  for (const [path, findings] of byFile) {
    // Paths and messages (which quote the code) come from the files: escaped, so they cannot drive the terminal.
    out.push(paint('bold', printable(path)));
    for (const f of findings) {
      const where = `${f.cell !== undefined ? `cell ${f.cell + 1} ` : ''}${f.range.start.line}:${f.range.start.column}`;
      const fix = f.fix ? paint('green', f.fix.safe ? ' [fix]' : ' [fix, unsafe]') : '';
      out.push(`  ${where.padEnd(12)} ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(7))} ${paint('cyan', f.rule.padEnd(12))} ${printable(f.message)}${fix}`);
      out.push(`  ${''.padEnd(12)} ${paint('dim', verdictSummary(f, targets))}`);
      // A CUDA-only package: what each target of interest uses instead (the rule page lists the sources).
      if (!f.guard) for (const line of alternativeLines(f.rule, f.message, targets)) out.push(`  ${''.padEnd(12)} ${paint('dim', `instead on ${printable(line)}`)}`);
    }
    out.push('');
  }
  if (scan.notes.length > 0) {
    out.push(paint('bold', 'Notes'));
    for (const n of scan.notes) out.push(`  ${printable(n.path)}${n.range ? `:${n.range.start.line}:${n.range.start.column}` : ''}  ${paint('gray', n.kind)}  ${printable(n.message)}`);
    out.push('');
  }
  out.push(...readinessTable(buildReadiness(scan.findings, targets), paint));
  out.push('');
  const s = summarize(scan);
  const counts = (['error', 'warning', 'info', 'hint'] as Severity[]).filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}${s.bySeverity[k] === 1 ? '' : 's'}`);
  const time = scan.durationMs !== undefined ? ` in ${(scan.durationMs / 1000).toFixed(2)}s` : '';
  out.push(
    s.findings === 0
      ? paint('green', `No CUDA lock-in found (${s.files} files, ${s.lines} lines scanned${time}).`)
      : `${s.findings} finding${s.findings === 1 ? '' : 's'} (${counts.join(', ')}; ${s.fixable} fixable) in ${s.filesWithFindings} of ${s.files} files, ${s.lines} lines scanned${time}.`,
  );
  return out.join('\n') + '\n';
}

function readinessTable(entries: ReadinessEntry[], paint: (style: Style, s: string) => string): string[] {
  const statusStyle: Record<string, Style> = { ready: 'green', 'ready-with-shim': 'green', degraded: 'yellow', blocked: 'red' };
  const lines = [paint('bold', 'Target readiness')];
  lines.push(`  ${'target'.padEnd(18)} ${'status'.padEnd(16)} ${'blockers'.padStart(8)} ${'degraded'.padStart(8)} ${'guarded'.padStart(7)} ${'shim'.padStart(5)} ${'fixable'.padStart(7)}  effort`);
  for (const e of entries) {
    const effort = e.effort.level === 'none' ? 'none' : `${e.effort.level} (~${e.effort.hours} h)`;
    lines.push(`  ${e.label.padEnd(18)} ${paint(statusStyle[e.status], e.status.padEnd(16))} ${String(e.blockers).padStart(8)} ${String(e.degraded).padStart(8)} ${String(e.guarded).padStart(7)} ${String(e.shimmed).padStart(5)} ${String(e.fixable).padStart(7)}  ${effort}`);
    if (e.topBlockers.length > 0) lines.push(`  ${''.padEnd(18)} ${paint('gray', `top blockers: ${e.topBlockers.map((b) => `${b.rule} ×${b.count}`).join(', ')}`)}`);
  }
  return lines;
}

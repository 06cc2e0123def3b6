import type { Severity } from '../model';
import type { ScanResult } from './types';

export interface ScanSummary {
  files: number;
  lines: number;
  findings: number;
  filesWithFindings: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  fixable: number;
  notes: number;
  durationMs?: number;
}

export function summarize(scan: ScanResult): ScanSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  const byRule: Record<string, number> = {};
  let fixable = 0;
  for (const f of scan.findings) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    if (f.fix) fixable++;
  }
  return {
    files: scan.filesScanned,
    lines: scan.linesScanned,
    findings: scan.findings.length,
    filesWithFindings: new Set(scan.findings.map((f) => f.path)).size,
    bySeverity,
    byRule,
    fixable,
    notes: scan.notes.length,
    ...(scan.durationMs !== undefined ? { durationMs: Math.round(scan.durationMs) } : {}),
  };
}

import { BACKENDS, type Backend } from '../targets';
import { buildReadiness } from './readiness';
import type { ScanResult } from './types';
import { summarize } from './summary';

/** The stable JSON contract of `porta scan --format json` (see ARCHITECTURE.md). */
export function formatJson(scan: ScanResult, targets: readonly Backend[] = BACKENDS): string {
  const findings = scan.findings.map((f) => ({
    path: f.path,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: f.range,
    targets: f.targets,
    fix: f.fix ? { safe: f.fix.safe, title: f.fix.title, edits: f.fix.edits } : null,
    ...(f.cell !== undefined ? { cell: f.cell } : {}),
    ...(f.related ? { related: f.related } : {}),
    ...(f.guard ? { guard: f.guard } : {}),
  }));
  const summary = { ...summarize(scan), readiness: buildReadiness(scan.findings, targets) };
  return JSON.stringify({ version: 1, findings, notes: scan.notes, summary }, null, 2) + '\n';
}

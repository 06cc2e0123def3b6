/**
 * Findings (from the editor's FindingsStore) -> the Readiness page's view. Item lists come from the dashboard model;
 * the effort level and hours come from the analyzer's buildReadiness so the dashboard and `porta scan` agree.
 * No vscode import: the host passes workspace-relative paths.
 */
import type { Finding } from '../../core/model';
import { buildReadiness } from '../../core/report';
import type { Backend } from '../../core/targets';
import type { ReadinessView } from '../../protocol';
import { buildReadinessView, type ScanFinding } from '../../../webview/model/readiness';

export interface FileFindingsInput {
  /** Workspace-relative path (what the Readiness page shows and sends back in openLocation). */
  path: string;
  findings: readonly Finding[];
}

export function readinessFromFindings(files: readonly FileFindingsInput[], targets: readonly Backend[], generatedAt: string): ReadinessView {
  const all: Finding[] = [];
  const scan: ScanFinding[] = [];
  for (const file of files) {
    for (const f of file.findings) {
      all.push(f);
      scan.push({ path: file.path, rule: f.rule, severity: f.severity, message: f.message, range: f.range, targets: f.targets, fix: f.fix ? { safe: f.fix.safe } : null });
    }
  }
  const view = buildReadinessView(scan, generatedAt, targets);
  const entries = new Map(buildReadiness(all, targets).map((e) => [e.target as string, e]));
  for (const t of view.targets) {
    const entry = entries.get(t.backend);
    if (!entry) continue;
    t.effort = entry.effort.level;
    t.effortHours = entry.effort.hours;
  }
  return view;
}

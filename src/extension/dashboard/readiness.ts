/**
 * Findings (from the editor's FindingsStore) -> the Readiness page's view. Counts, fixability and effort come from the
 * analyzer's buildReadiness, so the dashboard and `porta scan` agree; this file only lists the items behind them.
 * No vscode import: the host passes workspace-relative paths.
 */
import type { Finding } from '../../core/model';
import { buildReadiness, fixPortsTo } from '../../core/report/readiness';
import type { Backend, Verdict } from '../../core/targets';
import type { ReadinessItem, ReadinessView } from '../../protocol';

export interface FileFindingsInput {
  /** Workspace-relative path (what the Readiness page shows and sends back in openLocation). */
  path: string;
  findings: readonly Finding[];
}

interface Located {
  path: string;
  finding: Finding;
}

const byLocation = (a: ReadinessItem, b: ReadinessItem) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column);

function item({ path, finding }: Located, target: Backend): ReadinessItem {
  return {
    rule: finding.rule,
    message: finding.message,
    path,
    line: Math.max(1, finding.range.start.line),
    column: Math.max(1, finding.range.start.column),
    severity: finding.severity,
    fixable: fixPortsTo(finding, target),
  };
}

export function readinessFromFindings(files: readonly FileFindingsInput[], targets: readonly Backend[], generatedAt: string): ReadinessView {
  const located: Located[] = files.flatMap((file) => file.findings.map((finding) => ({ path: file.path, finding })));
  const entries = buildReadiness(located.map((l) => l.finding), targets);
  return {
    generatedAt,
    findings: located.length,
    files: new Set(located.map((l) => l.path)).size,
    targets: entries.map((entry) => {
      const items = (verdict: Verdict) =>
        located.filter((l) => l.finding.targets[entry.target] === verdict).map((l) => item(l, entry.target)).sort(byLocation);
      return {
        backend: entry.target,
        blockers: items('breaks'),
        degraded: items('degraded'),
        guarded: items('guarded'),
        shimCovered: items('shim'),
        fixable: entry.fixable,
        effort: entry.effort.level,
        effortHours: entry.effort.hours,
      };
    }),
  };
}

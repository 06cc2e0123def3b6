/**
 * Per-target readiness from the stable `porta scan --format json` findings (see ARCHITECTURE.md):
 * what breaks, what degrades, what the shim covers, how much of it has a fix, and a rough effort. Pure.
 */
import type { Effort, ReadinessItem, ReadinessView, TargetReadiness } from '../../src/protocol';

export interface ScanFinding {
  path: string;
  rule: string;
  severity: string;
  message: string;
  range: { start: { line: number; column: number } };
  targets: Record<string, string>;
  fix?: { safe: boolean } | null;
}

export const READINESS_BACKENDS = ['cuda', 'rocm', 'npu', 'xpu', 'mps', 'cpu'] as const;

/** Unfixable blockers cost the most; fixable ones still need a review; degraded items need a look. */
export function effortScore(t: Pick<TargetReadiness, 'blockers' | 'degraded' | 'shimCovered'>): number {
  let score = 0;
  for (const item of t.blockers) score += item.fixable ? 1 : 5;
  for (const item of t.degraded) score += item.fixable ? 0.5 : 2;
  score += t.shimCovered.length * 0.25;
  return Math.round(score * 100) / 100;
}

export function effortLabel(score: number): Effort {
  return score === 0 ? 'none' : score < 5 ? 'low' : score < 25 ? 'medium' : 'high';
}

function toItem(f: ScanFinding): ReadinessItem {
  return {
    rule: f.rule,
    message: f.message,
    path: f.path,
    line: Math.max(1, f.range?.start?.line ?? 1),
    column: Math.max(1, f.range?.start?.column ?? 1),
    severity: f.severity,
    fixable: !!f.fix,
  };
}

const byLocation = (a: ReadinessItem, b: ReadinessItem) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column);

export function buildReadinessView(findings: readonly ScanFinding[], generatedAt: string, backends: readonly string[] = READINESS_BACKENDS): ReadinessView {
  const targets: TargetReadiness[] = backends.map((backend) => {
    const blockers: ReadinessItem[] = [];
    const degraded: ReadinessItem[] = [];
    const shimCovered: ReadinessItem[] = [];
    for (const f of findings) {
      const verdict = f.targets?.[backend];
      if (verdict === 'breaks') blockers.push(toItem(f));
      else if (verdict === 'degraded') degraded.push(toItem(f));
      else if (verdict === 'shim') shimCovered.push(toItem(f));
    }
    blockers.sort(byLocation);
    degraded.sort(byLocation);
    shimCovered.sort(byLocation);
    const fixable = [...blockers, ...degraded, ...shimCovered].filter((i) => i.fixable).length;
    const score = effortScore({ blockers, degraded, shimCovered });
    return { backend, blockers, degraded, shimCovered, fixable, effortScore: score, effort: effortLabel(score) };
  });
  return { generatedAt, findings: findings.length, files: new Set(findings.map((f) => f.path)).size, targets };
}

/** Accepts the `porta scan --format json` document; throws a readable error on anything else. */
export function parseScanJson(text: string): ScanFinding[] {
  const doc: unknown = JSON.parse(text);
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { findings?: unknown }).findings)) {
    throw new Error('scan output has no "findings" array');
  }
  return (doc as { findings: ScanFinding[] }).findings.filter((f) => typeof f?.path === 'string' && typeof f?.rule === 'string');
}

import type { Finding } from '../model';
import { BACKENDS, BACKEND_LABELS, type Backend } from '../targets';
import { getRule } from '../rules';

export type ReadinessStatus = 'ready' | 'ready-with-shim' | 'degraded' | 'blocked';
export type EffortLevel = 'none' | 'low' | 'medium' | 'high';

export interface ReadinessEntry {
  target: Backend;
  label: string;
  status: ReadinessStatus;
  /** Findings that break on this target. */
  blockers: number;
  degraded: number;
  /** Findings in code that only runs where CUDA is present: counted apart, they never block or degrade a target. */
  guarded: number;
  /** Findings a runtime shim (Porta's or the vendor's) covers without edits. */
  shimmed: number;
  /** Non-ok findings that carry an automatic fix for this target (CUDA C++ → HIP fixes count for ROCm only). */
  fixable: number;
  /** Rules that block this target, most frequent first. */
  topBlockers: { rule: string; count: number }[];
  effort: { level: EffortLevel; hours: number };
}

/**
 * Hours per item, a deliberately rough model in the spirit of SYCLomatic's effort levels: an automatic fix costs a
 * review, a manual change of an API call costs half an hour, replacing a CUDA-only library or extension costs days.
 */
function hoursFor(finding: Finding, verdict: string, fixed: boolean): number {
  if (verdict === 'shim') return 0.05;
  if (fixed) return 0.1;
  const family = getRule(finding.rule)?.family ?? '';
  const heavy = family === 'LIB' || family === 'EXT' || family.startsWith('CU');
  if (verdict === 'degraded') return heavy ? 2 : 0.25;
  return heavy ? 8 : 0.5;
}

/**
 * Whether the finding's automatic fix ports it to this target. CUDA C++ fixes (CU-*) are HIP conversions: they port
 * to ROCm only; on NPU, XPU, MPS and the CPU the kernel still has to be rewritten or replaced.
 */
export function fixPortsTo(finding: Pick<Finding, 'rule' | 'fix'>, target: Backend): boolean {
  if (!finding.fix) return false;
  return !finding.rule.startsWith('CU-') || target === 'rocm' || target === 'cuda';
}

function level(hours: number): EffortLevel {
  if (hours === 0) return 'none';
  if (hours < 2) return 'low';
  if (hours < 16) return 'medium';
  return 'high';
}

export function buildReadiness(findings: Finding[], targets: readonly Backend[] = BACKENDS): ReadinessEntry[] {
  return targets.map((target) => {
    let blockers = 0;
    let degraded = 0;
    let shimmed = 0;
    let guarded = 0;
    let fixable = 0;
    let hours = 0;
    const blockerRules = new Map<string, number>();
    for (const finding of findings) {
      const verdict = finding.targets[target];
      if (verdict === 'ok') continue;
      // Guarded code costs nothing to port: where CUDA is missing it does not run.
      if (verdict === 'guarded') {
        guarded++;
        continue;
      }
      if (verdict === 'breaks') {
        blockers++;
        blockerRules.set(finding.rule, (blockerRules.get(finding.rule) ?? 0) + 1);
      } else if (verdict === 'degraded') degraded++;
      else if (verdict === 'shim') shimmed++;
      const fixed = fixPortsTo(finding, target);
      if (fixed) fixable++;
      hours += hoursFor(finding, verdict, fixed);
    }
    const status: ReadinessStatus = blockers > 0 ? 'blocked' : degraded > 0 ? 'degraded' : shimmed > 0 ? 'ready-with-shim' : 'ready';
    const topBlockers = [...blockerRules.entries()].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)).slice(0, 5);
    hours = Math.round(hours * 10) / 10;
    return { target, label: BACKEND_LABELS[target], status, blockers, degraded, guarded, shimmed, fixable, topBlockers, effort: { level: level(hours), hours } };
  });
}

import type { Finding, Guard, Range, Severity } from './model';
import { BACKENDS, type VerdictTable } from './targets';
import type { GuardKind, GuardSite } from './python/guardContext';

/**
 * The guarded verdict: code that would break or degrade without CUDA, but only runs where CUDA is present. The program
 * still runs elsewhere (it takes the other branch), so the finding is informational, counts apart from blockers, and
 * carries no fix (the providers offer none, but for one that stays right there, such as dropping a redundant seed):
 * rewriting a CUDA-only branch changes nothing where it runs and cannot make it run anywhere else.
 */
export function guardedTargets(targets: VerdictTable): VerdictTable {
  const result = { ...targets };
  for (const backend of BACKENDS) if (result[backend] === 'breaks' || result[backend] === 'degraded') result[backend] = 'guarded';
  return result;
}

/** `finding` as guarded by `site` found at `range` (the reason names its line). */
export function withGuard(finding: Finding, site: Pick<GuardSite, 'kind' | 'construct'>, range: Range): Finding {
  return { ...finding, severity: 'info', targets: guardedTargets(finding.targets), guard: { reason: guardReason(site, range.start.line), range } };
}

const WHERE: Record<GuardKind, string> = {
  branch: 'inside',
  'vendor-branch': 'in the CUDA arm of a per-vendor chain,',
  'else-branch': 'inside',
  'early-return': 'after',
  'optional-import': 'inside',
  'probe-function': 'inside the availability probe',
  'vendor-class': 'inside the CUDA-specific',
  'test-skip': 'in a test skipped without CUDA by',
  'cuda-method': 'inside',
  'vendor-module': 'in the CUDA backend module (it defines a per-vendor class), in',
  'guarded-callers': 'in a helper called only where CUDA is present,',
};

export function guardReason(site: Pick<GuardSite, 'kind' | 'construct'>, line: number): string {
  return `${WHERE[site.kind]} \`${site.construct}\` (line ${line})`;
}

/** The guard moved by `delta` lines with its statement (the reason names the line). */
export function shiftGuard(guard: Guard, delta: number): Guard {
  if (!guard.range || delta === 0) return guard;
  const { start, end } = guard.range;
  const line = start.line + delta;
  return { reason: guard.reason.replace(/\(line \d+\)$/, `(line ${line})`), range: { start: { line, column: start.column }, end: { line: end.line + delta, column: end.column } } };
}

export function isGuarded(finding: Finding): boolean {
  return Object.values(finding.targets).includes('guarded');
}

/** A configured severity applies to a guarded finding only where it is milder than info (a hint). */
export function guardedSeverity(configured: Severity): Severity {
  return configured === 'hint' ? 'hint' : 'info';
}

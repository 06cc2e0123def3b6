import type { Finding, Guard, Range, Severity } from './model';
import { BACKENDS, type VerdictTable } from './targets';

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

/** `finding` as guarded by the construct `construct` at `range` (the reason names its line). */
export function withGuard(finding: Finding, construct: string, range: Range): Finding {
  return { ...finding, severity: 'info', targets: guardedTargets(finding.targets), guard: { reason: guardReason(construct, range.start.line), range } };
}

export function guardReason(construct: string, line: number): string {
  return `inside \`${construct}\` (line ${line})`;
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

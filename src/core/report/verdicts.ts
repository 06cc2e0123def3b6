import type { Finding } from '../model';
import type { Backend } from '../targets';

/** "breaks on xpu, mps, cpu · shim on npu" — only the targets of interest, only what is not ok. */
export function verdictSummary(finding: Finding, targets: readonly Backend[]): string {
  const groups: Record<string, Backend[]> = { breaks: [], degraded: [], shim: [] };
  for (const target of targets) {
    const verdict = finding.targets[target];
    if (verdict !== 'ok') groups[verdict].push(target);
  }
  const parts: string[] = [];
  if (groups.breaks.length) parts.push(`breaks on ${groups.breaks.join(', ')}`);
  if (groups.degraded.length) parts.push(`degraded on ${groups.degraded.join(', ')}`);
  if (groups.shim.length) parts.push(`shim on ${groups.shim.join(', ')}`);
  return parts.length ? parts.join(' · ') : 'ok on all selected targets';
}

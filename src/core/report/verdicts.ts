import type { Finding } from '../model';
import type { Backend } from '../targets';

/**
 * "breaks on xpu, mps, cpu · shim on npu" — only the targets of interest, only what is not ok. A guarded finding
 * reads "guarded on xpu, mps, cpu (inside `if torch.cuda.is_available():` (line 4))".
 */
export function verdictSummary(finding: Finding, targets: readonly Backend[]): string {
  const groups: Record<string, Backend[]> = { breaks: [], degraded: [], guarded: [], shim: [] };
  for (const target of targets) {
    const verdict = finding.targets[target];
    if (verdict !== 'ok') groups[verdict].push(target);
  }
  const parts: string[] = [];
  if (groups.breaks.length) parts.push(`breaks on ${groups.breaks.join(', ')}`);
  if (groups.degraded.length) parts.push(`degraded on ${groups.degraded.join(', ')}`);
  if (groups.guarded.length) parts.push(`guarded on ${groups.guarded.join(', ')}${finding.guard ? ` (${finding.guard.reason})` : ''}`);
  if (groups.shim.length) parts.push(`shim on ${groups.shim.join(', ')}`);
  return parts.length ? parts.join(' · ') : 'ok on all selected targets';
}

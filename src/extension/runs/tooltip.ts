/** The Runs tree's tooltip for one run, as markdown lines. Pure (no `vscode`), so unit tests can read it. */
import { describeRunCost } from '../../run/cost';
import type { RunRecord } from '../../run/record';

export function runTooltipLines(record: RunRecord): string[] {
  const lines = [`**${record.entry}** on \`${record.target}\` (${record.targetKind})`, `status: ${record.status}`, `started: ${record.startedAt}`];
  if (record.endedAt) lines.push(`ended: ${record.endedAt}`);
  if (record.slurmJobId) lines.push(`Slurm job: ${record.slurmJobId}`);
  if (record.metrics.wallMs !== undefined) lines.push(`wall: ${record.metrics.wallMs.toFixed(1)} ms`);
  // Same words as the dashboard's run details: the amount and its basis, "no price" when it ran unpriced (never free).
  const cost = describeRunCost(record.cost, record.exitCode !== undefined && record.exitCode !== null);
  if (cost) lines.push(`cost: ${cost}`);
  if (record.error) lines.push(`error: ${record.error}`);
  return lines;
}

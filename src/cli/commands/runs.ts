import { UsageError, type Command, parseCommandLine } from '../command';
import { relative } from 'node:path';
import { printable } from '../../core/printable';
import { RunHistory } from '../../run/history';
import { formatMoney } from '../../run/cost';
import type { StoredRun } from '../../run/history';
import { reattachRuns } from '../../run/launch';

const USAGE = `Usage: porta runs [--json] [--limit N]

Lists the recorded runs of this workspace (.porta/runs/), newest first, with what each cost on its target's price
("no price" when porta.toml gives the target none). Runs whose process died are marked lost; finished Slurm jobs
are brought up to date.`;

/**
 * The cost column: the recorded amount; "no price" for a run that ran (it has an exit code) on a target that had no
 * price then; nothing while it runs or when nothing ran.
 */
function costCell(run: StoredRun): string {
  if (run.cost) return `  ${formatMoney(run.cost.amount, run.cost.currency)}`;
  return run.exitCode === undefined || run.exitCode === null ? '' : '  no price';
}

export const command: Command = {
  name: 'runs',
  summary: 'List recorded runs',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandLine({ args: argv, options: { json: { type: 'boolean' }, limit: { type: 'string' } }, strict: true });
    const limit = values.limit === undefined ? Infinity : Number(values.limit);
    if (!Number.isInteger(limit) && limit !== Infinity) throw new UsageError('--limit must be a whole number');
    // Marks runs whose process died as lost; Slurm jobs that ended meanwhile are finalised (running ones stay running).
    const { reattached } = await reattachRuns(io.cwd, {}, { follow: false });
    await Promise.all(reattached.map((h) => h.done));
    const { records: all, skipped } = await new RunHistory(io.cwd).listWithSkipped();
    for (const s of skipped) io.stderr.write(`porta runs: skipped ${printable(relative(io.cwd, s.file))}: ${printable(s.problem)}\n`);
    const records = all.slice(0, limit);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ version: 1, runs: records }, null, 2)}\n`);
      return 0;
    }
    if (records.length === 0) io.stdout.write('no runs recorded yet\n');
    for (const r of records) {
      const exit = r.exitCode === undefined || r.exitCode === null ? '' : ` exit ${r.exitCode}`;
      // Target, entry and error come from files and scripts: shown escaped, never as terminal control sequences.
      const line = `${r.id}  ${r.status.padEnd(9)} ${r.target.padEnd(12)} ${(r.resolvedBackend ?? r.backend).padEnd(5)} ${r.entry}${exit}${costCell(r)}${r.error ? `  — ${r.error}` : ''}`;
      io.stdout.write(`${printable(line)}\n`);
    }
    return 0;
  },
};

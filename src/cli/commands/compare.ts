import { relative } from 'node:path';
import { UsageError, type Command, parseCommandLine } from '../command';
import { printable } from '../../core/printable';
import { chooseTarget } from '../../run/choose';
import { CHOICE_OPTIONS, parseChoiceOptions } from '../choiceOptions';
import { compareRuns, DEFAULT_COMPARE_TOLERANCE } from '../../run/compare';
import { COMPARISON_FORMATS, formatComparison, type ComparisonFormat } from '../../run/compareFormat';
import { RunHistory } from '../../run/history';
import type { RunRecord } from '../../run/record';

const USAGE = `Usage: porta compare RUN_ID... [--reference ID] [--format text|json|markdown|csv] [--atol X] [--rtol X]
                    [--objective latency|cost|balanced] [--max-drift X] [--max-p99 MS]

Compares recorded runs (from .porta/runs/): latency (or, for scripts, wall time), throughput, peak memory,
outputs (checksums and leading values) and the metrics a script reported (its RESULT line: loss, acc, ...)
against a reference run, all within |a-b| <= atol + rtol*|b|. Timings such as import_torch_ms (names ending
in _ms or _bytes) are performance, not accuracy: they appear only in --format json. A RUN_ID may be a unique suffix, e.g. the last 6 characters.
--reference takes a run id or RUN_ID/PROVIDER (default: the first run's first available provider).

Cost: each run's cost on its target's price (porta.toml price_per_hour, or for Slurm price_per_node_hour /
price_per_gpu_hour) and, with a throughput, the cost per 1,000 inferences. A target without a price shows
"no price"; costs in different currencies are never compared.

Best target: the row that wins the --objective among those meeting the constraints, with the reason.
  latency (default)  fastest (p50, else throughput, else wall time)
  cost               cheapest (per 1,000 inferences when known, else per run); rows without a price are left out
  balanced           lowest latency × cost among the rows on the latency–cost Pareto front
  --max-drift X      largest absolute error allowed against the reference (default: within atol/rtol)
  --max-p99 MS       largest p99 latency allowed, in milliseconds

Exit codes: 0 compared, 1 some output or metric drifts from the reference beyond the tolerance, 2 unknown run or usage error.`;

/** Finds a record by full id or by a unique suffix/prefix. */
function resolveId(records: readonly RunRecord[], wanted: string): RunRecord {
  const exact = records.find((r) => r.id === wanted);
  if (exact) return exact;
  const matches = records.filter((r) => r.id.endsWith(wanted) || r.id.startsWith(wanted));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`'${wanted}' matches ${matches.length} runs (${matches.slice(0, 4).map((r) => r.id).join(', ')}...): give more characters`);
  throw new UsageError(`no run '${wanted}' in .porta/runs/ (see the dashboard or .porta/runs/*.json for ids)`);
}

function tolerance(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got '${value}'`);
  return n;
}

export const command: Command = {
  name: 'compare',
  summary: 'Compare recorded runs: latency/wall time, memory, outputs and script metrics vs a reference run',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: {
        reference: { type: 'string' }, format: { type: 'string', default: 'text' }, atol: { type: 'string' }, rtol: { type: 'string' },
        ...CHOICE_OPTIONS,
      },
    });
    const { values, positionals } = parsed;
    const format = values.format ?? 'text';
    if (!COMPARISON_FORMATS.includes(format as ComparisonFormat)) throw new UsageError(`--format must be ${COMPARISON_FORMATS.join(', ')}, got '${format}'`);
    if (!positionals.length) throw new UsageError('give at least one RUN_ID');
    const { objective, constraints } = parseChoiceOptions(values);
    const { records: all, skipped } = await new RunHistory(io.cwd).listWithSkipped();
    for (const s of skipped) io.stderr.write(`porta compare: skipped ${printable(relative(io.cwd, s.file))}: ${printable(s.problem)}\n`);
    const records = positionals.map((id) => resolveId(all, id));
    let reference = values.reference;
    if (reference) {
      const [id, provider] = reference.split('/');
      const run = resolveId(records, id);
      reference = provider ? `${run.id}/${provider}` : run.id;
    }
    let comparison;
    try {
      comparison = compareRuns(records, {
        reference,
        tolerance: { atol: tolerance('atol', values.atol, DEFAULT_COMPARE_TOLERANCE.atol), rtol: tolerance('rtol', values.rtol, DEFAULT_COMPARE_TOLERANCE.rtol) },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    comparison.choice = chooseTarget(comparison, objective, constraints);
    io.stdout.write(formatComparison(comparison, format as ComparisonFormat));
    return comparison.rows.some((r) => r.vsReference?.withinTolerance === false) ? 1 : 0;
  },
};

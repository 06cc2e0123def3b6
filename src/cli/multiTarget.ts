import { UsageError, type CliIO } from './command';
import { compareRuns, type Comparison } from '../run/compare';
import { formatComparison } from '../run/compareFormat';
import { chooseTarget, type TargetChoice } from '../run/choose';
import type { ChoiceRequest } from './choiceOptions';
import { PrefixedLog } from '../run/multi/prefixedLog';
import { allSucceeded, runOnTargets, type TargetOutcome, type TargetStartIO } from '../run/multi/runOnTargets';
import type { RunRecord } from '../run/record';
import { findTarget, loadTargets, TargetError } from '../run/targets/config';

/** What `porta run|bench --target a,b,c --json` prints. */
export interface MultiTargetResult {
  version: 1;
  runs: Array<{ target: string; id?: string; status: string; error?: string }>;
  /** Carries `choice` too (the same object as below), as `porta compare --format json` does. */
  comparison?: Comparison;
  /** The best target under --objective and the constraints, with its reason: the shared `chooseTarget`. */
  choice?: TargetChoice;
}

/** Every name must be a known target before anything starts: a typo is a usage error, not a failed run. */
export async function checkTargetNames(cwd: string, targets: readonly string[]): Promise<void> {
  try {
    const known = await loadTargets(cwd);
    for (const name of targets) findTarget(known, name);
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The CLI side of one action on several targets: streams each target's log with its name as prefix (stderr with
 * --json), cancels them all on SIGINT/SIGTERM, then prints the comparison of the records (cost per target
 * included) and the best target chosen by `chooseTarget`, as `porta compare --objective` would.
 * Exit code 0 when every target succeeded, 130 when cancelled, else 1.
 */
export async function runMultiTarget(
  io: CliIO,
  targets: string[],
  options: { json: boolean; concurrency?: number; choice?: ChoiceRequest },
  start: (target: string, io: TargetStartIO) => Promise<RunRecord>,
): Promise<number> {
  const logStream = options.json ? io.stderr : io.stdout;
  const log = new PrefixedLog(targets, (text) => logStream.write(text));
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let outcomes: TargetOutcome[];
  try {
    outcomes = await runOnTargets({
      targets,
      concurrency: options.concurrency,
      signal: controller.signal,
      start,
      onLog: (target, text) => log.log(target, text),
      onEnd: (o) => {
        log.flush(o.target);
        log.note(o.target, `porta: ${o.record ? `run ${o.record.id} ${o.record.status}${o.record.error ? `: ${o.record.error}` : ''}` : o.error}`);
      },
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  const records = outcomes.flatMap((o) => (o.record ? [o.record] : []));
  const comparison = records.length ? compareRuns(records) : undefined;
  if (comparison) comparison.choice = chooseTarget(comparison, options.choice?.objective, options.choice?.constraints);
  const result: MultiTargetResult = {
    version: 1,
    runs: outcomes.map((o) => ({ target: o.target, id: o.record?.id, status: o.record?.status ?? 'not started', error: o.record?.error ?? o.error })),
    comparison,
    choice: comparison?.choice,
  };
  if (options.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    // The comparison's text ends with the choice: "best target (objective …): NAME. Reason …".
    io.stdout.write(comparison ? `\n${formatComparison(comparison, 'text')}` : 'best target: none (no target produced a record)\n');
    const failed = result.runs.filter((r) => r.status !== 'succeeded');
    for (const f of failed) io.stderr.write(`porta: target ${f.target} ${f.status}${f.error ? `: ${f.error}` : ''}\n`);
    io.stderr.write(`porta: ${result.runs.length - failed.length} of ${result.runs.length} targets succeeded\n`);
  }
  if (allSucceeded(outcomes)) return 0;
  return controller.signal.aborted ? 130 : 1;
}

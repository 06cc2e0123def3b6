import { UsageError, type Command, parseCommandLine } from '../command';
import { RunOptionsError, startRun, workspaceRelative } from '../../run/launch';
import { TargetError } from '../../run/targets/config';
import { parseTargetList } from '../../run/multi/targetList';
import { CHOICE_OPTIONS, CHOICE_USAGE, parseChoiceOptions, type ChoiceRequest } from '../choiceOptions';
import { checkTargetNames, runMultiTarget } from '../multiTarget';

const USAGE = `Usage: porta run --target NAME[,NAME...] [--backend B] [--shim] [--json]
                [--objective latency|cost|balanced] [--max-drift X] [--max-p99 MS] -- SCRIPT [ARGS...]

Runs SCRIPT through the Porta harness on a target (see \`porta targets\`), streams its log,
and exits with the script's exit code. The run is recorded in .porta/runs/.
With several targets (--target local,gpu-box,cluster) it runs on all of them at once, prefixes each log line
with the target's name, ends with their comparison (cost per target from porta.toml prices) and the best target
under --objective and the constraints (as \`porta compare\`), and exits 0 only when all succeeded
(1 otherwise, 130 when cancelled). Ctrl+C cancels every one of them.

Options:
  -t, --target LIST   target(s) from porta.toml or ~/.ssh/config, comma-separated (default: local)
      --concurrency N at most N targets at once (default 4)
  -b, --backend B     auto | cuda | rocm | npu | xpu | mps | cpu (default: auto)
      --shim          apply the runtime shim to unported code
      --json          print the run record as JSON after the log (log goes to stderr); with several targets,
                      { runs, comparison, choice }
With several targets, the best target:
${CHOICE_USAGE}`;

export const command: Command = {
  name: 'run',
  summary: 'Run a script locally, over SSH or on Slurm, and record it',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandLine({
      args: argv,
      options: { target: { type: 'string', short: 't' }, backend: { type: 'string', short: 'b' }, shim: { type: 'boolean' }, json: { type: 'boolean' }, concurrency: { type: 'string' }, ...CHOICE_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
    const [script, ...args] = parsed.positionals;
    if (!script) throw new UsageError('no script given');
    const json = parsed.values.json ?? false;
    const choice = parseChoiceOptions(parsed.values);
    const targets = parseTargetList(parsed.values.target);
    if (!targets.length) throw new UsageError('--target needs at least one target name');
    if (targets.length > 1) return runOnMany(targets, script, args, parsed.values, choice, io);
    const logStream = json ? io.stderr : io.stdout;
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const handle = await startRun(
        { workspaceRoot: io.cwd, target: targets[0], script, args, backend: parsed.values.backend ?? 'auto', shim: parsed.values.shim },
        { onLog: (text) => logStream.write(text), signal: controller.signal },
      );
      const record = await handle.done;
      if (json) io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      else io.stderr.write(`porta: run ${record.id} ${record.status}${record.exitCode !== undefined && record.exitCode !== null ? ` (exit ${record.exitCode})` : ''}${record.error ? `: ${record.error}` : ''}\n`);
      if (record.status === 'succeeded') return 0;
      if (typeof record.exitCode === 'number' && record.exitCode !== 0) return record.exitCode;
      return record.status === 'cancelled' ? 130 : 1;
    } catch (error) {
      if (error instanceof RunOptionsError || error instanceof TargetError) throw new UsageError(error.message);
      throw error;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  },
};

function concurrencyOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency must be a positive integer, got '${value}'`);
  return n;
}

async function runOnMany(
  targets: string[], script: string, args: string[],
  values: { backend?: string; shim?: boolean; json?: boolean; concurrency?: string }, choice: ChoiceRequest, io: Parameters<Command['run']>[1],
): Promise<number> {
  const concurrency = concurrencyOf(values.concurrency);
  await checkTargetNames(io.cwd, targets);
  try {
    workspaceRelative(io.cwd, script);
  } catch (error) {
    if (error instanceof RunOptionsError) throw new UsageError(error.message);
    throw error;
  }
  return runMultiTarget(io, targets, { json: values.json ?? false, concurrency, choice }, async (target, run) => {
    const handle = await startRun(
      { workspaceRoot: io.cwd, target, script, args, backend: values.backend ?? 'auto', shim: values.shim },
      { onLog: run.onLog, signal: run.signal },
    );
    return handle.done;
  });
}

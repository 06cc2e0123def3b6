import { UsageError, type Command, parseCommandLine } from '../command';
import { RunOptionsError, startRun } from '../../run/launch';
import { TargetError } from '../../run/targets/config';

const USAGE = `Usage: porta run --target NAME [--backend B] [--shim] [--json] -- SCRIPT [ARGS...]

Runs SCRIPT through the Porta harness on a target (see \`porta targets\`), streams its log,
and exits with the script's exit code. The run is recorded in .porta/runs/.

Options:
  -t, --target NAME   target from porta.toml or ~/.ssh/config (default: local)
  -b, --backend B     auto | cuda | rocm | npu | xpu | mps | cpu (default: auto)
      --shim          apply the runtime shim to unported code
      --json          print the run record as JSON after the log (log goes to stderr)`;

export const command: Command = {
  name: 'run',
  summary: 'Run a script locally, over SSH or on Slurm, and record it',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandLine({
      args: argv,
      options: { target: { type: 'string', short: 't' }, backend: { type: 'string', short: 'b' }, shim: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const [script, ...args] = parsed.positionals;
    if (!script) throw new UsageError('no script given');
    const json = parsed.values.json ?? false;
    const logStream = json ? io.stderr : io.stdout;
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const handle = await startRun(
        { workspaceRoot: io.cwd, target: parsed.values.target ?? 'local', script, args, backend: parsed.values.backend ?? 'auto', shim: parsed.values.shim },
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

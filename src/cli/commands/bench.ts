import { join, resolve } from 'node:path';
import { UsageError, type Command, parseCommandLine } from '../command';
// None of these loads ONNX Runtime: only the worker process does.
import { exportPyTorchModule, ExportError } from '../../run/onnx/export';
import { formatBenchRecord } from '../../run/onnx/format';
import { InputError, parseInputArg } from '../../run/onnx/inputs';
import { isKnownProvider, KNOWN_PROVIDERS } from '../../run/onnx/providers';
import { benchmarkToHistory } from '../../run/onnx/recorded';
import { benchmarkOnTarget, copiesWorkspace } from '../../run/onnx/remote';
import { findTarget, loadTargets, TargetError } from '../../run/targets/config';
import { parseTargetList } from '../../run/multi/targetList';
import { CHOICE_OPTIONS, CHOICE_USAGE, parseChoiceOptions } from '../choiceOptions';
import { checkTargetNames, runMultiTarget } from '../multiTarget';

const USAGE = `Usage: porta bench MODEL.onnx [options]
       porta bench FILE.py --class NAME [--input-shape 1x3x224x224 ...] [--python PATH] [options]

Benchmarks an ONNX model with ONNX Runtime, one child process per execution provider, and compares every
provider's outputs with the CPU provider's. The run is recorded in .porta/runs/.

Options:
  --ep LIST          execution providers, comma-separated (default cpu), e.g. cpu,webgpu,cuda,tensorrt,dml
  --iterations N     timed iterations (default 100)
  --duration S       time budget in seconds instead of a fixed count
  --warmup N         untimed warm-up runs (default 10)
  --input NAME=SHAPE dynamic input shape, e.g. input=1x3x224x224; or NAME=FILE.npy|FILE.json; repeatable
  --threads N        intra-op threads
  --atol X, --rtol X parity tolerance vs cpu (default 1e-4, 1e-3)
  --target LIST      run on a target from porta.toml (ssh/slurm), with its own onnxruntime; several, comma-separated
                     (local,gpu-box), run at once and end with their comparison (cost per 1,000 inferences per
                     target) and the best target (exit 0 only when every target's benchmark succeeded, 1 otherwise,
                     130 when cancelled); --json prints { runs, comparison, choice }
  --concurrency N    with several targets, at most N at once (default 4)
${CHOICE_USAGE}
  --json             print the run record as JSON
  --class NAME       (FILE.py) export this nn.Module with torch.onnx.export (opset 13) to .porta/exports/NAME.onnx,
                     then benchmark it and compare ONNX Runtime's outputs with PyTorch's
  --input-shape S    (FILE.py) example input shape for the export; repeatable; guessed from the first layer if absent
  --python PATH      (FILE.py) interpreter with torch (default: the first of $PORTA_PYTHON, python3, /usr/bin/python3 with torch)

Exit codes: 0 benchmarked, 1 outputs drift from cpu beyond the tolerance, 2 bad model/input or usage error.`;

function positiveInt(name: string, value: string | undefined, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new UsageError(`--${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer, got '${value}'`);
  return n;
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return n;
}

/**
 * The export lands in .porta/exports/, which the rsync to ssh targets (and Slurm via ssh) always leaves out: the
 * remote benchmark would find no model. Say so before exporting, with the way to do it.
 */
async function refuseExportToCopiedTargets(cwd: string, names: string[], className: string): Promise<void> {
  let known;
  try {
    known = await loadTargets(cwd);
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  }
  const copied = names.filter((name) => {
    try {
      return copiesWorkspace(findTarget(known, name));
    } catch {
      return false; // an unknown name is reported by the target checks that follow
    }
  });
  if (!copied.length) return;
  throw new UsageError(`--class exports to .porta/exports/${className}.onnx, which is never synced to ${copied.map((n) => `'${n}'`).join(', ')} ` +
    `(.porta/ stays on this machine). Export here first (porta bench FILE.py --class ${className}), copy .porta/exports/${className}.onnx ` +
    `into the workspace (e.g. models/${className}.onnx) and benchmark that file: porta bench models/${className}.onnx --target ${names.join(',')}`);
}

export const command: Command = {
  name: 'bench',
  summary: 'Benchmark an ONNX model per execution provider (latency, throughput, memory, parity vs CPU)',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: {
        ep: { type: 'string' }, iterations: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' },
        input: { type: 'string', multiple: true }, threads: { type: 'string' }, json: { type: 'boolean' },
        target: { type: 'string' }, concurrency: { type: 'string' }, atol: { type: 'string' }, rtol: { type: 'string' },
        class: { type: 'string' }, 'input-shape': { type: 'string', multiple: true }, python: { type: 'string' },
        ...CHOICE_OPTIONS,
      },
    });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one model, got ${positionals.length}` : 'missing MODEL.onnx');
    if (values.iterations !== undefined && values.duration !== undefined) throw new UsageError('give --iterations or --duration, not both');
    const choice = parseChoiceOptions(values);
    const requested = (values.ep ?? 'cpu').split(',').map((s) => s.trim()).filter(Boolean);
    if (!requested.length) throw new UsageError('--ep needs at least one provider');
    const unknown = requested.filter((p) => !isKnownProvider(p));
    if (unknown.length) throw new UsageError(`unknown execution provider${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `'${p}'`).join(', ')} (expected ${KNOWN_PROVIDERS.join(', ')}, or a full name such as CUDAExecutionProvider)`);
    const providers = requested.map((p) => (/ExecutionProvider$/.test(p) ? p : p.toLowerCase()));
    let inputs;
    try {
      inputs = (values.input ?? []).map(parseInputArg).map((s) => ('file' in s ? { ...s, file: resolve(io.cwd, s.file) } : s));
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(error.message);
      throw error;
    }
    let model = resolve(io.cwd, positionals[0]);
    let expectedOutputs: { name: string; file: string }[] | undefined;
    if (model.endsWith('.py')) {
      if (!values.class) throw new UsageError(`${positionals[0]} is Python: name the nn.Module to export with --class NAME`);
      await refuseExportToCopiedTargets(io.cwd, parseTargetList(values.target), values.class);
      const shapes = (values['input-shape'] ?? []).map((s) => {
        if (!/^\d+([x,]\d+)*$/.test(s)) throw new UsageError(`--input-shape takes dimensions like 1x3x224x224, got '${s}'`);
        return s.split(/[x,]/).map(Number);
      });
      try {
        const exported = await exportPyTorchModule({
          source: model, className: values.class, out: join(io.cwd, '.porta', 'exports', `${values.class}.onnx`),
          python: values.python ?? io.env.PORTA_PYTHON, inputShapes: shapes,
        });
        if (!values.json) io.stderr.write(`[porta] exported ${values.class} to ${exported.onnx} (torch ${exported.torch}, opset ${exported.opset}, onnx.checker ${exported.checker})\n`);
        model = exported.onnx;
        if (!inputs.length) inputs = exported.inputs.map((i) => ({ name: i.name, file: i.file }));
        expectedOutputs = exported.outputs.map((o) => ({ name: o.name, file: o.file }));
      } catch (error) {
        if (error instanceof ExportError) {
          // Still a recorded (failed) benchmark, so the history shows what was tried.
          const { record } = await benchmarkToHistory({ workspaceRoot: io.cwd, model, command: ['porta', 'bench', ...argv], failure: `export of ${values.class} failed: ${error.message}` });
          io.stderr.write(`porta bench: ${record.error}\n`);
          return 2;
        }
        throw error;
      }
    }
    const options = {
      model,
      expectedOutputs,
      providers,
      iterations: positiveInt('iterations', values.iterations),
      durationS: positiveNumber('duration', values.duration),
      warmup: positiveInt('warmup', values.warmup, true),
      inputs,
      threads: positiveInt('threads', values.threads),
      tolerance: { atol: positiveNumber('atol', values.atol) ?? 1e-4, rtol: positiveNumber('rtol', values.rtol) ?? 1e-3 },
      workspaceRoot: io.cwd,
      command: ['porta', 'bench', ...argv],
      log: values.json ? undefined : (line: string) => { if (line.startsWith('[porta]')) io.stderr.write(`${line}\n`); },
    };
    const targets = parseTargetList(values.target);
    if (!targets.length) throw new UsageError('--target needs at least one target name');
    if (targets.length > 1) {
      const concurrency = positiveInt('concurrency', values.concurrency);
      await checkTargetNames(io.cwd, targets);
      const known = await loadTargets(io.cwd);
      return runMultiTarget(io, targets, { json: values.json ?? false, concurrency, choice }, async (target, run) => {
        const each = { ...options, signal: run.signal, log: (line: string) => run.onLog(`${line}\n`) };
        // Local is priced like the single-target path, so the comparison's cost per 1,000 inferences covers it too.
        if (target === 'local') return (await benchmarkToHistory({ ...each, price: findTarget(known, 'local').price })).record;
        return benchmarkOnTarget({ ...each, target: findTarget(known, target) });
      });
    }
    let record;
    let price;
    if (targets[0] !== 'local') {
      let target;
      try {
        target = findTarget(await loadTargets(io.cwd), targets[0]);
      } catch (error) {
        if (error instanceof TargetError) throw new UsageError(error.message);
        throw error;
      }
      price = target.price;
      record = await benchmarkOnTarget({ ...options, target });
    } else {
      let local;
      try {
        local = findTarget(await loadTargets(io.cwd), 'local');
      } catch (error) {
        if (error instanceof TargetError) throw new UsageError(error.message);
        throw error;
      }
      price = local.price;
      record = (await benchmarkToHistory({ ...options, price })).record;
    }
    const drift = (record.providers ?? []).some((p) => p.parity?.some((x) => !x.withinTolerance));
    io.stdout.write(values.json ? JSON.stringify(record, null, 2) + '\n' : formatBenchRecord(record, price));
    if (record.status !== 'succeeded') {
      if (values.json) io.stderr.write(`porta bench: ${record.error ?? record.status}\n`);
      return 2;
    }
    return drift ? 1 : 0;
  },
};

#!/usr/bin/env node
// The README's first command: Porta's main job on the bundled examples, with no configuration.
// scan → fix (diff, then applied to a scratch copy) → run the port twice → compare the runs
// → benchmark an exported model per ONNX Runtime execution provider → the comparison with what each costs.
// The scratch copies get examples/porta.toml, so the runs are priced (local at its price_per_hour).
// Everything is written to a scratch copy under the system temp folder; examples/ stays as it is.
// Without PyTorch (a fresh machine): as root on Debian it installs the Python runtime packages with the script
// npm test uses (limited to those); otherwise it names the package, skips the steps that need PyTorch, benchmarks
// the ONNX model the examples ship instead, and still exits 0.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const cli = join(repo, 'dist', 'cli.js');
const bold = process.stdout.isTTY ? (s) => `\x1b[1m${s}\x1b[0m` : (s) => s;

function step(title) {
  process.stdout.write(`\n${bold(`━━ ${title}`)}\n\n`);
}

/** Runs `porta ARGS` in `cwd`, streaming its output; returns stdout when asked to capture it. */
function porta(args, { cwd = repo, capture = false, allow = [0, 1] } = {}) {
  process.stdout.write(`$ porta ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (!allow.includes(result.status ?? -1)) {
    process.stderr.write(`demo: 'porta ${args.join(' ')}' exited ${result.status}\n`);
    process.exit(result.status || 2);
  }
  return result.stdout ?? '';
}

/** The interpreter a run would use (as the `local` target picks it), if one has torch. */
function pythonWithTorch() {
  const candidates = process.env.PORTA_PYTHON ? [process.env.PORTA_PYTHON] : ['python3', '/usr/bin/python3'];
  const check = 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)';
  return candidates.find((python) => spawnSync(python, ['-I', '-c', check], { cwd: '/', stdio: 'ignore' }).status === 0);
}

/** Installs Debian's PyTorch when this is Debian and we are root (and the user did not say PORTA_DEMO_INSTALL=0). */
function installPythonRuntime() {
  const canInstall = process.getuid?.() === 0 && existsSync('/etc/debian_version') && process.env.PORTA_DEMO_INSTALL !== '0';
  if (!canInstall) return false;
  process.stdout.write('PyTorch is not installed: installing the Debian packages python3 python3-torch python3-onnx python3-numpy\n'
    + '(scripts/provision.sh --python-runtime, the script npm test uses; set PORTA_DEMO_INSTALL=0 to skip)\n');
  return spawnSync('bash', [join(repo, 'scripts', 'provision.sh'), '--python-runtime'], { stdio: 'inherit' }).status === 0;
}

const skipped = [];
let python = pythonWithTorch();
if (!python && installPythonRuntime()) python = pythonWithTorch();

step('1. Scan the examples: what binds them to NVIDIA, and how ready each target is');
porta(['scan', 'examples']);

const scratch = mkdtempSync(join(tmpdir(), 'porta-demo-'));
const ported = join(scratch, 'ported');
cpSync(join(repo, 'examples', 'train-mnist-like'), ported, { recursive: true });
// The priced targets: every run below records what it cost.
cpSync(join(repo, 'examples', 'porta.toml'), join(ported, 'porta.toml'));

step('2. The portable rewrite of the training example (device chosen at run time)');
// The example pins torch 2.4; this machine runs Debian's PyTorch 1.13, so ask for code that runs there too.
const fixArgs = ['--unsafe-fixes', '--torch-version', '1.13', '.'];
porta(['fix', '--diff', ...fixArgs], { cwd: ported });
porta(['fix', ...fixArgs], { cwd: ported });

if (python) {
  step('3. Run the port on this machine: once with the accelerator chosen at run time, once pinned to the CPU');
  const autoRun = JSON.parse(porta(['run', '--json', '--', 'train.py'], { cwd: ported, capture: true, allow: [0] }));
  const cpuRun = JSON.parse(porta(['run', '--backend', 'cpu', '--json', '--', 'train.py'], { cwd: ported, capture: true, allow: [0] }));
  for (const run of [autoRun, cpuRun]) {
    process.stdout.write(`run ${run.id}: ${run.status}, backend ${run.backend} → ${run.resolvedBackend ?? '?'}\n`);
  }

  step('4. Compare the runs (latency, memory, cost, and the printed RESULT values against the CPU reference)');
  porta(['compare', autoRun.id, cpuRun.id, '--reference', cpuRun.id], { cwd: ported });
} else {
  skipped.push('3. run the port (needs PyTorch)', '4. compare the runs (needs the runs of step 3)');
}

const inference = join(scratch, 'inference');
cpSync(join(repo, 'examples', 'inference-notebook'), inference, { recursive: true });
cpSync(join(repo, 'examples', 'porta.toml'), join(inference, 'porta.toml'));
if (python) {
  step('5. Export the inference example\'s model to ONNX and benchmark it per execution provider');
  porta(['bench', 'infer.py', '--class', 'TinyConv', '--input-shape', '1x3x32x32', '--ep', 'cpu,webgpu,cuda', '--iterations', '200'], { cwd: inference });
} else {
  skipped.push('5. export the model from infer.py (needs PyTorch): the shipped tinyconv.onnx is benchmarked instead');
  step('5. Benchmark the ONNX model the inference example ships, per execution provider');
  porta(['bench', 'tinyconv.onnx', '--ep', 'cpu,webgpu,cuda', '--iterations', '200'], { cwd: inference });
}

step('6. What it costs: the benchmark compared per provider, with the best target by latency × cost');
// The newest run in the scratch copy is the benchmark of step 5; its providers are the compared targets.
const [bench] = JSON.parse(porta(['runs', '--json', '--limit', '1'], { cwd: inference, capture: true, allow: [0] })).runs;
porta(['compare', bench.id, '--objective', 'balanced'], { cwd: inference });
process.stdout.write('Prices come from porta.toml (see examples/porta.toml); `--objective latency|cost|balanced` picks the winner.\n');

process.stdout.write(`\nScratch copies and run logs: ${scratch}\n`);
if (skipped.length) {
  process.stdout.write(`\nSkipped, because no Python with PyTorch was found (tried ${process.env.PORTA_PYTHON ?? 'python3, /usr/bin/python3'}):\n`
    + `${skipped.map((s) => `  - ${s}`).join('\n')}\n`
    + 'Install it to run them: on Debian or Ubuntu `sudo apt-get install python3-torch` (or `pip install torch`), then `npm run demo` again.\n');
}

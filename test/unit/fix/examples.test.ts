import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PYTHON, REPO, porta, runPython } from './helpers';

/**
 * The bundled examples are CUDA-only as written. After `porta fix --unsafe-fixes` (the unsafe part: removing their
 * "CUDA is required" guards) they must run on Debian's CPU-only PyTorch and print their RESULT line.
 * `--torch-version 1.13`: the examples declare torch 2.4, but the interpreter that runs them here is Debian's 1.13.
 */
/** What get_device_name answers on the CPU after the fix (the model name, from /proc/cpuinfo on Linux). */
const cpuModel = (): string => os.cpus()[0]!.model.trim();

describe('bundled examples run on a CPU-only PyTorch after porta fix', function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-examples-'));
    fs.cpSync(path.join(REPO, 'examples'), dir, { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fix = async (folder: string): Promise<string> => {
    const fixed = await porta(['fix', '--unsafe-fixes', '--torch-version', '1.13', path.join(dir, folder)]);
    assert.equal(fixed.code, 0, fixed.stderr);
    return fixed.stderr;
  };

  it('train-mnist-like: fails as written, prints RESULT after the fix', async () => {
    const cwd = path.join(dir, 'train-mnist-like');
    const before = await runPython(['train.py', '--epochs', '1'], { cwd });
    assert.notEqual(before.code, 0, `the unported example should fail on ${PYTHON}`);
    await fix('train-mnist-like');
    const after = await runPython(['train.py', '--epochs', '1'], { cwd });
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /^RESULT loss=\d+\.\d+ acc=\d\.\d{4} checksum=-?\d+\.\d+$/m);
    assert.ok(after.stdout.startsWith(`training on ${cpuModel()} `), `get_device_name answers the CPU model, as porta_shim does\n${after.stdout}`);
  });

  it('inference-notebook/infer.py: refuses to run as written, prints RESULT after the fix', async () => {
    const cwd = path.join(dir, 'inference-notebook');
    const before = await runPython(['infer.py'], { cwd });
    assert.notEqual(before.code, 0);
    assert.match(before.stderr, /CUDA is required/);
    await fix('inference-notebook');
    const after = await runPython(['infer.py'], { cwd });
    assert.equal(after.code, 0, after.stderr);
    assert.ok(after.stdout.startsWith(`device: ${cpuModel()} `), after.stdout);
    assert.match(after.stdout, /^RESULT top1=[\d,]+ checksum=-?\d+\.\d+$/m);
  });

  it('cuda-extension: the Python side is ported (no CUDA-only guard; device and sync follow the chosen device)', async () => {
    await fix('cuda-extension');
    const text = fs.readFileSync(path.join(dir, 'cuda-extension/run_fused.py'), 'utf8');
    assert.doesNotMatch(text, /assert torch\.cuda\.is_available\(\)/);
    assert.doesNotMatch(text, /device="cuda"|torch\.cuda\.synchronize\(\)/);
    // The extension itself needs a CUDA (or HIP) toolchain to build: without it the script says how to build it.
    const run = await runPython(['run_fused.py'], { cwd: path.join(dir, 'cuda-extension') });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr + run.stdout, /fused_ops is not built/);
  });
});

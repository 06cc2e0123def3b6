// The examples are the "before" of every port: as written they must refuse to run without an
// NVIDIA GPU. Runs them with Debian's CPU-only PyTorch (/usr/bin/python3).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const examples = path.resolve(__dirname, '../../../examples');
const python = '/usr/bin/python3';

function runExample(dir: string, script: string): { status: number | null; output: string } {
  const work = mkdtempSync(path.join(os.tmpdir(), 'porta-example-'));
  try {
    cpSync(path.join(examples, dir), work, { recursive: true });
    const result = spawnSync(python, [script], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('examples are CUDA-only as written', function () {
  this.timeout(120_000); // each run imports torch: seconds on a busy machine
  before(function () {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(probe.status, 0, `PyTorch must be importable by ${python} (apt-get install python3-torch): ${probe.stderr}`);
    assert.equal(probe.stdout.trim(), 'False', 'these checks need a CPU-only PyTorch');
  });

  it('train-mnist-like stops without an NVIDIA GPU', () => {
    const { status, output } = runExample('train-mnist-like', 'train.py');
    assert.notEqual(status, 0);
    assert.match(output, /needs an NVIDIA GPU/);
    assert.doesNotMatch(output, /^RESULT/m);
  });

  it('inference-notebook stops without an NVIDIA GPU', () => {
    const { status, output } = runExample('inference-notebook', 'infer.py');
    assert.notEqual(status, 0);
    assert.match(output, /CUDA is required/);
  });

  it('cuda-extension needs its CUDA build', () => {
    const { status, output } = runExample('cuda-extension', 'run_fused.py');
    assert.notEqual(status, 0);
    assert.match(output, /fused_ops is not built/);
    assert.match(readFileSync(path.join(examples, 'cuda-extension/setup.py'), 'utf8'), /CUDAExtension\(/);
  });

  it('each project pins CUDA and documents its RESULT line', () => {
    for (const dir of ['train-mnist-like', 'inference-notebook', 'cuda-extension']) {
      assert.ok(existsSync(path.join(examples, dir, 'README.md')), `${dir}/README.md`);
      assert.match(readFileSync(path.join(examples, dir, 'README.md'), 'utf8'), /RESULT /, `${dir} documents its deterministic result`);
    }
    assert.match(readFileSync(path.join(examples, 'train-mnist-like/requirements.txt'), 'utf8'), /\+cu121/);
    assert.match(readFileSync(path.join(examples, 'train-mnist-like/launch.sh'), 'utf8'), /CUDA_VISIBLE_DEVICES/);
  });
});

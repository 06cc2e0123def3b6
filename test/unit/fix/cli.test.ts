import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPatch } from 'diff';
import { porta } from './helpers';

const PROGRAM = 'import torch\n\nx = torch.zeros(2).cuda()  # to the GPU\ntorch.cuda.synchronize()\n';

describe('porta fix (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-fix-cli-'));
    fs.writeFileSync(path.join(dir, 'train.py'), PROGRAM);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--diff prints a correct unified diff and writes nothing', async () => {
    const result = await porta(['fix', '--diff', 'train.py'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^--- a\/train\.py\n\+\+\+ b\/train\.py\n@@ /);
    assert.equal(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), PROGRAM);
    const patched = applyPatch(PROGRAM, result.stdout);
    assert.ok(patched !== false, 'the diff does not apply to the original');
    assert.match(patched, /x = torch\.zeros\(2\)\.to\(DEVICE\) {2}# to the GPU/);
    assert.match(result.stderr, /would change 1 of 1 file, 2 fixes \(target auto\)/);
  });

  it('--diff names a file outside the working directory by its absolute path', async () => {
    const file = path.join(dir, 'train.py');
    const result = await porta(['fix', '--diff', file], os.homedir());
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.startsWith(`--- ${file}\n+++ ${file}\n@@ `), result.stdout.slice(0, 200));
    assert.ok(applyPatch(PROGRAM, result.stdout) !== false, 'the diff does not apply to the original');
  });

  it('walks folders as porta scan does: files .gitignore names are left alone', async () => {
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'generated', 'copy.py'), PROGRAM);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'generated/\n');
    const result = await porta(['fix', '.'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.notEqual(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), PROGRAM);
    assert.equal(fs.readFileSync(path.join(dir, 'generated', 'copy.py'), 'utf8'), PROGRAM);
  });

  it('rewrites in place atomically, then finds nothing more to do', async () => {
    const first = await porta(['fix', '.', '--target', 'cpu'], dir);
    assert.equal(first.code, 0, first.stderr);
    const fixed = fs.readFileSync(path.join(dir, 'train.py'), 'utf8');
    assert.match(fixed, /DEVICE = torch\.device\("cpu"\)/);
    assert.deepEqual(fs.readdirSync(dir), ['train.py'], 'a temporary file was left behind');
    const second = await porta(['fix', '.', '--target', 'cpu'], dir);
    assert.match(second.stderr, /changed 0 of 1 file, 0 fixes/);
    assert.equal(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), fixed);
  });

  it('reads the declared torch version from requirements.txt, and --torch-version overrides it', async () => {
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'torch>=2.6\n');
    const declared = await porta(['fix', '--diff', 'train.py'], dir);
    assert.match(declared.stdout, /\+DEVICE = torch\.accelerator\.current_accelerator\(\) if torch\.accelerator\.is_available\(\)/);
    assert.match(declared.stdout, /\+torch\.accelerator\.synchronize\(\) if torch\.accelerator\.is_available\(\) else None/);
    const overridden = await porta(['fix', '--diff', '--torch-version', '1.13', 'train.py'], dir);
    assert.match(overridden.stdout, /_porta_pick_device\(\)/);
  });

  it('rejects bad input with exit code 2 and touches nothing', async () => {
    const badTarget = await porta(['fix', '--target', 'tpu', 'train.py'], dir);
    assert.equal(badTarget.code, 2);
    assert.match(badTarget.stderr, /unknown target 'tpu'/);
    const missing = await porta(['fix', 'nope.py'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or directory: nope\.py/);
    const badVersion = await porta(['fix', '--torch-version', 'latest', 'train.py'], dir);
    assert.equal(badVersion.code, 2);
    assert.equal(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), PROGRAM);
  });

  it('--target hip routes CUDA C++ to the HIP converter and --stats prints its report', async () => {
    const cu = '#include <cuda_runtime.h>\nint main() { float *p; cudaMalloc(&p, 4); cudaFree(p); return 0; }\n';
    fs.writeFileSync(path.join(dir, 'k.cu'), cu);
    const result = await porta(['fix', '--target', 'hip', '--stats', '.'], dir);
    assert.equal(result.code, 0, result.stderr);
    const converted = fs.readFileSync(path.join(dir, 'k.cu'), 'utf8');
    assert.match(converted, /#include <hip\/hip_runtime\.h>/);
    assert.match(converted, /hipMalloc\(&p, 4\); hipFree\(p\);/);
    assert.match(result.stdout, /CONVERSION %/);
  });

  it('leaves a file that is not valid UTF-8 byte for byte as it was', async () => {
    const bytes = Buffer.concat([Buffer.from('import torch\nx = torch.zeros(2).cuda()  # caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    fs.writeFileSync(path.join(dir, 'latin1.py'), bytes);
    const result = await porta(['fix', 'latin1.py'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /latin1\.py: not fixed: not valid UTF-8/);
    assert.ok(fs.readFileSync(path.join(dir, 'latin1.py')).equals(bytes));
  });

  it('reports unsafe fixes it did not apply', async () => {
    fs.writeFileSync(path.join(dir, 'seed.py'), 'import torch\ntorch.cuda.manual_seed(0)\n');
    const result = await porta(['fix', '--diff', 'seed.py'], dir);
    assert.match(result.stderr, /1 more fix available with --unsafe-fixes/);
    const unsafe = await porta(['fix', '--diff', '--unsafe-fixes', 'seed.py'], dir);
    assert.match(unsafe.stdout, /\+torch\.manual_seed\(0\)/);
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixText } from '../../../src/core/fix';
import { packagePlace } from '../../../src/workspace/packageSupport';
import { summarizeFixAll } from '../../../src/extension/analyzerPort';
import { PYTHON, REPO, porta, runPython } from './helpers';

/**
 * In a package, support code lives once: `porta fix` writes one shared module that the fixed modules import, and the
 * device is chosen when first needed (issue 14, part 4). Scripts keep inline support code.
 */
const FIXTURE = path.join(REPO, 'test/fixtures/fix-package');

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-package-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.py')) out.set(rel, read(dir, rel));
    }
  };
  walk('');
  return out;
}

describe('fix: a package gets one shared support module (issue 14)', function () {
  this.timeout(120_000);
  let dir: string;
  let first: Awaited<ReturnType<typeof porta>>;
  before(async () => {
    dir = copyFixture();
    first = await porta(['fix', '.'], dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes mylib/_porta_device.py once, and the package modules import from it relatively', () => {
    assert.equal(first.code, 0, first.stderr);
    const module = read(dir, 'mylib/_porta_device.py');
    assert.equal(module.match(/def _porta_pick_device\(/g)?.length, 1);
    assert.match(module, /def porta_device\(\):/);
    assert.match(module, /def _porta_device_call\(/);
    assert.match(module, /def _porta_event\(/);
    assert.match(read(dir, 'mylib/train.py'), /^from \._porta_device import porta_device, _porta_device_call$/m);
    assert.match(read(dir, 'mylib/train.py'), /model\.to\(porta_device\(\)\)/);
    assert.match(read(dir, 'mylib/models/net.py'), /^from \.\._porta_device import porta_device$/m);
    assert.match(read(dir, 'mylib/models/timing.py'), /^from \.\._porta_device import _porta_device_call, _porta_event$/m);
    for (const file of ['mylib/train.py', 'mylib/models/net.py', 'mylib/models/timing.py']) {
      assert.doesNotMatch(read(dir, file), /def _porta_|DEVICE = /, `${file} defines no support code of its own`);
    }
    assert.ok(!fs.existsSync(path.join(dir, '_porta_device.py')), 'no module outside the package');
  });

  it('scripts keep inline support code: one outside any package, and one inside a package that runs as __main__', () => {
    assert.match(read(dir, 'run.py'), /^import torch$/m);
    assert.match(read(dir, 'run.py'), /DEVICE = _porta_pick_device\(\)/);
    assert.match(read(dir, 'mylib/tool.py'), /DEVICE = _porta_pick_device\(\)/);
    assert.doesNotMatch(read(dir, 'mylib/tool.py'), /_porta_device import/);
  });

  it('the fixed program runs on the CPU, and pyflakes has nothing to say about the package', async () => {
    const ran = await runPython(['run.py'], { cwd: dir });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, '(1, 2)\nTrue\n');
    const flakes = spawnSync(PYTHON, ['-m', 'pyflakes', 'mylib', 'run.py'], { cwd: dir, encoding: 'utf8' });
    if (flakes.error || /No module named pyflakes/.test(flakes.stderr)) return; // Debian's python3-pyflakes (provision.sh)
    assert.equal(`${flakes.stdout}${flakes.stderr}`, '');
  });

  it('importing the package does not choose the device; the first use does', async () => {
    const probe = 'import mylib.train, mylib.models.net, mylib.models.timing, mylib.erasing, mylib.bench, mylib.ops, mylib._porta_device as m\nprint(m.porta_device.cache_info().currsize)\nm.porta_device()\nprint(m.porta_device.cache_info().currsize)\n';
    const ran = await runPython(['-c', probe], { cwd: dir });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, '0\n1\n');
  });

  it('a default argument is resolved when the function is called without it (timm random_erasing\'s device="cuda")', async () => {
    assert.match(read(dir, 'mylib/erasing.py'), /def _get_pixels\(patch_size, dtype=torch\.float32, device=None\):\n {4}"""Fill values for an erased patch\."""\n {4}if device is None:\n {8}device = porta_device\(\)\.type\n/);
    const probe = [
      'import mylib.erasing as e, mylib._porta_device as m',
      'print(m.porta_device.cache_info().currsize)',
      'print(e._get_pixels((2,), device="cpu").device.type, m.porta_device.cache_info().currsize)',
      'print(e._get_pixels((2,)).device.type == m.porta_device().type, m.porta_device.cache_info().currsize)',
    ].join('\n');
    const ran = await runPython(['-c', probe], { cwd: dir });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, '0\ncpu 0\nTrue 1\n');
  });

  it('a module-level DEVICE read only inside functions is chosen on first use (fairseq benchmark_multihead_attention\'s DEVICE)', async () => {
    assert.doesNotMatch(read(dir, 'mylib/bench.py'), /^DEVICE = /m);
    const probe = [
      'import mylib.bench as b, mylib._porta_device as m',
      'print(m.porta_device.cache_info().currsize)',
      'print(b.make_input().device.type == m.porta_device().type)',
      'from mylib.bench import DEVICE',
      'print(DEVICE == m.porta_device(), b.DEVICE == DEVICE)',
    ].join('\n');
    const ran = await runPython(['-c', probe], { cwd: dir });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, '0\nTrue\nTrue True\n');
  });

  it('custom_fwd/custom_bwd decorators read the device when the function is first called (apex conv_bias_relu)', async () => {
    assert.match(read(dir, 'mylib/ops.py'), /@_porta_amp_custom\("custom_fwd", cast_inputs=torch\.float32\)/);
    const probe = [
      // This torch (1.13) has no torch.amp.custom_fwd: stand-ins of PyTorch 2.4's record the device type they get.
      'import torch, torch.amp',
      'seen = []',
      'def stand_in(name):',
      '    def decorate(fn=None, *, device_type, **kw):',
      '        seen.append((name, device_type, m.porta_device.cache_info().currsize))',
      '        return fn',
      '    return decorate',
      'torch.amp.custom_fwd, torch.amp.custom_bwd = stand_in("fwd"), stand_in("bwd")',
      'import mylib._porta_device as m, mylib.ops as o',
      'print(m.porta_device.cache_info().currsize, seen)',
      'x = torch.ones(2, requires_grad=True)',
      'y = o.Double.apply(x)',
      'y.sum().backward()',
      'print(y.tolist(), x.grad.tolist(), seen == [("fwd", m.porta_device().type, 1), ("bwd", m.porta_device().type, 1)])',
    ].join('\n');
    const ran = await runPython(['-c', probe], { cwd: dir });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, '0 []\n[2.0, 2.0] [2.0, 2.0] True\n');
  });

  it('a second run changes nothing, also fixing one module alone keeps what the others import', async () => {
    const before = tree(dir);
    const again = await porta(['fix', '.'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(tree(dir), before);
    const alone = await porta(['fix', 'mylib/models/net.py'], dir);
    assert.equal(alone.code, 0, alone.stderr);
    assert.deepEqual(tree(dir), before);
  });
});

describe('fix: the shared support module follows what was really written', function () {
  this.timeout(120_000);
  const readOnly = (dir: string): void => {
    for (const file of tree(dir).keys()) fs.chmodSync(path.join(dir, file), 0o444);
  };

  it('a package whose modules are all read-only gets no orphan _porta_device.py', async () => {
    const dir = copyFixture();
    try {
      // timing.py already imports from the shared module (fixed earlier): without it, nothing would.
      fs.rmSync(path.join(dir, 'mylib/models/timing.py'));
      readOnly(path.join(dir, 'mylib'));
      const result = await porta(['fix', '.'], dir);
      assert.equal(result.code, 1, 'refused files make the run fail');
      assert.match(result.stderr, /mylib[/\\]train\.py: not fixed: it is read-only/);
      assert.ok(!fs.existsSync(path.join(dir, 'mylib/_porta_device.py')), 'nothing imports it, so it is not written');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names imported only by a read-only module stay out of it; written and already-fixed modules find theirs', async () => {
    const dir = copyFixture();
    try {
      fs.chmodSync(path.join(dir, 'mylib/ops.py'), 0o444);
      const result = await porta(['fix', '.'], dir);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /mylib[/\\]ops\.py: not fixed: it is read-only/);
      const module = read(dir, 'mylib/_porta_device.py');
      assert.match(read(dir, 'mylib/models/net.py'), /^from \.\._porta_device import porta_device$/m);
      assert.match(module, /def porta_device\(\):/);
      assert.match(module, /def _porta_event\(/, 'timing.py imported it before this run');
      assert.doesNotMatch(module, /def _porta_amp_custom\(/, 'only ops.py, left unchanged, would import it');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fix: shared support in one module (fixText with options.shared)', () => {
  it('a module that imports the shared one already gets the new name added to that import', async () => {
    const input = 'import torch\nfrom ._porta_device import porta_device\n\n\ndef f(x):\n    torch.cuda.synchronize()\n    return x.to(porta_device())\n';
    const result = await fixText('m.py', input, { target: 'auto', shared: { from: '._porta_device' } });
    assert.match(result.text, /^from \._porta_device import porta_device, _porta_device_call$/m);
    assert.equal(result.text.match(/_porta_device import/g)?.length, 1);
    assert.deepEqual(result.shared, ['device', 'device-call']);
    // The editor's workspace port reads the same through the analysis worker's summary, to create the module once.
    assert.deepEqual(summarizeFixAll(result).shared, ['device', 'device-call']);
  });

  it('code that names torch gets its own import torch (the device no longer brings it)', async () => {
    const input = 'def f(x, rank):\n    return x.cuda(rank)\n';
    const result = await fixText('m.py', input, { target: 'auto', shared: { from: '._porta_device' } });
    assert.match(result.text, /^import torch\nfrom \._porta_device import porta_device\n/);
    assert.match(result.text, /x\.to\(torch\.device\(porta_device\(\)\.type, rank\)\)/);
  });
});

describe('fix: shared support, shapes from the real-world corpus', () => {
  it('helper calls and the device import what each uses, in canonical order (get_device_name asks _porta_device_info)', async () => {
    const input = 'import torch\n\n\ndef name(device):\n    torch.cuda.synchronize()\n    return torch.cuda.get_device_name(device)\n\n\nx = torch.ones(1).cuda()\n';
    const result = await fixText('m.py', input, { target: 'auto', shared: { from: '._porta_device' } });
    assert.match(result.text, /^from \._porta_device import porta_device, _porta_device_call, _porta_device_info$/m);
    assert.match(result.text, /return _porta_device_info\("get_device_name", device\)\n/);
    assert.match(result.text, /^x = torch\.ones\(1\)\.to\(porta_device\(\)\)$/m);
  });

  it('`import torch` whose only use the fix replaced goes, though `from torch import Tensor` still names torch', async () => {
    const input = 'import torch\nfrom torch import Tensor\n\n\ndef free(x: Tensor):\n    torch.cuda.empty_cache()\n    return x\n';
    const result = await fixText('m.py', input, { target: 'auto', shared: { from: '._porta_device' } });
    assert.doesNotMatch(result.text, /^import torch$/m);
    assert.match(result.text, /^from torch import Tensor\nfrom \._porta_device import _porta_device_call$/m);
  });
});

describe('fix: shared support for an explicit target', () => {
  it('a rewrite that names no device imports nothing (torch.npu.empty_cache())', async () => {
    const input = 'import torch\n\n\ndef free():\n    torch.cuda.empty_cache()\n';
    const result = await fixText('m.py', input, { target: 'npu', shared: { from: '._porta_device' } });
    assert.match(result.text, /torch\.npu\.empty_cache\(\)/);
    assert.doesNotMatch(result.text, /_porta_device import/);
    assert.match(result.text, /^import torch_npu\b/m, 'torch.npu exists once torch_npu is imported');
  });
});

describe('packagePlace: where a file finds its package support module', () => {
  const files = new Set(['/p/lib/__init__.py', '/p/lib/sub/__init__.py', '/p/lib/sub/deep/__init__.py']);
  const isFile = (p: string): boolean => files.has(p);
  it('the outermost folder of the __init__.py chain, imported with one dot per level', () => {
    assert.deepEqual(packagePlace('/p/lib/a.py', isFile), { root: '/p/lib', from: '._porta_device' });
    assert.deepEqual(packagePlace('/p/lib/sub/deep/b.py', isFile), { root: '/p/lib', from: '..._porta_device' });
  });
  it('none for a script outside packages, a notebook, or the shared module itself', () => {
    assert.equal(packagePlace('/p/run.py', isFile), undefined);
    assert.equal(packagePlace('/p/lib/nb.ipynb', isFile), undefined);
    assert.equal(packagePlace('/p/lib/_porta_device.py', isFile), undefined);
  });
});

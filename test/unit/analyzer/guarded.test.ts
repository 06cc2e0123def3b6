import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';
import { check } from './guardedCheck';

describe('guarded verdict: code that only runs where CUDA is present', () => {
  it('inside if torch.cuda.is_available(), its aliases and and-conjunctions; not after the if', async () => {
    const findings = await check([
      'import torch',
      'from torch import cuda as tc',
      'from torch.cuda import is_available',
      'if torch.cuda.is_available():',
      '    torch.cuda.synchronize()  # guarded',
      'if tc.is_available() and FLAG:',
      '    torch.cuda.empty_cache()  # guarded',
      'if is_available():',
      '    torch.cuda.synchronize()  # guarded',
      'if FLAG or torch.cuda.is_available():',
      '    torch.cuda.synchronize()  # open',
      'torch.cuda.synchronize()  # open',
      '',
    ].join('\n'));
    const guarded = findings.find((f) => f.range.start.line === 5)!;
    assert.equal(guarded.guard!.reason, 'inside `if torch.cuda.is_available():` (line 4)');
    assert.deepEqual(guarded.guard!.range, { start: { line: 4, column: 4 }, end: { line: 4, column: 29 } });
    assert.equal(guarded.targets.cpu, 'guarded');
    assert.equal(guarded.targets.npu, 'shim', 'a shim verdict stays');
    assert.equal(guarded.targets.cuda, 'ok');
  });

  it('x.is_cuda, device.type == "cuda", "cuda" in str(device), device == "cuda:0", and flags named for CUDA', async () => {
    await check([
      'import torch',
      'def f(x, device, args):',
      '    if x.is_cuda:',
      '        torch.cuda.synchronize()  # guarded',
      '    if device.type == "cuda":',
      '        torch.cuda.synchronize()  # guarded',
      '    if "cuda" in str(device):',
      '        torch.cuda.empty_cache()  # guarded',
      '    if device == "cuda:0":',
      '        torch.cuda.empty_cache()  # guarded',
      '    if "cuda" == device:',
      '        torch.cuda.empty_cache()  # guarded',
      '    if args.cuda:',
      '        torch.cuda.synchronize()  # guarded',
      '    use_gpu = torch.cuda.is_available() and args.fast',
      '    if use_gpu:',
      '        torch.cuda.synchronize()  # guarded',
      '    if device.type == "cpu":',
      '        torch.cuda.synchronize()  # open',
      '    if device != "cuda":',
      '        torch.cuda.synchronize()  # open',
      '',
    ].join('\n'));
  });

  it('the else of a negated check, and everything after an early return or raise in the same function only', async () => {
    await check([
      'import torch',
      'def f(x):',
      '    if not x.is_cuda:',
      '        torch.cuda.synchronize()  # open',
      '    else:',
      '        torch.cuda.synchronize()  # guarded',
      'def g(device):',
      '    if device.type != "cuda":',
      '        raise ValueError(device)',
      '    torch.cuda.set_device(device)  # guarded',
      'def h():',
      '    if not torch.cuda.is_available():',
      '        return None',
      '    return torch.cuda.memory_allocated()  # guarded',
      'def k():',
      '    torch.cuda.synchronize()  # open',
      '',
    ].join('\n'));
  });

  it('the CUDA arm of a per-vendor if/elif chain, wherever it sits in the chain; CUDA-or-CPU is a plain branch', async () => {
    const findings = await check([
      'import torch',
      'def sync(device):',
      '    if device.type == "npu":',
      '        torch.npu.synchronize()',
      '    elif device.type == "cuda":',
      '        torch.cuda.synchronize()  # guarded',
      '    elif torch.backends.mps.is_available():',
      '        torch.mps.synchronize()',
      'def place(x):',
      '    if torch.cuda.is_available():',
      '        return x.to("cuda")  # guarded',
      '    elif torch.xpu.is_available():',
      '        return x.to("xpu")',
      '    return x',
      'if torch.cuda.is_available():',
      '    torch.cuda.synchronize()  # guarded',
      'else:',
      '    print("no GPU")',
      '',
    ].join('\n'));
    const reason = (line: number) => findings.find((f) => f.range.start.line === line)!.guard!.reason;
    assert.equal(reason(6), 'in the CUDA arm of a per-vendor chain, `elif device.type == "cuda":` (line 5)');
    assert.equal(reason(11), 'in the CUDA arm of a per-vendor chain, `if torch.cuda.is_available():` (line 10)');
    assert.equal(reason(16), 'inside `if torch.cuda.is_available():` (line 15)', 'CUDA or the CPU is no per-vendor chain');
  });

  it('optional imports in try/except ImportError, availability probe functions, per-vendor classes', async () => {
    await check([
      'import torch',
      'try:',
      '    import pynvml  # guarded',
      'except (ImportError, OSError):',
      '    pynvml = None',
      'try:',
      '    torch.cuda.synchronize()  # open',
      'except RuntimeError:',
      '    pass',
      'def has_working_cuda():',
      '    """Whether CUDA really works here."""',
      '    try:',
      '        torch.cuda.synchronize()  # guarded',
      '        return True',
      '    except Exception:',
      '        return False',
      'class CUDAAccelerator(Accelerator):',
      '    def teardown(self):',
      '        torch.cuda.empty_cache()  # guarded',
      'class CudaKernels(Base):',
      '    def teardown(self):',
      '        torch.cuda.empty_cache()  # open',
      '',
    ].join('\n'));
  });

  it('tests skipped without CUDA: skipif/skipIf/skipUnless, RunIf(min_cuda_gpus=N), marks assigned to names', async () => {
    const findings = await check([
      'import unittest',
      'import pytest',
      'import torch',
      'requires_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")',
      '@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")',
      'def test_a():',
      '    torch.cuda.synchronize()  # guarded',
      '@unittest.skipIf(not torch.cuda.is_available(), "needs CUDA")',
      'class TestB(unittest.TestCase):',
      '    def test_b(self):',
      '        x = torch.zeros(2, device="cuda")  # guarded',
      '@unittest.skipUnless(torch.cuda.is_available(), "needs CUDA")',
      'def test_c():',
      '    torch.cuda.empty_cache()  # guarded',
      '@RunIf(min_cuda_gpus=2)',
      'def test_d():',
      '    device = torch.device("cuda:1")  # guarded',
      '@requires_cuda',
      'def test_e():',
      '    torch.cuda.synchronize()  # guarded',
      '@RunIf(min_cuda_gpus=0)',
      'def test_f():',
      '    torch.cuda.synchronize()  # open',
      '@pytest.mark.skipif(torch.cuda.is_available(), reason="CPU only")',
      'def test_g():',
      '    torch.cuda.synchronize()  # open',
      '@pytest.mark.parametrize("device", [',
      '    "cpu",',
      '    pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")),',
      '    pytest.param([torch.device("cuda:0")], marks=RunIf(min_cuda_gpus=1)),  # guarded',
      '    pytest.param([torch.device("cuda:0")], marks=RunIf(skip_windows=True)),  # open',
      '])',
      'def test_h(device):',
      '    pass',
      '',
    ].join('\n'));
    assert.deepEqual(findings.filter((f) => f.range.start.line === 5 || f.range.start.line === 4), [], 'the skip condition is the skip idiom, no finding');
    assert.equal(findings.find((f) => f.range.start.line === 7)!.guard!.reason, 'in a test skipped without CUDA by `@pytest.mark.skipif(not torch.cuda.is_available(), reason...` (line 5)');
  });

  it('a module-level pytestmark that skips without CUDA guards the whole test module', async () => {
    await check([
      'import pytest',
      'import torch',
      'pytestmark = [pytest.mark.slow, pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")]',
      'def test_a():',
      '    torch.cuda.synchronize()  # guarded',
      '',
    ].join('\n'));
    await check(['import pytest', 'import torch', 'pytestmark = pytest.mark.slow', 'def test_a():', '    torch.cuda.synchronize()  # open', ''].join('\n'));
  });

  it('CUDA flags on self (self.gpu, self.use_cuda) and methods that implement Module.cuda()', async () => {
    await check([
      'import torch',
      'class Agent:',
      '    def load(self, model):',
      '        if self.gpu:',
      '            model = model.to("cuda")  # guarded',
      '        if self.use_cuda:',
      '            torch.cuda.synchronize()  # guarded',
      '        if self.gpu_ids:',
      '            torch.cuda.synchronize()  # open',
      'class Mixin:',
      '    def cuda(self, device=None):',
      '        device = torch.device("cuda", 0)  # guarded',
      '        return device',
      'def cuda(device=None):',
      '    return torch.device("cuda", 0)  # open',
      '',
    ].join('\n'));
  });

  it('an early bare return without CUDA inside a function is a skip, not a refusal; in main it still refuses', async () => {
    const findings = await check([
      'import torch',
      'class TestKernel:',
      '    def _test_softmax(self):',
      '        if not torch.cuda.is_available():',
      '            return',
      '        torch.cuda.synchronize()  # guarded',
      '    def _test_amp(self, device="cuda"):',
      '        if not torch.cuda.is_available() and device == "cuda":',
      '            return',
      'def main():',
      '    if not torch.cuda.is_available():',
      '        return',
      'def helper():',
      '    if not torch.cuda.is_available():',
      '        return 1',
      '',
    ].join('\n'));
    const rules = (line: number) => findings.filter((f) => f.range.start.line === line).map((f) => f.rule);
    assert.deepEqual(rules(4), [], 'the skip itself is no finding');
    assert.deepEqual(rules(8), [], 'nor its `and` form');
    assert.deepEqual(rules(11), ['PT-CUDA-008'], 'main refuses to run');
    assert.deepEqual(rules(14), ['PT-CUDA-008'], 'a return with a value is an error exit');
  });

  it('conditional expressions on a CUDA test, and device.startswith("cuda")', async () => {
    await check([
      'import torch',
      'def load(models, args, device):',
      '    use_cuda = torch.cuda.is_available() and not args.cpu',
      '    model = models[0].cuda() if use_cuda else models[0]  # guarded',
      '    other = models[1] if not use_cuda else models[1].cuda()  # guarded',
      '    wrong = models[2].cuda() if args.fast else models[2]  # open',
      '    dev = "cuda" if use_cuda else "cpu"  # open',
      '    if device.startswith("cuda:"):',
      '        torch.cuda.set_device(device)  # guarded',
      '    if device.startswith("cpu"):',
      '        torch.cuda.synchronize()  # open',
      '',
    ].join('\n'));
  });

  it('after an assertion that CUDA is present in the same block, function or script', async () => {
    await check([
      'import torch',
      'torch.cuda.synchronize()  # open',
      'assert torch.cuda.is_available()',
      'torch.cuda.synchronize()  # guarded',
      '',
    ].join('\n'));
    await check([
      'import torch',
      'def train(device):',
      '    torch.cuda.synchronize()  # open',
      '    assert device.type == "cuda"',
      '    torch.cuda.synchronize()  # guarded',
      'def other():',
      '    torch.cuda.synchronize()  # open',
      '',
    ].join('\n'));
  });

  it('an open document re-reads guards when a module-level mark or assertion changes', async () => {
    const source = 'import pytest\nimport torch\npytestmark = pytest.mark.slow\ndef test_a():\n    torch.cuda.synchronize()\n';
    const document = (await analyzer()).openDocument('test_doc.py', source);
    try {
      const sync = () => document.analyze(undefined, null).findings.find((f) => f.rule === 'PT-CUDA-002')!;
      assert.equal(sync().guard, undefined);
      const at = source.indexOf('pytest.mark.slow');
      document.update([{ start: at, end: at + 'pytest.mark.slow'.length, text: 'pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA")' }]);
      assert.ok(sync().guard, 'the new module mark guards the unchanged test');
    } finally {
      document.dispose();
    }
  });

  it('in a notebook the guard line is cell-relative, like the finding', async () => {
    const cell = (source: string) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source });
    const notebook = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('import torch\nx = 1\n'), cell('if torch.cuda.is_available():\n    torch.cuda.synchronize()\n')] });
    const finding = (await analyzer()).analyze('nb.ipynb', notebook).findings.find((f) => f.rule === 'PT-CUDA-002')!;
    assert.equal(finding.cell, 1);
    assert.equal(finding.range.start.line, 2);
    assert.equal(finding.guard?.reason, 'inside `if torch.cuda.is_available():` (line 1)');
    assert.equal(finding.guard?.range?.start.line, 1);
  });

  it('an open document (statement cache) keeps guards right after edits move the statement', async () => {
    const source = 'import torch\nif torch.cuda.is_available():\n    torch.cuda.synchronize()\n';
    const document = (await analyzer()).openDocument('doc.py', source);
    try {
      const first = document.analyze(undefined, null).findings.find((f) => f.rule === 'PT-CUDA-002')!;
      assert.equal(first.guard?.reason, 'inside `if torch.cuda.is_available():` (line 2)');
      document.update([{ start: 0, end: 0, text: '# a comment\n\n' }]);
      for (const fixOptions of [null, undefined]) {
        const moved = document.analyze(undefined, fixOptions).findings.find((f) => f.rule === 'PT-CUDA-002')!;
        assert.equal(moved.guard?.reason, 'inside `if torch.cuda.is_available():` (line 4)');
        assert.equal(moved.guard?.range?.start.line, 4);
        assert.equal(moved.targets.cpu, 'guarded');
      }
    } finally {
      document.dispose();
    }
  });
});

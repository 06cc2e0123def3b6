import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';
import { check } from './guardedCheck';

/**
 * Guards that follow the call graph within a module (issue 14, the real-world precision work): a CUDA backend module's
 * own helpers, private helpers called only from CUDA-only code, and functions that answer whether CUDA is usable.
 * Lines marked `# guarded` must come out guarded, `# open` not (see guardedCheck.ts).
 */
describe('guarded verdict through callers: helpers of CUDA-only code', () => {
  it('a module defining a per-vendor CUDA class: its functions named for CUDA, and private helpers they call', async () => {
    const findings = await check([
      'import torch',
      'class CUDAAccelerator(Accelerator):',
      '    def teardown(self):',
      '        _clear_cuda_memory()',
      '    def setup_device(self, device):',
      '        _check_precision(device)',
      'def find_usable_cuda_devices(n):',
      '    return [torch.tensor(0, device=torch.device("cuda", i)) for i in range(n)]  # guarded',
      'def _clear_cuda_memory():',
      '    torch.cuda.empty_cache()  # guarded',
      'def _is_ampere(device):',
      '    return torch.cuda.get_device_capability(device)[0] >= 8  # guarded',
      'def _check_precision(device):',
      '    if not _is_ampere(device):',
      '        return',
      'def pick_device():',
      '    return torch.device("cuda")  # open',
      '',
    ].join('\n'));
    const reason = (line: number) => findings.find((f) => f.range.start.line === line)?.guard?.reason;
    assert.equal(reason(8), 'in the CUDA backend module (it defines a per-vendor class), in `def find_usable_cuda_devices(...)` (line 7)');
    assert.equal(reason(12), 'in a helper called only where CUDA is present, `def _is_ampere(...)` (line 11)');
  });

  it('without a vendor class: functions named for CUDA stay open; private helpers follow their callers', async () => {
    await check([
      'import torch',
      'def find_usable_cuda_devices(n):',
      '    return [torch.device("cuda", i) for i in range(n)]  # open',
      'def _sync():',
      '    torch.cuda.synchronize()  # guarded',
      'def _outer():',
      '    _inner()',
      'def _inner():',
      '    torch.cuda.empty_cache()  # guarded',
      'def _sometimes():',
      '    torch.cuda.synchronize()  # open',
      'def _never_called():',
      '    torch.cuda.synchronize()  # open',
      'def public_sync():',
      '    torch.cuda.synchronize()  # open',
      'class Trainer:',
      '    def _sync(self):',
      '        torch.cuda.synchronize()  # open',
      '    def step(self):',
      '        self._sync()',
      '        self._sometimes = 1',
      'def run(args):',
      '    if torch.cuda.is_available():',
      '        _sync()',
      '        _outer()',
      '        _sometimes()',
      '        public_sync()',
      '    _sometimes()',
      '',
    ].join('\n'));
  });

  it('a helper passed as a callback counts as a reference, guarded or not', async () => {
    await check([
      'import atexit',
      'import torch',
      'def _release():',
      '    torch.cuda.empty_cache()  # open',
      'atexit.register(_release)',
      'def _release_too():',
      '    torch.cuda.empty_cache()  # guarded',
      'if torch.cuda.is_available():',
      '    atexit.register(_release_too)',
      '',
    ].join('\n'));
  });

  it('a function that answers False without cuDNN and True at its end is a probe: the test, what feeds it, what follows', async () => {
    await check([
      'import warnings',
      'import torch',
      'def check_cudnn_version_and_warn(option, required):',
      '    cudnn_available = torch.backends.cudnn.is_available()  # guarded',
      '    cudnn_version = torch.backends.cudnn.version() if cudnn_available else None  # guarded',
      '    if not (cudnn_available and (cudnn_version >= required)):',
      '        warnings.warn(f"{option} needs cuDNN {required}")',
      '        return False',
      '    return True',
      'def cuda_ready():',
      '    torch.cuda.set_device(0)  # open',
      '    ok = torch.cuda.is_available()',
      '    if not ok:',
      '        return False',
      '    torch.cuda.synchronize()  # guarded',
      '    return True',
      'def setup(model):',
      '    cudnn_available = torch.backends.cudnn.is_available()  # open',
      '    if not cudnn_available:',
      '        return False',
      '    return model',
      '',
    ].join('\n'));
  });

  it('an open document re-reads a helper\'s guard when a call elsewhere changes', async () => {
    const source = 'import torch\ndef _sync():\n    torch.cuda.synchronize()\nif torch.cuda.is_available():\n    _sync()\n';
    const document = (await analyzer()).openDocument('doc.py', source);
    try {
      const sync = () => document.analyze(undefined, null).findings.find((f) => f.rule === 'PT-CUDA-002')!;
      assert.ok(sync().guard, 'called only under the CUDA test');
      document.update([{ start: source.length, end: source.length, text: '_sync()\n' }]);
      assert.equal(sync().guard, undefined, 'an unguarded call added below opens the unchanged helper');
    } finally {
      document.dispose();
    }
  });
});

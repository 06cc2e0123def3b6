import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, runPython } from './helpers';

const HARNESS = path.join(REPO, 'src/run/harness');

describe('porta_shim (python -m porta_shim)', function () {
  this.timeout(120_000);

  it('rejects an unknown device with exit 2 and a clear message', async () => {
    const result = await runPython(['-m', 'porta_shim', '--device', 'tpu', 'x.py'], { env: { PYTHONPATH: HARNESS } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown device 'tpu'/);
  });

  it('maps CUDA constructs to the chosen device and passes arguments through', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-shim-'));
    try {
      const script = path.join(dir, 's.py');
      fs.writeFileSync(script, [
        'import sys, torch',
        'import torch.distributed as dist',
        'x = torch.ones(2, device="cuda:0").cuda(non_blocking=True)',
        'm = torch.nn.Linear(2, 1).cuda()',
        'torch.cuda.synchronize(); torch.cuda.empty_cache()',
        'print(x.device.type, next(m.parameters()).device.type, torch.device("cuda", 1).type, isinstance(x.device, torch.device))',
        'print(torch.cuda.is_available(), torch.cuda.memory_allocated(), sys.argv[1:])',
        '',
      ].join('\n'));
      const result = await runPython(['-m', 'porta_shim', '--device', 'cpu', script, 'a', '--b'], { env: { PYTHONPATH: HARNESS } });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "cpu cpu cpu True\nFalse 0 ['a', '--b']\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives streams (and record_stream), events, NVTX ranges, is_cuda and custom_fwd a CPU meaning', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-shim-'));
    try {
      const script = path.join(dir, 's.py');
      fs.writeFileSync(script, [
        'import types, torch',
        'from torch.cuda.amp import custom_fwd',
        's = torch.cuda.Stream(priority=-1)',
        'start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)',
        'start.record()',
        'with torch.cuda.stream(s):',
        '    x = torch.ones(2, device="cuda")',
        'torch.cuda.current_stream().wait_stream(s)',
        'x.record_stream(torch.cuda.current_stream())  # the stand-in stream: nothing to record',
        'torch.cuda.current_stream().wait_event(s.record_event())',
        'with torch.cuda.nvtx.range("step {}", 1):',
        '    torch.cuda.nvtx.range_push("a"); torch.cuda.nvtx.mark("m"); torch.cuda.nvtx.range_pop()',
        'end.record(); end.synchronize()',
        'double = custom_fwd(cast_inputs=torch.float32)(lambda ctx, t: t * 2)',
        'print(x.is_cuda, start.elapsed_time(end) >= 0, torch.cuda.default_stream().query(), double(types.SimpleNamespace(), x).tolist())',
        '',
      ].join('\n'));
      const result = await runPython(['-m', 'porta_shim', '--device', 'cpu', script], { env: { PYTHONPATH: HARNESS } });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'False True True [2.0, 2.0]\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

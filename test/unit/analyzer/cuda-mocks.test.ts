import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';

/**
 * Tests that fake CUDA with mocks run without it by design (issue 14, Lightning's test suite): their CUDA device
 * strings and calls are test data, not lock-in. Lines marked `# quiet` must have no finding, `# found` must have one.
 */
async function check(source: string): Promise<void> {
  const findings = (await analyzer()).analyze('test_mocks.py', source).findings;
  source.split('\n').forEach((line, i) => {
    const at = findings.filter((f) => f.range.start.line === i + 1).map((f) => f.rule);
    if (/# quiet\b/.test(line)) assert.deepEqual(at, [], `line ${i + 1} has no finding: ${line}`);
    if (/# found\b/.test(line)) assert.ok(at.length > 0, `line ${i + 1} has a finding: ${line}`);
  });
}

describe('tests that fake CUDA with mocks', () => {
  it('under a patch decorator naming CUDA, inside a with of one, after a monkeypatch of one', async () => {
    await check([
      'from unittest import mock',
      'import torch',
      '@mock.patch("torch.cuda.set_device")',
      '@mock.patch("torch.cuda.get_device_capability", return_value=(7, 0))',
      'def test_set_device(_, set_device):',
      '    device = torch.device("cuda", 1)  # quiet',
      '    torch.cuda.set_device(device)  # quiet',
      '@mock.patch("pkg.accelerators.cuda.num_cuda_devices", return_value=2)',
      'def test_connector(_):',
      '    Connector(accelerator="cuda")  # quiet',
      '@mock.patch.object(CUDAAccelerator, "is_available", return_value=True)',
      'def test_object(_):',
      '    Connector(device=torch.device("cuda"))  # quiet',
      'def test_flops():',
      '    torch.device("cuda")  # found',
      '    with mock.patch("pkg.throughput.torch.cuda.get_device_name", return_value="H100"):',
      '        flops(torch.device("cuda"))  # quiet',
      '    flops(torch.device("cuda"))  # found',
      'def test_monkeypatch(monkeypatch):',
      '    torch.device("cuda")  # found',
      '    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)',
      '    pick(torch.device("cuda"))  # quiet',
      '',
    ].join('\n'));
  });

  it('not a patch of something else, patch.dict of the environment, or mocks outside a test', async () => {
    await check([
      'import os',
      'from unittest import mock',
      'import torch',
      '@mock.patch("pkg.trainer.log")',
      'def test_log(_):',
      '    x = torch.zeros(2, device="cuda")  # found',
      '@mock.patch.dict(os.environ, {"LOCAL_RANK": "0"})',
      'def test_env():',
      '    torch.cuda.synchronize()  # found',
      'def helper():',
      '    with mock.patch("torch.cuda.is_available", return_value=True):',
      '        torch.cuda.synchronize()  # found',
      '',
    ].join('\n'));
  });
});

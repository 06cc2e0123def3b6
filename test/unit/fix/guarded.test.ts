import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';
import { loadAnalyzer } from '../../../src/core/analyze';

/** timm's train.py shape: the CUDA arm of a per-vendor chain, next to a call that breaks off NVIDIA. */
const VENDOR_CHAIN = [
  'import torch',
  '',
  '',
  'def step(device, x):',
  "    if device.type == 'cuda':",
  '        torch.cuda.synchronize()',
  "    elif device.type == 'npu':",
  '        torch.npu.synchronize()',
  '    if torch.cuda.is_available():',
  '        torch.cuda.empty_cache()',
  '    return x.cuda()',
  '',
].join('\n');

describe('porta fix leaves guarded code alone', function () {
  this.timeout(60_000);

  it('the CUDA arm of a per-vendor chain and an is_available branch stay as written, for every target, with unsafe fixes too', async () => {
    for (const target of ['auto', 'cpu', 'npu', 'xpu', 'mps'] as const) {
      for (const unsafe of [false, true]) {
        const result = await fixText('train.py', VENDOR_CHAIN, { target, unsafe });
        assert.equal(result.error, undefined);
        assert.match(result.text, /if device\.type == 'cuda':\n {8}torch\.cuda\.synchronize\(\)\n {4}elif device\.type == 'npu':\n {8}torch\.npu\.synchronize\(\)\n/, `${target}: the chain is unchanged`);
        assert.match(result.text, /if torch\.cuda\.is_available\(\):\n {8}torch\.cuda\.empty_cache\(\)\n/, `${target}: the guarded branch is unchanged`);
        assert.doesNotMatch(result.text, /x\.cuda\(\)/, `${target}: the unguarded .cuda() is still fixed`);
      }
    }
  });

  it('quick fixes agree: guarded findings carry none, the unguarded one does', async () => {
    const findings = (await loadAnalyzer()).analyze('train.py', VENDOR_CHAIN, undefined, { target: 'xpu' }).findings;
    const line = (n: number) => findings.filter((f) => f.range.start.line === n);
    for (const n of [6, 10]) {
      assert.ok(line(n).length > 0 && line(n).every((f) => f.guard && !f.fix), `line ${n}`);
    }
    assert.ok(line(11).some((f) => !f.guard && f.fix), 'line 11');
  });
});

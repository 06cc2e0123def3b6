import * as assert from 'node:assert/strict';
import { alternativesMarkdown } from '../../../src/extension/hoverAlternatives';

describe('hover: alternatives to a CUDA-only package', () => {
  it('lists the targets of interest only, escaped for markdown', () => {
    const md = alternativesMarkdown({ rule: 'LIB-006', message: 'FlashAttention (flash_attn): `from flash_attn import flash_attn_func`' }, ['cuda', 'npu', 'mps']);
    assert.match(md, /^\*\*Instead:\*\*\n\n- npu: \\`torch\\_npu\.npu\\_fusion\\_attention\\`/);
    assert.match(md, /\n- mps: \\`torch\.nn\.functional\.scaled\\_dot\\_product\\_attention\\`/);
    assert.doesNotMatch(md, /- (?:cuda|rocm|xpu|cpu):/);
  });

  it('is empty for a rule without a catalogue entry, or a requirement the catalogue does not know', () => {
    assert.equal(alternativesMarkdown({ rule: 'PT-CUDA-002', message: 'x' }, ['rocm']), '');
    assert.equal(alternativesMarkdown({ rule: 'REQ-005', message: 'CUDA-only library dependency: `gpustat`' }, ['rocm']), '');
  });
});

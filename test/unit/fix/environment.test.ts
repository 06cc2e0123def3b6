import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';

describe('fix: requirements files and shell launchers', () => {
  const requirements = [
    '--extra-index-url https://download.pytorch.org/whl/cu121',
    'torch==2.1.0+cu121  # pinned',
    'onnxruntime-gpu>=1.17',
    'numpy',
    '',
  ].join('\n');

  it('offers wheel changes only as unsafe fixes', async () => {
    const safe = await fixText('requirements.txt', requirements, { target: 'cpu' });
    assert.equal(safe.changed, false);
    assert.equal(safe.unsafeSkipped.length, 3);
    const unsafe = await fixText('requirements.txt', requirements, { target: 'cpu', unsafe: true });
    assert.equal(unsafe.text, [
      '--extra-index-url https://download.pytorch.org/whl/cpu',
      'torch==2.1.0  # pinned',
      'onnxruntime>=1.17',
      'numpy',
      '',
    ].join('\n'));
    const again = await fixText('requirements.txt', unsafe.text, { target: 'cpu', unsafe: true });
    assert.equal(again.changed, false);
  });

  it('renames CUDA_VISIBLE_DEVICES for the target runtime in launchers and Python', async () => {
    const sh = '#!/bin/sh\n# CUDA_VISIBLE_DEVICES=0 stays in comments\nCUDA_VISIBLE_DEVICES=0,1 torchrun train.py\n';
    const fixed = await fixText('run.sh', sh, { target: 'npu' });
    assert.equal(fixed.text, '#!/bin/sh\n# CUDA_VISIBLE_DEVICES=0 stays in comments\nASCEND_RT_VISIBLE_DEVICES=0,1 torchrun train.py\n');
    const py = await fixText('a.py', 'import os\nos.environ["CUDA_VISIBLE_DEVICES"] = "0"\n', { target: 'rocm' });
    assert.equal(py.text, 'import os\nos.environ["HIP_VISIBLE_DEVICES"] = "0"\n');
    const auto = await fixText('run.sh', sh, { target: 'auto' });
    assert.equal(auto.changed, false);
  });
});

import * as assert from 'node:assert/strict';
import { loadAnalyzer } from '../../../src/core/analyze';
import { buildReadiness } from '../../../src/core/report/readiness';

describe('readiness: what counts as fixable per target', () => {
  it('a CUDA C++ -> HIP fix counts for ROCm only; a Python fix counts for every target it ports to', async () => {
    const analyzer = await loadAnalyzer();
    const cu = analyzer.analyze('k.cu', '#include <cuda_runtime.h>\nvoid f(float* p) { cudaMalloc(&p, 4); }\n').findings;
    const py = analyzer.analyze('t.py', 'import torch\nx = torch.ones(2).cuda()\n').findings;
    assert.ok(cu.length > 0 && cu.every((f) => f.fix), 'the HIP rewrites carry fixes');
    assert.equal(py.length, 1);
    const byTarget = Object.fromEntries(buildReadiness([...cu, ...py]).map((e) => [e.target, e]));
    assert.equal(byTarget.rocm!.fixable, cu.length); // the .cuda() call works on ROCm builds: not counted there
    for (const target of ['xpu', 'mps', 'cpu'] as const) {
      assert.equal(byTarget[target]!.fixable, 1, target);
      // The kernel still needs a rewrite there: more effort than reviewing an automatic fix.
      assert.ok(byTarget[target]!.effort.hours > byTarget.rocm!.effort.hours, target);
    }
  });
});

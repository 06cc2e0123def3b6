import * as assert from 'node:assert/strict';
import { hipifyAsync } from '../../../src/core/cuda';

const ON = { runtimeInclude: true } as const;

describe('cuda: #include <hip/hip_runtime.h> where nvcc implied cuda_runtime.h (runtimeInclude option)', function () {
  this.timeout(30_000);

  it('adds it before the first code line, after a leading #pragma once, once', async () => {
    const kernel = '// a comment\n\n__global__ void k() { int i = threadIdx.x; }\n';
    const once = (await hipifyAsync('k.cu', kernel, ON)).text;
    assert.equal(once, '// a comment\n\n#include <hip/hip_runtime.h>\n__global__ void k() { int i = threadIdx.x; }\n');
    assert.equal((await hipifyAsync('k.cu', once, ON)).text, once);
    assert.equal((await hipifyAsync('h.cuh', '#pragma once\n#include <stdio.h>\n', ON)).text, '#pragma once\n#include <hip/hip_runtime.h>\n#include <stdio.h>\n');
  });

  it('not when a header that becomes it is included, not in plain C++, not by default', async () => {
    const included = '#include <stdio.h>\n#include <cuda_runtime.h>\n__global__ void k() {}\n';
    assert.equal((await hipifyAsync('k.cu', included, ON)).text, '#include <stdio.h>\n#include <hip/hip_runtime.h>\n__global__ void k() {}\n');
    assert.equal((await hipifyAsync('a.cpp', 'int main() { return 0; }\n', ON)).text, 'int main() { return 0; }\n');
    assert.equal((await hipifyAsync('k.cu', '__global__ void k() {}\n')).text, '__global__ void k() {}\n');
  });
});

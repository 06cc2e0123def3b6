import * as assert from 'node:assert/strict';
import { createHipifier, type Hipifier } from '../../../src/core/cuda';
import { lexReferences } from '../../../src/core/cuda/lexscan';
import { fixtureNames, readFixture } from './fixtures';

/** The lexical fast path must agree with the syntax-tree path wherever it is used. */
describe('cuda: fast lexical path agrees with the syntax tree', function () {
  this.timeout(30_000);
  let hipify: Hipifier;
  before(async () => {
    hipify = await createHipifier();
  });

  const agree = (name: string, text: string) => {
    const tree = hipify(name, text, { engine: 'tree' });
    const fast = hipify(name, text);
    assert.equal(fast.text, tree.text, name);
    assert.deepEqual(fast.stats.references, tree.stats.references, name);
    assert.deepEqual(fast.unconverted, tree.unconverted, name);
  };

  for (const name of fixtureNames()) {
    it(`${name}: lexically regular, same rewrite and statistics as the tree`, () => {
      assert.ok(lexReferences(readFixture(name)), 'the fast path applies');
      agree(name, readFixture(name));
    });
  }

  it('raw strings, char literals, digit separators, #error text, members, continued macros', () => {
    const source = [
      '#include <cuda_runtime.h>',
      'const char* a = R"x(cudaMalloc("p") )x";',
      "const char q = '\"'; int big = 1'000'000;",
      "#error don't call cudaMalloc here",
      'void f(S* p, float* d) { p->cudaFree(d); s.cudaFree(d); cudaFree(d); }',
      '#define SYNC(v) \\',
      '  __shfl_down_sync(0xffffffff, \\',
      '                   v, 1)',
      '#ifdef __CUDACC__',
      'int x = cudaSuccess;',
      '#endif',
    ].join('\n');
    assert.ok(lexReferences(source));
    agree('mix.cu', source);
    const lines = hipify('mix.cu', source).text.split('\n');
    assert.equal(lines[1], 'const char* a = R"x(cudaMalloc("p") )x";');
    assert.equal(lines[3], "#error don't call cudaMalloc here");
    assert.equal(lines[4], 'void f(S* p, float* d) { p->cudaFree(d); s.cudaFree(d); hipFree(d); }');
    assert.equal(lines[6], '  __shfl_down(\\');
    assert.equal(lines[8], '#ifdef __HIPCC__');
  });

  it('a // comment continued by a backslash takes the next line with it; continued by a backslash-CRLF it goes to the tree', () => {
    const lines = ['// timing helper \\', '// cudaEventCreate(&e);', 'cudaEventCreate(&e); // two: \\\\', 'cudaFree(1);', '#define SYNC() x // \\', '  cudaDeviceSynchronize()', 'cudaFree(0);', ''];
    const source = lines.join('\n');
    assert.ok(lexReferences(source));
    agree('continued.cu', source);
    const expected = [...lines];
    expected[2] = 'hipEventCreate(&e); // two: \\\\';
    expected[6] = 'hipFree(0);';
    assert.deepEqual(hipify('continued.cu', source).text.split('\n'), expected);
    assert.equal(lexReferences(lines.join('\r\n')), undefined);
  });

  it('irregular files go to the tree: unterminated comment, unbalanced brackets or #if', () => {
    assert.equal(lexReferences('/* open\nvoid f() { cudaFree(0); }\n'), undefined);
    assert.equal(lexReferences('void f() { cudaFree(0);\n'), undefined);
    assert.equal(lexReferences('#if X\nvoid f() { cudaFree(0); }\n'), undefined);
    assert.equal(lexReferences('const char* s = "open;\nvoid f() {}\n'), undefined);
    assert.equal(hipify('open.cu', '/* open\nvoid f() { cudaFree(0); }\n').text, '/* open\nvoid f() { cudaFree(0); }\n');
  });
});

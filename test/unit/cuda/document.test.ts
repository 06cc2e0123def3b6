// The incremental CUDA document (live diagnostics) must always equal a fresh whole-file analysis.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAnalyzer, type Analyzer } from '../../../src/core/analyze';

const FIXTURES = path.join(__dirname, '../../fixtures/cuda');
let analyzer: Analyzer | undefined;
const load = async () => (analyzer ??= await loadAnalyzer());

/** A deterministic pseudo-random sequence (no flaky seeds). */
function* numbers(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

const INSERTS = [
  'void extra() { cudaDeviceSynchronize(); }\n',
  '// a comment with cudaMalloc in it\n',
  '  float w = __shfl_xor_sync(0xffffffff, v, 1);\n',
  '\n\n',
  '#include <cublas_v2.h>\n',
  '  int lane = threadIdx.x % 32;\n',
];

describe('CUDA document (incremental live analysis)', () => {
  for (const name of ['streams_events_pinned.cu', 'reduction_shfl.cu', 'portability_hazards.cu', 'cooperative_groups.cu', 'macro_kernel.cu']) {
    it(`${name}: stays equal to a fresh analysis over a series of edits`, async () => {
      const a = await load();
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const doc = a.openDocument(name, text);
      assert.deepEqual(doc.analyze(), a.analyze(name, text));
      const random = numbers(name.length * 7919);
      for (let i = 0; i < 25; i++) {
        const r = random.next().value as number;
        const current = doc.text;
        const at = r % (current.length + 1);
        const lineStart = current.lastIndexOf('\n', at - 1) + 1;
        if (i % 5 === 4) {
          // Delete a line (may break the syntax: the whole-file fallback must agree as well).
          const lineEnd = current.indexOf('\n', lineStart);
          doc.update([{ start: lineStart, end: lineEnd === -1 ? current.length : lineEnd + 1, text: '' }]);
        } else {
          doc.update([{ start: lineStart, end: lineStart, text: INSERTS[r % INSERTS.length]! }]);
        }
        assert.deepEqual(doc.analyze(), a.analyze(name, doc.text), `after edit ${i}`);
      }
      // A whole-text update (diffed to one edit) works too.
      doc.update(text);
      assert.deepEqual(doc.analyze(), a.analyze(name, text));
      doc.dispose();
    });
  }

  it('an edit in one kernel re-analyses only that declaration (the others come from the cache)', async () => {
    const a = await load();
    const kernels = Array.from({ length: 40 }, (_, i) => `__global__ void k${i}(float* x) { x[threadIdx.x] = __shfl_down_sync(0xffffffff, x[0], 16); }\n`).join('\n');
    const text = `#include <cuda_runtime.h>\n\n${kernels}\nvoid run(float* d) { cudaMalloc(&d, 4); cudaFree(d); }\n`;
    const doc = a.openDocument('many.cu', text);
    const first = doc.analyze();
    const at = doc.text.indexOf('k20');
    doc.update([{ start: at, end: at + 3, text: 'k20_renamed' }]);
    const after = doc.analyze();
    assert.deepEqual(after, a.analyze('many.cu', doc.text));
    assert.equal(after.findings.length, first.findings.length);
    // Findings after the edit moved right by the renamed length; their fixes moved with them.
    const before = first.findings.find((f) => f.rule === 'CU-API-001' && f.message.startsWith('cudaMalloc'))!;
    const moved = after.findings.find((f) => f.rule === 'CU-API-001' && f.message.startsWith('cudaMalloc'))!;
    assert.equal(moved.range.start.line, before.range.start.line);
    assert.equal(moved.fix!.edits[0]!.start, before.fix!.edits[0]!.start + 'k20_renamed'.length - 3);
    doc.dispose();
  });

  it('diagnostics only (live typing): the same findings without their fixes', async () => {
    const a = await load();
    const text = fs.readFileSync(path.join(FIXTURES, 'streams_events_pinned.cu'), 'utf8');
    const doc = a.openDocument('s.cu', text);
    const full = a.analyze('s.cu', text);
    assert.ok(full.findings.some((f) => f.fix), 'the fixture has fixes');
    const live = doc.analyze(undefined, null);
    assert.deepEqual(live.findings, full.findings.map(({ fix: _fix, ...rest }) => rest));
    assert.deepEqual(doc.analyze(), full, 'asking again with fixes gives them back (from the same cache)');
    doc.dispose();
  });

  it('a header that stops being CUDA C++ after an edit has no findings', async () => {
    const a = await load();
    const text = '#include <cuda_runtime.h>\nvoid f() { cudaDeviceSynchronize(); }\n';
    const doc = a.openDocument('util.h', text);
    assert.ok(doc.analyze().findings.length > 0);
    doc.update('void f() { cudaDeviceSynchronize(); }\n');
    assert.deepEqual(doc.analyze(), a.analyze('util.h', doc.text));
    doc.dispose();
  });
});

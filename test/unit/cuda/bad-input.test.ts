import * as assert from 'node:assert/strict';
import { createHipifier, decodeSource, encodeSource, type Hipifier } from '../../../src/core/cuda';
import { readFixture } from './fixtures';

describe('cuda: bad input never corrupts the file', function () {
  this.timeout(30_000);
  let hipify: Hipifier;
  before(async () => {
    hipify = await createHipifier();
  });

  it('unbalanced #if: renames confirmed tokens, reports the rest, changes nothing else', () => {
    const source = '#include <cuda_runtime.h>\n#if USE_FAST\nvoid f(float* p) {\n  cudaMalloc(&p, 4);\n  float v = __shfl_down_sync(0xffffffff, v, 1;\n';
    const result = hipify('broken.cu', source);
    assert.ok(result.stats.notes.some((note) => /does not parse fully/.test(note)));
    assert.match(result.text, /hipMalloc\(&p, 4\);/);
    assert.match(result.text, /#if USE_FAST\n/);
    assert.ok(result.unconverted.some((u) => u.api === '__shfl_down_sync'), 'a mask drop inside broken code is not certain');
    // Outside the edited tokens the text is byte-for-byte the input.
    let rebuilt = '';
    let cursor = 0;
    for (const edit of result.edits) {
      rebuilt += source.slice(cursor, edit.start) + edit.text;
      cursor = edit.end;
    }
    assert.equal(rebuilt + source.slice(cursor), result.text);
  });

  it('an unterminated macro body argument list stays unconverted', () => {
    const source = '#define SHFL(v) __shfl_xor_sync(0xffffffff, (v), 1\nint x;\n';
    const result = hipify('macro.cu', source);
    assert.equal(result.text, source);
    assert.equal(result.unconverted[0].api, '__shfl_xor_sync');
  });

  it('non-UTF-8 bytes survive: latin1 decode, ASCII edits, same bytes back', () => {
    const bytes = Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\nvoid f(float* p) { cudaFree(p); }\n')]);
    const { text, encoding } = decodeSource(bytes);
    assert.equal(encoding, 'latin1');
    const result = hipify('latin1.cu', text);
    const out = Buffer.from(encodeSource(result.text, encoding));
    assert.deepEqual(out.subarray(0, 8), bytes.subarray(0, 8));
    assert.equal(out.subarray(8).toString('latin1'), '\nvoid f(float* p) { hipFree(p); }\n');
  });

  it('refuses text that was decoded lossily (U+FFFD)', () => {
    const result = hipify('lossy.cu', '// \uFFFD\nvoid f(float* p) { cudaFree(p); }\n');
    assert.equal(result.edits.length, 0);
    assert.match(result.stats.notes[0], /U\+FFFD/);
  });

  it('UTF-8 with a BOM and non-ASCII comments keeps offsets right', () => {
    const { text, encoding } = decodeSource(Buffer.from('\uFEFF// é ü\nvoid f(float* p) { cudaFree(p); }\n', 'utf8'));
    assert.equal(encoding, 'utf8');
    const result = hipify('bom.cu', text);
    assert.equal(result.text, '\uFEFF// é ü\nvoid f(float* p) { hipFree(p); }\n');
  });

  it('CRLF line endings are kept and rewritten like LF', () => {
    const lf = readFixture('vector_add.cu');
    const crlf = lf.replace(/\n/g, '\r\n');
    assert.equal(hipify('crlf.cu', crlf).text, hipify('lf.cu', lf).text.replace(/\n/g, '\r\n'));
    assert.equal(hipify('crlf.cu', crlf, { engine: 'tree' }).text, hipify('crlf.cu', crlf).text);
  });

  it('empty input', () => {
    const result = hipify('empty.cu', '');
    assert.equal(result.text, '');
    assert.equal(result.stats.percent, 100);
  });
});

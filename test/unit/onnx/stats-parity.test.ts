import { strict as assert } from 'node:assert';
import { latencyStats, throughput } from '../../../src/run/onnx/stats';
import { compareOutput, compareOutputs, outputChecksum, summarizeOutput } from '../../../src/run/onnx/parity';

describe('onnx latency statistics', () => {
  it('computes min/max/mean and interpolated percentiles', () => {
    const samples = Array.from({ length: 101 }, (_, i) => 100 - i); // 100..0, unsorted on purpose
    const stats = latencyStats(samples);
    assert.equal(stats.min, 0);
    assert.equal(stats.max, 100);
    assert.equal(stats.mean, 50);
    assert.equal(stats.p50, 50);
    assert.equal(stats.p90, 90);
    assert.equal(stats.p95, 95);
    assert.equal(stats.p99, 99);
    assert.ok(Math.abs(stats.p999 - 99.9) < 1e-9);
    assert.equal(stats.samples, 101);
  });

  it('handles a single sample and refuses none', () => {
    assert.deepEqual(latencyStats([2]), { min: 2, max: 2, mean: 2, p50: 2, p90: 2, p95: 2, p99: 2, p999: 2, samples: 1 });
    assert.throws(() => latencyStats([]), /no latency samples/);
  });

  it('reports throughput in runs per second', () => {
    assert.equal(throughput(500, 250), 2000);
    assert.equal(throughput(10, 0), 0);
  });
});

describe('onnx output parity', () => {
  it('measures max abs/rel error and cosine on known outputs', () => {
    const parity = compareOutput('y', [1, 2, 3.003], [1, 2, 3]);
    assert.ok(Math.abs(parity.maxAbsError - 0.003) < 1e-12);
    assert.ok(Math.abs(parity.maxRelError - 0.001) < 1e-12);
    assert.ok(parity.cosine > 0.99999 && parity.cosine <= 1);
    // |diff| 0.003 > atol 1e-4 + rtol 1e-3 * 3 = 0.0031? no: 0.003 <= 0.0031, so within.
    assert.equal(parity.withinTolerance, true);
    assert.equal(compareOutput('y', [1, 2, 3.01], [1, 2, 3]).withinTolerance, false);
  });

  it('flags opposite vectors, NaN and length mismatches as drift', () => {
    const opposite = compareOutput('y', [-1, -2], [1, 2]);
    assert.ok(Math.abs(opposite.cosine + 1) < 1e-12);
    assert.equal(opposite.withinTolerance, false);
    assert.equal(compareOutput('y', [NaN, 1], [0, 1]).withinTolerance, false);
    assert.equal(compareOutput('y', [NaN, 1], [NaN, 1]).withinTolerance, true);
    assert.equal(compareOutput('y', [1], [1, 2]).withinTolerance, false);
    assert.equal(compareOutput('z', [0, 0], [0, 0]).cosine, 1);
  });

  it('matches outputs by name and shape', () => {
    const ref = [{ name: 'a', type: 'float32', dims: [2], data: [1, 2] }, { name: 'b', type: 'float32', dims: [1], data: [5] }];
    const got = [{ name: 'b', type: 'float32', dims: [1], data: [5] }, { name: 'a', type: 'float32', dims: [1, 2], data: [1, 2] }];
    const parity = compareOutputs(got, ref);
    assert.deepEqual(parity.map((p) => [p.name, p.withinTolerance]), [['a', false], ['b', true]]);
  });

  it('gives equal checksums to values equal after rounding, different ones otherwise', () => {
    const base = { name: 'y', type: 'float32', dims: [3], data: [0.1234, -2.5, 7] };
    assert.equal(outputChecksum(base), outputChecksum({ ...base, data: [0.12341, -2.50001, 7.00002] }));
    assert.notEqual(outputChecksum(base), outputChecksum({ ...base, data: [0.2234, -2.5, 7] }));
    assert.notEqual(outputChecksum(base), outputChecksum({ ...base, dims: [1, 3] }));
    const summary = summarizeOutput({ ...base, data: new Float64Array(40).fill(1) }, 16);
    assert.equal(summary.head?.length, 16);
    assert.match(summary.checksum, /^sha256:[0-9a-f]{16}$/);
  });
});

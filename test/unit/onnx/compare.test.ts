import { strict as assert } from 'node:assert';
import { checkOutput, checkRecordedParity, compareRuns } from '../../../src/run/compare';
import { formatComparison, formatComparisonMarkdown, formatComparisonText } from '../../../src/run/compareFormat';
import type { ProviderResult, RunRecord } from '../../../src/run/record';

// Records as the benchmark writes them (see bench.test.ts for records produced by the real runtime).
function benchRecord(id: string, target: string, providers: ProviderResult[]): RunRecord {
  return {
    version: 1, id, kind: 'onnx-bench', target, targetKind: target === 'local' ? 'local' : 'ssh', backend: providers.map((p) => p.provider).join(','),
    command: ['porta', 'bench', 'm.onnx'], entry: 'm.onnx', startedAt: '2026-11-30T01:00:00.000Z', status: 'succeeded', logFile: '/dev/null',
    metrics: providers.find((p) => p.available)?.metrics ?? {}, providers,
  };
}

function provider(name: string, p50: number, head: number[], checksum: string): ProviderResult {
  return {
    provider: name, available: true, sessionCreateMs: 10,
    metrics: {
      latencyMs: { min: p50 / 2, max: p50 * 2, mean: p50, p50, p90: p50 * 1.2, p95: p50 * 1.3, p99: p50 * 1.5, p999: p50 * 1.9, samples: 100 },
      throughput: 1000 / p50, peakMemoryBytes: 100 * 1048576, outputs: [{ name: 'y', shape: [1, head.length], checksum, head }],
    },
  };
}

describe('compareRuns', () => {
  const a = benchRecord('20261130-010000-aaaaaa', 'local', [provider('cpu', 2, [1, 2, 3], 'sha256:1'), { provider: 'webgpu', available: false, reason: 'no adapter' }]);
  const b = benchRecord('20261130-010100-bbbbbb', 'gpu-box', [provider('cpu', 4, [1, 2, 3.00001], 'sha256:1'), provider('cuda', 1, [1, 2.5, 3], 'sha256:2')]);

  it('makes one row per provider and compares each with the reference', () => {
    const comparison = compareRuns([a, b]);
    assert.equal(comparison.reference, `${a.id}/cpu`);
    assert.deepEqual(comparison.rows.map((r) => r.key), [`${a.id}/cpu`, `${a.id}/webgpu`, `${b.id}/cpu`, `${b.id}/cuda`]);
    const [ref, webgpu, cpuB, cuda] = comparison.rows;
    assert.equal(ref.vsReference, undefined);
    assert.equal(webgpu.available, false);
    assert.equal(webgpu.reason, 'no adapter');
    assert.equal(cpuB.vsReference?.latencyRatio, 2);
    assert.equal(cpuB.vsReference?.throughputRatio, 0.5);
    assert.equal(cpuB.vsReference?.memoryRatio, 1);
    assert.equal(cpuB.vsReference?.withinTolerance, true);
    assert.equal(cpuB.vsReference?.outputs[0].checksumMatch, true);
    assert.equal(cuda.vsReference?.latencyRatio, 0.5);
    assert.equal(cuda.vsReference?.withinTolerance, false);
    assert.equal(cuda.vsReference?.outputs[0].maxAbsError, 0.5);
  });

  it('takes a reference by run id or row key, and rejects unknown ones', () => {
    assert.equal(compareRuns([a, b], { reference: b.id }).reference, `${b.id}/cpu`);
    assert.equal(compareRuns([a, b], { reference: `${b.id}/cuda` }).reference, `${b.id}/cuda`);
    assert.throws(() => compareRuns([a, b], { reference: 'nope' }), /not among/);
  });

  it('treats a shape mismatch as drift', () => {
    const check = checkOutput({ name: 'y', shape: [2], checksum: 'x', head: [1, 2] }, { name: 'y', shape: [1, 2], checksum: 'x', head: [1, 2] }, { atol: 1, rtol: 1 });
    assert.equal(check.shapeMismatch, true);
    assert.equal(check.withinTolerance, false);
  });

  it('formats text and markdown with ratios and drift', () => {
    const comparison = compareRuns([a, b]);
    const text = formatComparisonText(comparison);
    assert.match(text, /gpu-box\/cuda .*0\.50x .*DRIFT/);
    assert.match(text, /local\/webgpu .*n\/a: no adapter/);
    const markdown = formatComparisonMarkdown(comparison);
    assert.equal(markdown.split('\n').filter((l) => l.startsWith('|')).length, 2 + 4);
  });

  it('falls back to the parity a benchmark recorded when it kept no output values', () => {
    const bare = (name: string, p50: number, maxAbsError: number, maxRelError: number): ProviderResult => {
      const p = provider(name, p50, [], 'unused');
      return { ...p, metrics: { ...p.metrics, outputs: [] }, parity: [{ name: 'y', maxAbsError, maxRelError, cosine: 1, withinTolerance: true }] };
    };
    const run = benchRecord('20261130-010200-cccccc', 'box', [bare('cpu', 4, 0, 0), bare('rocm', 1, 5e-4, 2e-4), bare('trt', 0.5, 5e-3, 1e-2)]);
    const [, rocm, trt] = compareRuns([run]).rows;
    assert.equal(rocm.vsReference?.outputs[0].source, 'recorded');
    assert.equal(rocm.vsReference?.withinTolerance, true, 'rel 2e-4 <= rtol 1e-3 proves it');
    assert.equal(trt.vsReference?.withinTolerance, false, 'neither abs nor rel is within tolerance: drift');
    assert.equal(compareRuns([run], { tolerance: { atol: 1e-2, rtol: 0 } }).rows[2].vsReference?.withinTolerance, true);
    assert.equal(checkRecordedParity({ name: 'y', maxAbsError: 1, maxRelError: 1, cosine: 0, withinTolerance: true }, { atol: 0, rtol: 0 }).withinTolerance, false,
      'the tolerance given here decides, not the one the benchmark ran with');
    assert.match(formatComparisonMarkdown(compareRuns([run])), /DRIFT \(recorded parity vs its CPU provider, max abs 5\.0e-3\)/);
  });

  it('formats CSV and JSON through the same entry point', () => {
    const comparison = compareRuns([a, b]);
    const csv = formatComparison(comparison, 'csv').split('\r\n');
    assert.equal(csv[0], 'run,target/provider,status,p50 ms,p90 ms,p99 ms,inf/s,peak MiB,p50 vs ref,inf/s vs ref,outputs vs ref');
    assert.equal(csv.length, 1 + 4 + 1);
    assert.match(csv[4], /,"DRIFT \(checksums differ, max abs 5\.0e-1\)"$/);
    assert.deepEqual(JSON.parse(formatComparison(comparison, 'json')), JSON.parse(JSON.stringify(comparison)));
    assert.equal(formatComparison(comparison, 'text'), formatComparisonText(comparison));
  });
});

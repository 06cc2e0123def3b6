import { strict as assert } from 'node:assert';
import { checkMetric, checkOutput, checkRecordedParity, compareRuns, isPerformanceMetric } from '../../../src/run/compare';
import { applyMetric, applyResult, parseMetricLine, parseResultLine } from '../../../src/run/metrics';
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
    assert.equal(csv[0], 'run,target/provider,status,p50 ms,p90 ms,p99 ms,inf/s,peak MiB,wall s,run cost,cost/1k inf,p50 vs ref,inf/s vs ref,wall vs ref,outputs vs ref');
    assert.equal(csv.length, 1 + 4 + 1);
    assert.match(csv[4], /,"DRIFT \(checksums differ, max abs 5\.0e-1\)"$/);
    assert.deepEqual(JSON.parse(formatComparison(comparison, 'json')), JSON.parse(JSON.stringify(comparison)));
    assert.equal(formatComparison(comparison, 'text'), formatComparisonText(comparison));
  });

  describe('script runs (RESULT line metrics)', () => {
    // Records built the way the runner builds them: harness metric lines and the script's RESULT line from its log.
    function scriptRecord(id: string, backend: string, wallMs: number, log: string[]): RunRecord {
      const metrics: RunRecord['metrics'] = {};
      for (const line of log) {
        const metric = parseMetricLine(line);
        if (metric) applyMetric(metrics, metric);
        const result = parseResultLine(line);
        if (result) applyResult(metrics, result);
      }
      metrics.wallMs = wallMs;
      return {
        version: 1, id, kind: 'script', target: 'local', targetKind: 'local', backend, resolvedBackend: backend, command: ['python', 'train.py'],
        entry: 'train.py', startedAt: '2026-11-30T03:00:00.000Z', status: 'succeeded', exitCode: 0, logFile: '/dev/null', metrics,
      };
    }
    const harness = (importMs: number, peak: number) => [
      'PORTA_METRIC {"name": "startup_ms", "value": 41.5}',
      `PORTA_METRIC {"name": "import_torch_ms", "value": ${importMs}}`,
      `PORTA_METRIC {"name": "peak_memory_bytes", "value": ${peak}}`,
    ];
    const cpu = scriptRecord('20261130-030000-aaaaaa', 'cpu', 8000, [...harness(1900, 300e6), 'epoch 0: loss=0.69', 'RESULT loss=0.000007 acc=1.0000 checksum=12.345678 top1=3,1,4']);
    const same = scriptRecord('20261130-030100-bbbbbb', 'rocm', 2000, [...harness(2400, 500e6), 'RESULT loss=0.000007 acc=1.0000 checksum=12.345679 top1=3,1,4']);
    const drift = scriptRecord('20261130-030200-cccccc', 'npu', 4000, [...harness(3100, 700e6), 'RESULT loss=0.031250 acc=0.9375 checksum=12.345678 top1=3,1,5']);

    it('compares wall time and every shared accuracy metric with the reference', () => {
      const comparison = compareRuns([cpu, same, drift]);
      const [ref, ok, bad] = comparison.rows;
      assert.equal(comparison.reference, cpu.id);
      assert.deepEqual(ref.custom, { import_torch_ms: 1900, loss: 0.000007, acc: 1, checksum: 12.345678 }, 'JSON keeps the timings too');
      assert.equal(ok.vsReference?.wallRatio, 0.25);
      assert.equal(ok.vsReference?.latencyRatio, undefined);
      assert.deepEqual(ok.vsReference?.metrics.map((m) => [m.name, m.withinTolerance]), [['loss', true], ['acc', true], ['checksum', true]],
        'import_torch_ms is performance, not accuracy; checksum differs by 1e-6 <= atol');
      assert.equal(ok.vsReference?.withinTolerance, true);
      assert.equal(bad.vsReference?.wallRatio, 0.5);
      const loss = bad.vsReference!.metrics.find((m) => m.name === 'loss')!;
      assert.ok(Math.abs(loss.diff - 0.031243) < 1e-12);
      assert.equal(loss.withinTolerance, false);
      assert.equal(bad.vsReference?.metrics.find((m) => m.name === 'acc')?.withinTolerance, false);
      assert.equal(bad.vsReference?.metrics.find((m) => m.name === 'checksum')?.withinTolerance, true);
      assert.equal(bad.vsReference?.withinTolerance, false);
    });

    it('compares vector outputs element-wise with the tolerance, not only by checksum', () => {
      const [, , bad] = compareRuns([cpu, same, drift]).rows;
      const top1 = bad.vsReference!.outputs.find((o) => o.name === 'top1')!;
      assert.equal(top1.compared, 3);
      assert.equal(top1.maxAbsError, 1);
      assert.equal(top1.withinTolerance, false);
      const near = checkOutput({ name: 'p', shape: [2], checksum: '0.5,0.25001', head: [0.5, 0.25001] }, { name: 'p', shape: [2], checksum: '0.5,0.25', head: [0.5, 0.25] }, { atol: 1e-4, rtol: 0 });
      assert.equal(near.checksumMatch, false);
      assert.equal(near.withinTolerance, true, 'texts differ, values agree within atol');
      // Loose enough tolerance: the drifting run passes.
      assert.equal(compareRuns([cpu, drift], { tolerance: { atol: 1, rtol: 0 } }).rows[1].vsReference?.withinTolerance, true);
    });

    it('judges metrics with |a-b| <= atol + rtol*|b| and keeps timings out of parity', () => {
      assert.equal(checkMetric('acc', 0.9, 1, { atol: 0, rtol: 0.1 }).withinTolerance, true);
      assert.equal(checkMetric('acc', 0.89, 1, { atol: 0, rtol: 0.1 }).withinTolerance, false);
      assert.equal(checkMetric('loss', 1, Number.NaN, { atol: 1, rtol: 1 }).withinTolerance, false);
      for (const name of ['import_torch_ms', 'data_ms', 'cache_bytes']) assert.equal(isPerformanceMetric(name), true, name);
      for (const name of ['loss', 'acc', 'checksum', 'msg', 'bytes_per_item']) assert.equal(isPerformanceMetric(name), false, name);
    });

    it('prints wall time, ratios and per-metric differences in every format', () => {
      const comparison = compareRuns([cpu, same, drift]);
      const text = formatComparisonText(comparison);
      assert.match(text, /local\/rocm .* 2\.000 .* 0\.25x +ok \(3 metrics match; checksums equal, max abs 0\.0e\+0\)/);
      assert.match(text, /local\/npu .* 4\.000 .* 0\.50x +DRIFT \(loss \+0\.03124, acc -0\.0625; checksums differ, max abs 1\.0e\+0\)/);
      assert.match(text, /metrics vs reference/);
      assert.match(text, /local\/npu +loss +0\.03125 +0\.000007 +\+0\.03124 +DRIFT/);
      assert.match(text, /local\/rocm +checksum +12\.345679 +12\.345678 +\+1\.0e-6 +ok/);
      assert.doesNotMatch(text, /import_torch_ms/, 'timings only in JSON');
      const markdown = formatComparisonMarkdown(comparison);
      assert.match(markdown, /\| run \| target\/provider \| metric \| value \| reference \| diff \| vs ref \|/);
      assert.match(markdown, /\| local\/npu \| acc \| 0\.9375 \| 1 \| -0\.0625 \| DRIFT \|/);
      const csv = formatComparison(comparison, 'csv').split('\r\n');
      assert.equal(csv.length, 1 + 3 + 1);
      assert.match(csv[3], /,4\.000,no price,-,-,-,0\.50x,"DRIFT \(loss \+0\.03124, acc -0\.0625; checksums differ, max abs 1\.0e\+0\)"$/);
      const json = JSON.parse(formatComparison(comparison, 'json')) as { rows: Array<{ custom?: Record<string, number> }> };
      assert.equal(json.rows[2].custom?.import_torch_ms, 3100);
    });
  });
});

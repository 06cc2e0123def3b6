import { strict as assert } from 'node:assert';
import { buildComparison, comparisonRows, defaultComparisonIds, pickBest } from '../../../webview/model/compare';
import { exportComparison, toCsv, toJson, toMarkdown } from '../../../webview/model/export';
import { linearScale, logScale, niceTicks } from '../../../webview/model/scale';
import { loadFixtureRuns } from './fixtures';

describe('dashboard model: compare', () => {
  const runs = loadFixtureRuns();
  const benches = ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3'];

  it('expands ONNX benchmarks into one row per provider', () => {
    const rows = comparisonRows(runs, benches);
    assert.equal(rows.length, 8);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.label, r.available]), [['local · CPU', true], ['local · CUDA', false]]);
    assert.match(rows[1].reason!, /not built/);
  });

  it('picks the fastest provider that stays within tolerance', () => {
    const comparison = buildComparison(runs, benches, { tolerance: 1e-3 });
    const trt = comparison.rows.find((r) => r.provider === 'TensorrtExecutionProvider')!;
    assert.equal(trt.withinTolerance, false, 'TensorRT drifts 6.2e-3 > 1e-3');
    assert.equal(comparison.best?.row.key, '20261129-101500-c3e2a3/CUDAExecutionProvider');
    assert.equal(comparison.best?.metric, 'p50');
    assert.equal(comparison.best?.runnerUp?.label, 'gpu-box · MIGraphX');
    assert.ok(comparison.best!.excluded.some((e) => e.row === trt && /drift/.test(e.why)));
    assert.ok(comparison.best!.excluded.some((e) => e.row.provider === 'CUDAExecutionProvider' && e.row.target === 'local'));
    assert.match(comparison.best!.summary, /^Pick cluster · CUDA: median latency 1\.87 ms, 1\.29× faster than gpu-box · MIGraphX; outputs match/);
  });

  it('re-judges recorded parity against the chosen tolerance', () => {
    const loose = buildComparison(runs, benches, { tolerance: 1e-2 });
    assert.equal(loose.best?.row.provider, 'TensorrtExecutionProvider');
    const strict = buildComparison(runs, benches, { tolerance: 1e-5 });
    assert.equal(strict.best?.row.provider, 'CPUExecutionProvider', 'only exact CPU rows survive a 1e-5 tolerance');
  });

  it('compares script outputs with a reference run by checksum', () => {
    const ids = ['20261129-110200-d4f3b4', '20261129-112000-e5a4c5', '20261129-113100-f6b5d6', '20261129-114000-a7c6e7'];
    const comparison = buildComparison(runs, ids, { referenceKey: '20261129-110200-d4f3b4' });
    const [cpu, rocm, npu, cuda] = comparison.rows;
    assert.equal(cpu.withinTolerance, undefined, 'the reference has no drift of its own');
    assert.equal(rocm.withinTolerance, true);
    assert.equal(npu.withinTolerance, false);
    assert.ok(Math.abs(npu.maxAbsError! - 0.0012) < 1e-9);
    assert.equal(cuda.available, false);
    assert.equal(comparison.best?.row.key, '20261129-112000-e5a4c5');
  });

  it('checks script runs against the CPU run when no reference is chosen', () => {
    const ids = ['20261129-112000-e5a4c5', '20261129-113100-f6b5d6', '20261129-110200-d4f3b4'];
    const comparison = buildComparison(runs, ids);
    assert.equal(comparison.referenceKey, '20261129-110200-d4f3b4');
    assert.equal(comparison.rows.find((r) => r.target === 'ascend')!.withinTolerance, false);
    assert.match(comparison.best!.summary, /^Pick gpu-box · rocm: .*10\.70× faster than local · cpu; outputs match the reference within tolerance\.$/);
    assert.equal(buildComparison(runs, ['20261129-112000-e5a4c5']).referenceKey, undefined, 'one run has nothing to compare with');
  });

  it('falls back to throughput, then gives up without figures', () => {
    const rows = comparisonRows(runs, ['20261129-110200-d4f3b4', '20261129-112000-e5a4c5']).map((r) => ({ ...r, latency: undefined }));
    assert.equal(pickBest(rows)?.metric, 'throughput');
    assert.equal(pickBest(rows)?.row.target, 'gpu-box');
    assert.equal(pickBest([]), undefined);
  });

  it('exports markdown, CSV and JSON', () => {
    const comparison = buildComparison(runs, benches);
    const md = toMarkdown(comparison);
    const lines = md.split('\n');
    assert.match(lines[0], /^\| Target \| Backend \| Provider \| Run \| Status \| p50 ms/);
    assert.equal(lines.filter((l) => l.startsWith('|')).length, 2 + 8);
    assert.match(md, /\| cluster \| cuda \| TensorrtExecutionProvider \| 20261129-101500-c3e2a3 \| succeeded \| 0\.94 \|.*\| DRIFT \|/);
    assert.match(md, /\*\*Pick cluster · CUDA/);

    const csv = toCsv(comparison).split('\r\n');
    assert.equal(csv.length, 1 + 8 + 1);
    assert.match(csv[2], /^local,cpu,CUDAExecutionProvider,20261129-091002-a1c0e1,unavailable: CUDA provider not built into onnxruntime-node on linux-x64 CPU package,/);
    const json = JSON.parse(toJson(comparison, '2026-11-30T00:00:00.000Z'));
    assert.equal(json.version, 1);
    assert.equal(json.rows.length, 8);
    assert.equal(json.best.key, comparison.best!.row.key);
    assert.equal(exportComparison(comparison, 'csv', 'x'), toCsv(comparison));
  });

  it('quotes CSV fields with commas and quotes', () => {
    const comparison = buildComparison(runs, ['20261129-114000-a7c6e7']);
    comparison.rows[0].reason = 'said "no", then quit';
    assert.match(toCsv(comparison), /"unavailable: said ""no"", then quit"/);
  });
});

describe('dashboard model: chart scales', () => {
  it('chooses round ticks', () => {
    assert.deepEqual(niceTicks(18.4, 5), [0, 5, 10, 15, 20]);
    assert.deepEqual(niceTicks(0.94, 4), [0, 0.5, 1]);
    assert.deepEqual(niceTicks(0), [0, 1]);
  });
  it('maps values linearly onto the nice domain', () => {
    const scale = linearScale(18.4, 200);
    assert.deepEqual(scale.domain, [0, 20]);
    assert.equal(scale(10), 100);
    assert.equal(scale(-3), 0);
  });
  it('maps errors on a log scale and clamps zero', () => {
    const scale = logScale(2.4e-5, 6.2e-3, 300);
    assert.deepEqual(scale.domain, [1e-5, 1e-2]);
    assert.equal(scale(1e-3), 200);
    assert.equal(scale(0), 0);
    assert.equal(scale.ticks.length, 4);
  });
});

describe('dashboard model: default comparison', () => {
  it('picks the entry that succeeded on the most targets, latest run per target', () => {
    const runs = loadFixtureRuns();
    assert.deepEqual(defaultComparisonIds(runs), ['20261129-110200-d4f3b4', '20261129-112000-e5a4c5', '20261129-113100-f6b5d6']);
    assert.deepEqual(defaultComparisonIds(runs.filter((r) => r.kind === 'onnx-bench')), ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3']);
    assert.deepEqual(defaultComparisonIds([]), []);
  });
});

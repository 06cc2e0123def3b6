import { strict as assert } from 'node:assert';
import { chooseTarget } from '../../../src/run/choose';
import { compareRuns, DEFAULT_COMPARE_TOLERANCE, type Comparison } from '../../../src/run/compare';
import { formatComparison, formatComparisonMarkdown } from '../../../src/run/compareFormat';
import { buildComparison, defaultComparisonIds, type ComparisonView } from '../../../webview/model/compare';

/** The row the page stars: the shared choice's winner. */
const winnerRow = (view: ComparisonView) => view.rows.find((r) => r.key === view.choice.best);
import { exportComparison, exportFileName } from '../../../webview/model/export';
import { linearScale, logScale, niceTicks } from '../../../webview/model/scale';
import { applyMetric, applyResult, parseMetricLine, parseResultLine } from '../../../src/run/metrics';
import type { RunRecord } from '../../../src/run/record';
import { loadFixtureRuns, pricedFixtureRuns } from './fixtures';

/** What `porta compare` prints: the comparison with its default choice (the fastest that matches the reference). */
const withChoice = (comparison: Comparison): Comparison => ({ ...comparison, choice: chooseTarget(comparison) });

describe('dashboard model: compare (a view over compareRuns)', () => {
  const runs = loadFixtureRuns();
  const benches = ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3'];
  const scripts = ['20261129-110200-d4f3b4', '20261129-112000-e5a4c5', '20261129-113100-f6b5d6', '20261129-114000-a7c6e7'];
  const byIds = (ids: string[]) => ids.map((id) => runs.find((r) => r.id === id)!);

  it('expands ONNX benchmarks into one row per provider, with short display labels', () => {
    const { rows } = buildComparison(runs, benches);
    assert.equal(rows.length, 8);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.label, r.available]), [['local · CPU', true], ['local · CUDA', false]]);
    assert.match(rows[1].reason!, /not built/);
  });

  it('takes its rows and verdicts from compareRuns (same keys, same drift)', () => {
    const view = buildComparison(runs, benches, { tolerance: { atol: 1e-3, rtol: 1e-3 } });
    const shared = withChoice(compareRuns(byIds(benches), { tolerance: { atol: 1e-3, rtol: 1e-3 }, reference: view.referenceKey }));
    assert.deepEqual(view.comparison, shared);
    assert.deepEqual(view.rows.map((r) => [r.key, r.withinTolerance]), shared.rows.map((r) => [r.key, r.vsReference?.withinTolerance]));
  });

  it('judges benchmarks by their recorded parity and picks the fastest provider within tolerance', () => {
    const view = buildComparison(runs, benches, { tolerance: { atol: 1e-3, rtol: 1e-3 } });
    assert.equal(view.referenceKey, '20261129-091002-a1c0e1/CPUExecutionProvider', 'automatic: the first CPU row that ran');
    const trt = view.rows.find((r) => r.provider === 'TensorrtExecutionProvider')!;
    assert.equal(trt.withinTolerance, false, 'TensorRT drifts 6.2e-3 (rel 1.9e-2)');
    assert.equal(trt.paritySource, 'recorded');
    assert.equal(view.choice.best, '20261129-101500-c3e2a3/CUDAExecutionProvider');
    assert.equal(view.winner, view.choice.best, 'the page stars the shared choice');
    assert.equal(view.choice.speedMetric, 'p50');
    assert.ok(view.choice.excluded.some((e) => e.key === trt.key && /drift/.test(e.why)));
    const localCuda = view.rows.find((r) => r.provider === 'CUDAExecutionProvider' && r.target === 'local')!;
    assert.ok(view.choice.excluded.some((e) => e.key === localCuda.key));
    assert.match(view.choice.reason, /^cluster · CUDA wins on latency: p50 1\.87 ms, 1\.29× faster than gpu-box · MIGraphX; no price; outputs match its own CPU provider within tolerance/);
  });

  it('re-judges recorded parity with atol/rtol like porta compare', () => {
    // Default atol 1e-4, rtol 1e-3: MIGraphX (abs 8.9e-4, rel 2.7e-3) drifts too.
    const byDefault = buildComparison(runs, benches);
    assert.deepEqual(byDefault.tolerance, DEFAULT_COMPARE_TOLERANCE);
    assert.equal(byDefault.rows.find((r) => r.provider === 'MIGraphXExecutionProvider')!.withinTolerance, false);
    assert.equal(winnerRow(buildComparison(runs, benches, { tolerance: { atol: 1e-2, rtol: 0 } }))?.provider, 'TensorrtExecutionProvider');
    const strict = buildComparison(runs, benches, { tolerance: { atol: 1e-5, rtol: 1e-5 } });
    assert.equal(winnerRow(strict)?.provider, 'CPUExecutionProvider', 'only exact CPU rows survive');
  });

  it('compares script outputs with a chosen reference run', () => {
    const view = buildComparison(runs, scripts, { referenceKey: '20261129-110200-d4f3b4' });
    const [cpu, rocm, npu, cuda] = view.rows;
    assert.equal(cpu.withinTolerance, undefined, 'the reference has no drift of its own');
    assert.equal(rocm.withinTolerance, true);
    assert.equal(rocm.paritySource, 'values');
    assert.equal(npu.withinTolerance, false);
    assert.ok(Math.abs(npu.outputMaxAbsError! - 0.0012) < 1e-9, 'logits drift');
    assert.ok(Math.abs(npu.maxAbsError! - 0.0025) < 1e-9, 'acc drifts more (0.91 vs 0.9125)');
    assert.deepEqual(npu.metrics.map((m) => [m.name, m.withinTolerance]), [['loss', true], ['acc', false]], 'import_torch_ms is a timing: not judged');
    assert.deepEqual(npu.customValues, { loss: 0.6934, acc: 0.91 });
    assert.equal(cuda.available, false);
    assert.equal(view.winner, '20261129-112000-e5a4c5');
  });

  it('checks script runs against the CPU run when no reference is chosen, and ignores a stale choice', () => {
    const ids = ['20261129-112000-e5a4c5', '20261129-113100-f6b5d6', '20261129-110200-d4f3b4'];
    const view = buildComparison(runs, ids);
    assert.equal(view.referenceKey, '20261129-110200-d4f3b4');
    assert.equal(view.rows.find((r) => r.target === 'ascend')!.withinTolerance, false);
    assert.match(view.choice.reason, /^gpu-box · rocm wins on latency: .*10\.70× faster than local · cpu; no price; outputs match the reference within tolerance/);
    assert.equal(buildComparison(runs, ids, { referenceKey: 'gone/CUDAExecutionProvider' }).referenceKey, '20261129-110200-d4f3b4');
    const single = buildComparison(runs, ['20261129-112000-e5a4c5']);
    assert.equal(single.rows[0].withinTolerance, undefined, 'one run has nothing to compare with');
    assert.match(single.choice.reason, /it is the parity reference/);
  });

  it('exports exactly what porta compare prints for the same runs and reference', () => {
    const view = buildComparison(runs, benches);
    const shared = withChoice(compareRuns(byIds(benches), { reference: view.referenceKey }));
    assert.equal(exportComparison(view.comparison, 'markdown'), formatComparisonMarkdown(shared));
    assert.equal(exportComparison(view.comparison, 'json'), `${JSON.stringify(shared, null, 2)}\n`);
    assert.equal(exportComparison(view.comparison, 'csv'), formatComparison(shared, 'csv'));
    const md = exportComparison(view.comparison, 'markdown');
    assert.equal(md.split('\n').filter((l) => l.startsWith('|')).length, 2 + 8);
    assert.match(md, /\| 20261129-101500-c3e2a3 \| cluster\/TensorrtExecutionProvider \| succeeded \| 0\.940 \|.*\| DRIFT \(recorded parity vs its CPU provider, max abs 6\.2e-3\) \|/);
    const csv = exportComparison(view.comparison, 'csv').split('\r\n');
    assert.equal(csv.length, 1 + 8 + 1);
    assert.match(csv[2], /^20261129-091002-a1c0e1,local\/CUDAExecutionProvider,unavailable,/);
    const json = JSON.parse(exportComparison(view.comparison, 'json'));
    assert.equal(json.version, 1);
    assert.equal(json.reference, '20261129-091002-a1c0e1/CPUExecutionProvider');
    assert.equal(json.rows.length, 8);
    assert.equal(exportFileName('markdown'), 'porta-comparison.md');
  });

  it('quotes CSV fields with commas and quotes', () => {
    const view = buildComparison(runs, ['20261129-114000-a7c6e7']);
    view.comparison.rows[0].reason = 'said "no", then quit';
    assert.match(exportComparison(view.comparison, 'csv'), /"n\/a: said ""no"", then quit"/);
  });
});

describe('dashboard model: compare script runs by wall time and RESULT metrics', () => {
  // As the runner records them: harness metric lines and the script's own RESULT line (no latency distribution).
  function scriptRun(id: string, target: string, backend: string, wallMs: number, log: string[]): RunRecord {
    const metrics: RunRecord['metrics'] = { wallMs };
    for (const line of log) {
      const metric = parseMetricLine(line);
      if (metric) applyMetric(metrics, metric);
      const result = parseResultLine(line);
      if (result) applyResult(metrics, result);
    }
    return {
      version: 1, id, kind: 'script', target, targetKind: target === 'local' ? 'local' : 'ssh', backend, resolvedBackend: backend,
      command: ['python', 'train.py'], entry: 'train.py', startedAt: `2026-11-30T03:0${id.slice(-1)}:00.000Z`, status: 'succeeded', exitCode: 0, logFile: '/dev/null', metrics,
    };
  }
  const cpu = scriptRun('20261130-030000-aaaaa1', 'local', 'cpu', 8000, ['PORTA_METRIC {"name": "peak_memory_bytes", "value": 270344192}', 'RESULT loss=0.000007 acc=1.0000 checksum=282.188910 top1=3,1,4']);
  const rocm = scriptRun('20261130-030100-bbbbb2', 'gpu-box', 'rocm', 2000, ['PORTA_METRIC {"name": "import_torch_ms", "value": 2632.9}', 'RESULT loss=0.000007 acc=1.0000 checksum=282.188911 top1=3,1,4']);
  const npu = scriptRun('20261130-030200-ccccc3', 'ascend', 'npu', 1500, ['PORTA_METRIC {"name": "import_torch_ms", "value": 4100}', 'RESULT loss=0.031250 acc=0.9375 checksum=282.188910 top1=3,1,5']);
  const runs = [cpu, rocm, npu];
  const ids = runs.map((r) => r.id);

  it('recommends the fastest wall time among the runs whose metrics match, and says why the others are out', () => {
    const view = buildComparison(runs, ids);
    assert.equal(view.referenceKey, cpu.id, 'the CPU run is the automatic reference');
    const [, ok, drift] = view.rows;
    assert.equal(ok.wallRatio, 0.25);
    assert.deepEqual(ok.metrics.map((m) => m.name), ['loss', 'acc', 'checksum']);
    assert.equal(ok.withinTolerance, true);
    assert.equal(drift.withinTolerance, false);
    assert.equal(view.choice.speedMetric, 'wall', 'no latency distribution: wall time decides');
    assert.equal(view.winner, rocm.id, 'the NPU run is faster but its accuracy drifts');
    assert.match(view.choice.reason, /^gpu-box · rocm wins on latency: wall time 2\.00 s, 4\.00× faster than local · cpu; no price; outputs match the reference within tolerance/);
    const out = view.choice.excluded.find((e) => e.key === npu.id)!;
    assert.match(out.why, /^outputs drift from the reference beyond tolerance \(max abs 1\.0e\+0\)$/);
  });

  it('exports the per-metric parity exactly as porta compare prints it', () => {
    const view = buildComparison(runs, ids);
    const md = exportComparison(view.comparison, 'markdown');
    assert.equal(md, formatComparisonMarkdown(withChoice(compareRuns(runs, { reference: cpu.id }))));
    assert.match(md, /\| ascend\/npu \| loss \| 0\.03125 \| 0\.000007 \| \+0\.03124 \| DRIFT \|/);
    assert.match(md, /\| gpu-box\/rocm \| succeeded \|.*\| 2\.000 \| no price \| - \| - \| - \| 0\.25x \| ok \(3 metrics match; checksums equal, max abs 0\.0e\+0\) \|/);
    assert.doesNotMatch(md, /import_torch_ms/);
    assert.equal(JSON.parse(exportComparison(view.comparison, 'json')).rows[1].custom.import_torch_ms, 2632.9, 'timings stay in JSON');
  });

  it('with a tolerance loose enough for the drift, the fastest run wins', () => {
    const view = buildComparison(runs, ids, { tolerance: { atol: 1, rtol: 0 } });
    assert.equal(view.winner, npu.id);
    assert.match(view.choice.reason, /^ascend · npu wins on latency: wall time 1\.50 s, 1\.33× faster than gpu-box · rocm;/);
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

describe('dashboard model: cost and the objective', () => {
  const runs = pricedFixtureRuns();
  const benches = ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3'];
  const CUDA = '20261129-101500-c3e2a3/CUDAExecutionProvider';
  const ROCM = '20261129-093210-b2d1f2/ROCMExecutionProvider';
  const LOCAL_CPU = '20261129-091002-a1c0e1/CPUExecutionProvider';

  it('carries each row\'s run cost and cost per 1,000 inferences', () => {
    const view = buildComparison(runs, benches);
    const cuda = view.rows.find((r) => r.key === CUDA)!;
    assert.equal(cuda.cost?.basis, 'elapsed 150 s × 1 GPU × 8.00 USD/GPU-h');
    assert.ok(Math.abs(cuda.costPer1kInferences! - (8 / 3600 / 531.2) * 1000) < 1e-12);
    assert.equal(buildComparison(loadFixtureRuns(), benches).rows.find((r) => r.key === CUDA)!.cost, undefined, 'unpriced fixtures: no cost');
  });

  it('stars a different winner per objective, the same one porta compare --objective names', () => {
    for (const [objective, key] of [['latency', CUDA], ['cost', LOCAL_CPU], ['balanced', ROCM]] as const) {
      const view = buildComparison(runs, benches, { objective });
      assert.equal(view.winner, key, objective);
      assert.equal(view.choice.best, key, `${objective}: the shared choice agrees`);
      assert.equal(view.comparison.choice?.objective, objective, 'exports carry the choice');
    }
    const balanced = buildComparison(runs, benches, { objective: 'balanced' }).choice;
    assert.deepEqual([...balanced.pareto].sort(), [CUDA, LOCAL_CPU, ROCM].sort());
    assert.equal(balanced.points.find((p) => p.key === '20261129-101500-c3e2a3/TensorrtExecutionProvider')?.eligible, false, 'TensorRT drifts: drawn, left out');
  });

  it('the cost objective without any price names nobody and says why', () => {
    const view = buildComparison(loadFixtureRuns(), benches, { objective: 'cost' });
    assert.equal(view.winner, undefined);
    assert.match(view.choice.reason, /^No target to recommend: .* and a price\.$/);
    assert.equal(view.choice.points.length, 0);
  });
});

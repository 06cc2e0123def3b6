import { strict as assert } from 'node:assert';
import { buildReadinessView, effortLabel, parseScanJson, type ScanFinding } from '../../../webview/model/readiness';

const finding = (path: string, line: number, rule: string, targets: Record<string, string>, fix: boolean): ScanFinding => ({
  path,
  rule,
  severity: 'warning',
  message: `${rule} here`,
  range: { start: { line, column: 3 } },
  targets,
  fix: fix ? { safe: true } : null,
});

describe('dashboard model: readiness', () => {
  const findings = [
    finding('train.py', 12, 'torch-cuda-call', { cuda: 'ok', rocm: 'ok', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }, true),
    finding('train.py', 3, 'nccl-backend', { cuda: 'ok', rocm: 'ok', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'degraded' }, false),
    finding('kernels/add.cu', 8, 'cuda-kernel', { cuda: 'ok', rocm: 'shim', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }, false),
    finding('train.py', 40, 'amp-autocast', { cuda: 'ok', rocm: 'ok', npu: 'degraded', xpu: 'ok', mps: 'degraded', cpu: 'degraded' }, true),
  ];
  const view = buildReadinessView(findings, '2026-11-30T00:00:00Z');
  const get = (backend: string) => view.targets.find((t) => t.backend === backend)!;

  it('counts per target', () => {
    assert.equal(view.findings, 4);
    assert.equal(view.files, 2);
    assert.deepEqual(view.targets.map((t) => t.backend), ['cuda', 'rocm', 'npu', 'xpu', 'mps', 'cpu']);
    assert.equal(get('cuda').effort, 'none');
    assert.equal(get('rocm').blockers.length, 0);
    assert.equal(get('rocm').shimCovered.length, 1);
    assert.equal(get('rocm').effort, 'low');
    assert.equal(get('npu').blockers.length, 3);
    assert.equal(get('npu').degraded.length, 1);
    assert.equal(get('npu').fixable, 2);
    assert.equal(get('npu').effortScore, 1 + 5 + 5 + 0.5);
    assert.equal(get('npu').effort, 'medium');
  });

  it('sorts items by location and keeps 1-based positions', () => {
    assert.deepEqual(get('npu').blockers.map((b) => `${b.path}:${b.line}`), ['kernels/add.cu:8', 'train.py:3', 'train.py:12']);
    assert.equal(get('npu').blockers[0].column, 3);
  });

  it('labels effort', () => {
    assert.deepEqual([0, 1, 5, 24.9, 25].map(effortLabel), ['none', 'low', 'medium', 'medium', 'high']);
  });

  it('reads scan JSON and rejects anything else', () => {
    assert.equal(parseScanJson(JSON.stringify({ version: 1, findings, summary: {} })).length, 4);
    assert.throws(() => parseScanJson('{"version":1}'), /no "findings" array/);
    assert.throws(() => parseScanJson('not json'));
  });
});

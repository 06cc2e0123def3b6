import { strict as assert } from 'node:assert';
import { countByStatus, filterRuns, runFacets, sortRuns, upsertRun, visibleWindow, EMPTY_FILTER } from '../../../webview/model/runs';
import { loadFixtureRuns } from './fixtures';

describe('dashboard model: runs', () => {
  const runs = sortRuns(loadFixtureRuns());

  it('sorts newest first', () => {
    assert.equal(runs[0].id, '20261130-015500-e1a0cb');
    assert.equal(runs[runs.length - 1].id, '20261129-091002-a1c0e1');
  });

  it('filters by target, status and text', () => {
    assert.deepEqual(
      filterRuns(runs, { ...EMPTY_FILTER, target: 'gpu-box' }).map((r) => r.id),
      ['20261130-015000-d0f9ba', '20261129-115000-b8d7f8', '20261129-112000-e5a4c5', '20261129-093210-b2d1f2'],
    );
    assert.deepEqual(filterRuns(runs, { ...EMPTY_FILTER, status: 'failed' }).map((r) => r.id), ['20261129-114000-a7c6e7']);
    assert.deepEqual(filterRuns(runs, { target: 'gpu-box', status: 'succeeded', text: 'ONNX' }).map((r) => r.id), ['20261129-093210-b2d1f2']);
    assert.equal(filterRuns(runs, EMPTY_FILTER).length, runs.length);
  });

  it('lists facets and counts', () => {
    const facets = runFacets(runs);
    assert.deepEqual(facets.targets, ['ascend', 'cluster', 'gpu-box', 'local', 'mac-mini']);
    assert.ok(facets.statuses.includes('running'));
    const counts = countByStatus(runs);
    assert.equal(counts.succeeded, 6);
    assert.equal(counts.running, 1);
  });

  it('replaces a live run in place and inserts a new one in order', () => {
    const running = runs.find((r) => r.status === 'running')!;
    const updated = upsertRun(runs, { ...running, status: 'succeeded', endedAt: '2026-11-30T02:10:00.000Z' });
    assert.equal(updated.length, runs.length);
    assert.equal(updated.find((r) => r.id === running.id)!.status, 'succeeded');
    const added = upsertRun(runs, { ...running, id: 'zz-new', startedAt: '2026-12-01T00:00:00.000Z' });
    assert.equal(added[0].id, 'zz-new');
  });

  it('windows a virtual list', () => {
    assert.deepEqual(visibleWindow(0, 300, 30, 1000, 5), { start: 0, end: 16, offsetTop: 0, totalHeight: 30000 });
    const mid = visibleWindow(15000, 300, 30, 1000, 5);
    assert.equal(mid.start, 495);
    assert.equal(mid.end, 516);
    assert.equal(mid.offsetTop, 495 * 30);
    const end = visibleWindow(29990, 300, 30, 1000, 5);
    assert.equal(end.end, 1000);
    assert.deepEqual(visibleWindow(0, 300, 30, 0), { start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });
});

import { strict as assert } from 'node:assert';
import { DEFAULT_COMPARE_TOLERANCE } from '../../../src/run/compare';
import { compareRunsState, DEFAULT_STATE, restoreState } from '../../../webview/state';

describe('dashboard state: comparison tolerance', () => {
  it('defaults to porta compare\'s atol/rtol', () => {
    assert.deepEqual(DEFAULT_STATE.tolerance, DEFAULT_COMPARE_TOLERANCE);
    assert.deepEqual(restoreState(undefined).tolerance, DEFAULT_COMPARE_TOLERANCE);
  });

  it('keeps a saved atol/rtol and repairs damaged parts', () => {
    assert.deepEqual(restoreState({ tolerance: { atol: 1e-3, rtol: 0 } }).tolerance, { atol: 1e-3, rtol: 0 });
    assert.deepEqual(restoreState({ tolerance: { atol: -1, rtol: 'x' } }).tolerance, DEFAULT_COMPARE_TOLERANCE);
  });

  it('reads the older single absolute tolerance as atol', () => {
    assert.deepEqual(restoreState({ tolerance: 1e-2 }).tolerance, { atol: 1e-2, rtol: DEFAULT_COMPARE_TOLERANCE.rtol });
  });
});

describe('dashboard state: the end of a multi-target run', () => {
  it('compares exactly those runs, on the Compare page, with the automatic reference', () => {
    const before = { ...DEFAULT_STATE, page: 'runs' as const, compareIds: ['old'], referenceKey: 'old/cpu', selectedRunId: 'x' };
    const after = compareRunsState(before, ['a', 'b', 'a', 'c']);
    assert.equal(after.page, 'compare');
    assert.deepEqual(after.compareIds, ['a', 'b', 'c']);
    assert.equal(after.referenceKey, undefined);
    assert.equal(after.selectedRunId, 'x');
    assert.deepEqual(before.compareIds, ['old'], 'the old state is not changed in place');
  });
});

describe('dashboard state: best-target objective', () => {
  it('defaults to latency, keeps a saved objective and drops an unknown one', () => {
    assert.equal(restoreState(undefined).objective, 'latency');
    assert.equal(restoreState({ objective: 'balanced' }).objective, 'balanced');
    assert.equal(restoreState({ objective: 'cheapest' }).objective, 'latency');
  });
});

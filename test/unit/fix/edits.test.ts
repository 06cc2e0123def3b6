import * as assert from 'node:assert/strict';
import { applyEdits, editsOverlap, mergeFixes } from '../../../src/core/fix/edits';

describe('fix edits: merging and applying', () => {
  it('applies edits in any order against the original offsets', () => {
    const text = 'a.cuda(); b.cuda()';
    assert.equal(applyEdits(text, [{ start: 12, end: 18, text: 'to(d)' }, { start: 2, end: 8, text: 'to(d)' }]), 'a.to(d); b.to(d)');
  });

  it('treats touching edits and boundary insertions as non-overlapping', () => {
    assert.equal(editsOverlap({ start: 0, end: 2, text: '' }, { start: 2, end: 4, text: '' }), false);
    assert.equal(editsOverlap({ start: 2, end: 2, text: 'x' }, { start: 2, end: 4, text: '' }), false);
    assert.equal(editsOverlap({ start: 3, end: 3, text: 'x' }, { start: 2, end: 4, text: '' }), true);
    assert.equal(editsOverlap({ start: 1, end: 3, text: '' }, { start: 2, end: 4, text: '' }), true);
  });

  it('rejects a whole fix when any of its edits overlaps an accepted one, and shares identical edits', () => {
    const insert = { start: 0, end: 0, text: 'import torch\n' };
    const first = { title: 'one', safe: true, edits: [insert, { start: 5, end: 10, text: 'X' }] };
    const clash = { title: 'two', safe: true, edits: [{ start: 20, end: 21, text: 'Y' }, { start: 8, end: 12, text: 'Z' }] };
    const shares = { title: 'three', safe: true, edits: [insert, { start: 30, end: 31, text: 'W' }] };
    const merged = mergeFixes([first, clash, shares]);
    assert.deepEqual(merged.accepted.map((f) => f.title), ['one', 'three']);
    assert.deepEqual(merged.rejected.map((f) => f.title), ['two']);
    assert.equal(merged.edits.filter((e) => e.text === 'import torch\n').length, 1);
    assert.deepEqual(merged.edits.map((e) => e.start), [0, 5, 30]);
  });

  it('refuses to apply overlapping edits or edits past the end', () => {
    assert.throws(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }]), /overlapping/);
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 9, text: '' }]), /beyond the end/);
  });
});

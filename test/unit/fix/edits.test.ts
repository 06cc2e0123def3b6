import * as assert from 'node:assert/strict';
import { applyEdits, composeEdits, editsOverlap, mergeFixes } from '../../../src/core/fix/edits';
import type { TextEdit } from '../../../src/core/model';

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

  it('composes two rounds of edits into one list for the original text (seeded random rounds)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    /** Non-overlapping edits on `text`: insertions, deletions and replacements, some touching. */
    const randomEdits = (text: string): TextEdit[] => {
      const edits: TextEdit[] = [];
      for (let at = random(4); at <= text.length; at += 1 + random(6)) {
        const end = Math.min(text.length, at + random(4));
        if (random(3) === 0) edits.push({ start: at, end, text: ['', 'x', 'DEVICE', 'a\nb'][random(4)]! });
        at = end;
      }
      return edits;
    };
    for (let round = 0; round < 300; round++) {
      const original = 'abcdefghij\nklmnopqrst\nuvwxyz'.slice(0, 5 + random(25));
      const first = randomEdits(original);
      const middle = applyEdits(original, first);
      const second = randomEdits(middle);
      const composed = composeEdits(first, middle, second);
      assert.equal(applyEdits(original, composed), applyEdits(middle, second), `round ${round}: ${JSON.stringify({ original, first, second, composed })}`);
    }
  });

  it('a second-round edit inside text the first round wrote merges with it; elsewhere both stay minimal', () => {
    const original = 'x = "cuda"\ny = 1\n';
    const first = [{ start: 4, end: 10, text: 'DEVICE.type' }];
    const middle = applyEdits(original, first);
    const second = [{ start: 4, end: 10, text: 'PORTA' }, { start: middle.indexOf('1'), end: middle.indexOf('1') + 1, text: '2' }];
    assert.deepEqual(composeEdits(first, middle, second), [{ start: 4, end: 10, text: 'PORTA.type' }, { start: 15, end: 16, text: '2' }]);
  });

  it('refuses to apply overlapping edits or edits past the end', () => {
    assert.throws(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }]), /overlapping/);
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 9, text: '' }]), /beyond the end/);
  });
});

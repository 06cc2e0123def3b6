import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdit, coverEdit, diffEdit, parseEdited } from '../../../src/core/parse/incremental';
import { createParser, type TreeSitter } from '../../../src/core/parse/loader';

/**
 * An open document's tree after edits must be the tree a fresh parse gives (what `porta scan` sees), also when
 * the edit breaks the syntax: tree-sitter's error recovery, and a `*` where Python allows none, can come out
 * differently in an incremental parse.
 * Found by the fuzz test's editor check (issue 17).
 */
describe('parseEdited: an edited tree is the fresh tree', () => {
  let parser: TreeSitter.Parser;
  before(async () => {
    parser = await createParser('python');
  });

  /** The editor check's path: the old part deleted, then the new part typed, parsed after each step. */
  function editedTree(before: string, after: string): string {
    const edit = diffEdit(before, after);
    let tree = parseEdited(parser, before, null);
    const removal = { start: edit.start, end: edit.end, text: '' };
    let text = applyEdit(before, removal, tree);
    tree = parseEdited(parser, text, tree, coverEdit(undefined, removal));
    const typing = { start: edit.start, end: edit.start, text: edit.text };
    text = applyEdit(text, typing, tree);
    tree = parseEdited(parser, text, tree, coverEdit(undefined, typing));
    const shape = tree!.rootNode.toString();
    tree!.delete();
    return shape;
  }

  function freshTree(text: string): string {
    const tree = parser.parse(text)!;
    const shape = tree.rootNode.toString();
    tree.delete();
    return shape;
  }

  it('`x\\n*` typed into a clean file: the splat binds as in a fresh parse', () => {
    const before = readFileSync(join(__dirname, '../../fixtures/python/amp_backends_types.py'), 'utf8');
    const lines = before.split('\n');
    const after = [...lines.slice(0, 44), 'x\n*', ...lines.slice(44)].join('\n');
    assert.equal(editedTree(before, after), freshTree(after));
  });

  it('`x\\n*torch.cuda.synchronize()` and edits that repair or keep a broken file', () => {
    const broken = 'x\n*torch.cuda.synchronize()';
    for (const [before, after] of [['x\ntorch.cuda.synchronize()\n', broken], [broken, 'x\ntorch.cuda.synchronize()'], [broken, `${broken}\ny = 1\n`]]) {
      assert.equal(editedTree(before, after), freshTree(after), JSON.stringify([before, after]));
    }
  });

  it('coverEdit keeps one range over several edits, moved by the edits before it', () => {
    let touched = coverEdit(undefined, { start: 5, end: 5, text: 'abc' });
    assert.deepEqual(touched, { start: 5, end: 8 });
    // An edit before the range moves it, and the range grows to cover that edit's new text too.
    touched = coverEdit(touched, { start: 0, end: 2, text: 'xxxx' });
    assert.deepEqual(touched, { start: 0, end: 10 });
    touched = coverEdit(touched, { start: 20, end: 25, text: '' });
    assert.deepEqual(touched, { start: 0, end: 20 });
    // An edit over the range's end: the range ends where the new text does.
    assert.deepEqual(coverEdit({ start: 7, end: 20 }, { start: 15, end: 30, text: 'y' }), { start: 7, end: 16 });
    assert.deepEqual(coverEdit({ start: 7, end: 20 }, { start: 2, end: 9, text: '' }), { start: 2, end: 13 });
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { insideAny, realRoots, writeTarget } from '../../../src/workspace/writeTarget';

/** Which files `porta fix` may write: those at or below a path given, found by walking up from the file (issue 15: n files, not n²). */
describe('writeTarget roots', () => {
  const root = path.resolve(os.tmpdir(), 'porta-roots');

  it('counts a file given itself, and files below a folder given', () => {
    const roots = realRoots([path.join(root, 'a.cu'), path.join(root, 'src')], '/');
    assert.equal(insideAny(path.join(root, 'a.cu'), roots), true);
    assert.equal(insideAny(path.join(root, 'src', 'deep', 'b.cu'), roots), true);
  });

  it('does not count a sibling whose name only starts like a root, nor the root\'s parent', () => {
    const roots = realRoots([path.join(root, 'src')], '/');
    assert.equal(insideAny(path.join(root, 'src2', 'b.cu'), roots), false);
    assert.equal(insideAny(path.join(root, 'a.cu'), roots), false);
    assert.equal(insideAny(root, roots), false);
  });

  it('counts everything below the file system root when that root is given', () => {
    assert.equal(insideAny(path.join(root, 'x', 'y.cu'), realRoots([path.parse(root).root], '/')), true);
  });

  it('resolves relative roots against the working folder', () => {
    assert.equal(insideAny(path.join(root, 'src', 'b.cu'), realRoots(['src'], root)), true);
  });

  it('refuses a link that leads outside the roots, with many files given', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-roots-'));
    try {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-outside-'));
      fs.writeFileSync(path.join(outside, 'real.cu'), 'int x;\n');
      const given = Array.from({ length: 50 }, (_, i) => path.join(dir, `f${i}.cu`));
      for (const file of given) fs.writeFileSync(file, 'int y;\n');
      fs.symlinkSync(path.join(outside, 'real.cu'), path.join(dir, 'link.cu'));
      const roots = realRoots(given, '/'); // the link's folder is not given, only the files beside it
      assert.deepEqual(writeTarget(given[7], roots), { path: fs.realpathSync(given[7]) });
      assert.match(JSON.stringify(writeTarget(path.join(dir, 'link.cu'), roots)), /outside the paths given/);
      fs.rmSync(outside, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

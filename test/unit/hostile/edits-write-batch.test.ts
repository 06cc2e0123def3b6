import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rewriteFiles, RewriteRefused } from '../../../src/workspace/rewrite';

/** rewriteFiles: rewriteFile's guarantees for a whole batch, with the disk syncs batched (issue 15's speed). */
describe('rewriteFiles: batched safe writes', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-batch-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function file(relative: string, text: string): string {
    const full = path.join(dir, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    return full;
  }

  function leftovers(folder: string): string[] {
    return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.includes('.porta-'));
  }

  it('refuses only the file edited meanwhile, writes the others and leaves no temporary file', async () => {
    const a = file('a.cu', 'cudaMalloc\n');
    const b = file('sub/b.cu', 'cudaFree\n');
    const c = file('sub/c.cu', 'cudaMemcpy\n');
    fs.writeFileSync(b, 'cudaFree // saved by the user meanwhile\n');
    const outcomes = await rewriteFiles([
      { file: a, original: Buffer.from('cudaMalloc\n'), content: Buffer.from('hipMalloc\n') },
      { file: b, original: Buffer.from('cudaFree\n'), content: Buffer.from('hipFree\n') },
      { file: c, original: Buffer.from('cudaMemcpy\n'), content: Buffer.from('hipMemcpy\n') },
    ]);
    assert.deepEqual(outcomes[0], { written: true });
    assert.ok(!outcomes[1].written && outcomes[1].error instanceof RewriteRefused && /changed on disk/.test(outcomes[1].error.message));
    assert.deepEqual(outcomes[2], { written: true });
    assert.equal(fs.readFileSync(a, 'utf8'), 'hipMalloc\n');
    assert.equal(fs.readFileSync(b, 'utf8'), 'cudaFree // saved by the user meanwhile\n');
    assert.equal(fs.readFileSync(c, 'utf8'), 'hipMemcpy\n');
    assert.deepEqual(leftovers(dir), []);
  });

  it('reports a file that vanished with its own error and still writes the rest', async () => {
    const a = file('a.cu', 'x\n');
    const outcomes = await rewriteFiles([
      { file: path.join(dir, 'gone.cu'), original: Buffer.from('x\n'), content: Buffer.from('y\n') },
      { file: a, original: Buffer.from('x\n'), content: Buffer.from('y\n') },
    ]);
    assert.ok(!outcomes[0].written && (outcomes[0].error as NodeJS.ErrnoException).code === 'ENOENT');
    assert.deepEqual(outcomes[1], { written: true });
    assert.equal(fs.readFileSync(a, 'utf8'), 'y\n');
    assert.deepEqual(leftovers(dir), []);
  });

  it('keeps a hard-linked file one inode and its mode as it was', async () => {
    const a = file('a.cu', 'x\n');
    fs.linkSync(a, path.join(dir, 'link.cu'));
    const b = file('b.cu', 'x\n');
    fs.chmodSync(b, 0o751);
    const outcomes = await rewriteFiles([
      { file: a, original: Buffer.from('x\n'), content: Buffer.from('y\n') },
      { file: b, original: Buffer.from('x\n'), content: Buffer.from('y\n') },
    ]);
    assert.deepEqual(outcomes, [{ written: true }, { written: true }]);
    assert.equal(fs.readFileSync(path.join(dir, 'link.cu'), 'utf8'), 'y\n');
    assert.equal(fs.statSync(b).mode & 0o7777, 0o751);
  });

  describe('disk syncs', () => {
    // The module object itself (an import's namespace is read-only): rewrite.ts reads its functions from it per call.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require('node:fs') as typeof fs;
    const realFsync = fs.fsync;
    const realRename = fs.renameSync;
    const realOpen = fs.promises.open;
    let events: string[];
    beforeEach(() => {
      events = [];
      nodeFs.fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        events.push('fsync');
        realFsync(fd, callback);
      }) as typeof fs.fsync;
      nodeFs.renameSync = (from, to) => {
        events.push('rename');
        realRename(from, to);
      };
      nodeFs.promises.open = (async (name: fs.PathLike, flags?: string | number) => {
        if (fs.statSync(name).isDirectory()) events.push(`sync folder ${path.relative(dir, String(name)) || '.'}`);
        return realOpen(name, flags);
      }) as typeof fs.promises.open;
    });
    afterEach(() => {
      nodeFs.fsync = realFsync;
      nodeFs.renameSync = realRename;
      nodeFs.promises.open = realOpen;
    });

    it('syncs every temporary file before the first rename, and each folder once after the renames', async () => {
      const names = ['a.cu', 'b.cu', 'sub/c.cu', 'sub/d.cu'];
      const requests = names.map((name) => ({ file: file(name, 'x\n'), original: Buffer.from('x\n'), content: Buffer.from('y\n') }));
      const outcomes = await rewriteFiles(requests);
      assert.ok(outcomes.every((outcome) => outcome.written));
      assert.deepEqual(events.slice(0, 8), ['fsync', 'fsync', 'fsync', 'fsync', 'rename', 'rename', 'rename', 'rename']);
      assert.deepEqual(events.slice(8).sort(), ['sync folder .', 'sync folder sub']);
    });
  });
});

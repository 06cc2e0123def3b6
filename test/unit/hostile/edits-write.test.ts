import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { porta } from '../fix/helpers';
import { rewriteFile, RewriteRefused } from '../../../src/workspace/rewrite';

/** Issue 17: `porta fix` writes only what it should, where it should, and loses nothing it did not write. */

const PROGRAM = 'import torch\n\nx = torch.zeros(2).cuda()\n';
const FIXED = /\.to\(DEVICE\)/;
const isRoot = process.getuid?.() === 0;
const REPO = path.resolve(__dirname, '../../..');

/** `porta ARGS` in a child process as the unprivileged user `nobody` (needs root and setpriv to switch). */
function portaAsNobody(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  const node = [process.execPath, '--require', require.resolve('tsx/cjs'), path.join(REPO, 'src/cli.ts'), ...args];
  return new Promise((resolve) => {
    execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node], { cwd, env: { ...process.env, HOME: os.tmpdir() }, timeout: 120_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }));
  });
}

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.includes('.porta-'));
}

describe('porta fix: no lost or misplaced edits (issue 17)', () => {
  let base: string;
  let ws: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-edits-'));
    ws = path.join(base, 'ws');
    fs.mkdirSync(ws);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('writes through a symbolic link to a file inside the workspace and keeps the link a link', async () => {
    fs.writeFileSync(path.join(ws, 'real.py'), PROGRAM);
    fs.symlinkSync('real.py', path.join(ws, 'link.py'));
    const result = await porta(['fix', 'link.py'], ws);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.lstatSync(path.join(ws, 'link.py')).isSymbolicLink(), 'the link was replaced by a regular file');
    assert.match(fs.readFileSync(path.join(ws, 'real.py'), 'utf8'), FIXED);
  });

  it('never writes through a link to a folder outside the paths given', async () => {
    const outside = path.join(base, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'lib.py'), PROGRAM);
    fs.writeFileSync(path.join(ws, 'train.py'), PROGRAM);
    fs.symlinkSync(outside, path.join(ws, 'vendor'));
    const result = await porta(['fix', '.'], ws);
    assert.equal(fs.readFileSync(path.join(outside, 'lib.py'), 'utf8'), PROGRAM, 'a file outside the workspace was rewritten');
    assert.match(fs.readFileSync(path.join(ws, 'train.py'), 'utf8'), FIXED);
    assert.match(result.stderr, /vendor\/lib\.py: not fixed: it is a symbolic link to .*outside\/lib\.py, outside the paths given/);
    assert.equal(result.code, 1);
  });

  it('rewrites a hard-linked file in place, so every link sees the fix', async () => {
    const other = path.join(base, 'elsewhere.py');
    fs.writeFileSync(path.join(ws, 'train.py'), PROGRAM);
    fs.linkSync(path.join(ws, 'train.py'), other);
    const inode = fs.statSync(other).ino;
    const result = await porta(['fix', '.'], ws);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.statSync(path.join(ws, 'train.py')).ino, inode);
    assert.equal(fs.statSync(other).nlink, 2);
    assert.match(fs.readFileSync(other, 'utf8'), FIXED);
  });

  it('keeps the mode as it was (not narrowed by the umask)', async () => {
    const file = path.join(ws, 'train.py');
    fs.writeFileSync(file, PROGRAM);
    fs.chmodSync(file, 0o664);
    const result = await porta(['fix', '.'], ws);
    assert.equal(result.code, 0, result.stderr);
    assert.match(fs.readFileSync(file, 'utf8'), FIXED);
    assert.equal(fs.statSync(file).mode & 0o7777, 0o664);
  });

  it('keeps the owner and group of a file owned by someone else', async function () {
    if (!isRoot) this.skip(); // only root can create a file owned by another user
    const file = path.join(ws, 'train.py');
    fs.writeFileSync(file, PROGRAM);
    fs.chownSync(file, 4242, 4343);
    const result = await porta(['fix', '.'], ws);
    assert.equal(result.code, 0, result.stderr);
    assert.match(fs.readFileSync(file, 'utf8'), FIXED);
    const stat = fs.statSync(file);
    assert.deepEqual([stat.uid, stat.gid], [4242, 4343]);
  });

  describe('as an unprivileged user', function () {
    before(function () {
      if (!isRoot) this.skip(); // switching to nobody needs root
      try {
        execFileSync('setpriv', ['--version'], { stdio: 'pipe' });
      } catch {
        this.skip(); // no setpriv
      }
    });
    beforeEach(() => fs.chmodSync(base, 0o755));

    it('fixes a file of theirs in a folder they cannot write to (in place: no temporary file possible)', async function () {
      this.timeout(120_000);
      const file = path.join(ws, 'train.py');
      fs.writeFileSync(file, PROGRAM);
      fs.chownSync(file, 65534, 65534);
      const result = await portaAsNobody(['fix', '.'], ws);
      assert.equal(result.code, 0, result.stderr);
      assert.match(fs.readFileSync(file, 'utf8'), FIXED);
    });

    it('keeps the owner of a writable file someone else owns', async function () {
      this.timeout(120_000);
      const file = path.join(ws, 'train.py');
      fs.writeFileSync(file, PROGRAM);
      fs.chmodSync(file, 0o666);
      fs.chmodSync(ws, 0o777);
      const result = await portaAsNobody(['fix', '.'], ws);
      assert.equal(result.code, 0, result.stderr);
      assert.match(fs.readFileSync(file, 'utf8'), FIXED);
      assert.equal(fs.statSync(file).uid, 0, 'the file now belongs to nobody');
    });

    it('leaves a file it may not write alone, with a message', async function () {
      this.timeout(120_000);
      fs.writeFileSync(path.join(ws, 'train.py'), PROGRAM); // root's, 0644
      const result = await portaAsNobody(['fix', '.'], ws);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /train\.py: not fixed: it is read-only/);
      assert.equal(fs.readFileSync(path.join(ws, 'train.py'), 'utf8'), PROGRAM);
    });
  });

  it('skips a read-only file with a message naming it, fixes the others and exits 1', async () => {
    fs.writeFileSync(path.join(ws, 'a.py'), PROGRAM);
    fs.writeFileSync(path.join(ws, 'b.py'), PROGRAM);
    fs.chmodSync(path.join(ws, 'a.py'), 0o444);
    const result = await porta(['fix', '.'], ws);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /a\.py: not fixed: it is read-only/);
    assert.match(result.stderr, /changed 1 of 2 files, 1 fix \(target auto\)/, 'the summary counts fixes it did not write');
    assert.equal(fs.readFileSync(path.join(ws, 'a.py'), 'utf8'), PROGRAM);
    assert.match(fs.readFileSync(path.join(ws, 'b.py'), 'utf8'), FIXED);
    // --diff writes nothing, so a read-only file (a checked-out corpus, say) is shown like any other.
    const diff = await porta(['fix', '--diff', 'a.py'], ws);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^\+\+\+ b\/a\.py/m);
  });

  it('leaves a file alone that porta scan skips as binary', async () => {
    const bytes = Buffer.from('import torch\nx = torch.zeros(2).cuda()\n# \u0000 a NUL byte\n');
    fs.writeFileSync(path.join(ws, 'blob.py'), bytes);
    const scan = await porta(['scan', '.', '--format', 'json'], ws);
    assert.match(scan.stdout, /binary/);
    const result = await porta(['fix', '.'], ws);
    assert.ok(fs.readFileSync(path.join(ws, 'blob.py')).equals(bytes), 'fix rewrote a file scan skipped as binary');
    assert.match(result.stderr, /blob\.py: Skipped: binary file/);
  });

  it('does not overwrite an edit saved after the file was read', () => {
    const file = path.join(ws, 'train.py');
    fs.writeFileSync(file, PROGRAM);
    const original = fs.readFileSync(file);
    const saved = PROGRAM + 'print("saved by the user meanwhile")\n';
    fs.writeFileSync(file, saved);
    assert.throws(() => rewriteFile(file, original, Buffer.from('fixed\n')), (error: Error) => error instanceof RewriteRefused && /changed on disk/.test(error.message));
    assert.equal(fs.readFileSync(file, 'utf8'), saved);
    assert.deepEqual(leftovers(ws), []);
  });

  describe('on a full disk (a 64 KiB tmpfs)', function () {
    let mountpoint: string;
    let mounted = false;
    before(function () {
      mountpoint = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-full-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountpoint], { stdio: 'pipe' });
        mounted = true;
      } catch (error) {
        console.log(`    skipped: cannot mount a tmpfs (${(error as Error).message.split('\n')[0]}); needs root`);
        this.skip();
      }
    });
    after(() => {
      if (mounted) execFileSync('umount', [mountpoint]);
      fs.rmSync(mountpoint, { recursive: true, force: true });
    });

    /** Fills the file system up to the last byte. */
    function fill(dir: string): void {
      const fd = fs.openSync(path.join(dir, 'filler.bin'), 'w');
      const chunk = Buffer.alloc(1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      for (let size = 512; size >= 1; size >>= 1) {
        try {
          fs.writeSync(fd, chunk, 0, size);
        } catch {
          // this size no longer fits
        }
      }
      fs.closeSync(fd);
    }

    it('names each file it cannot write, leaves no temporary file, tries every file and exits 1', async () => {
      const dir = fs.mkdtempSync(path.join(mountpoint, 'ws-'));
      fs.writeFileSync(path.join(dir, 'a.py'), PROGRAM);
      fs.writeFileSync(path.join(dir, 'b.py'), PROGRAM);
      fill(dir);
      const result = await porta(['fix', '.'], dir);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /a\.py: not fixed: cannot write \(ENOSPC/);
      assert.match(result.stderr, /b\.py: not fixed: cannot write \(ENOSPC/);
      assert.deepEqual(leftovers(dir), []);
      assert.equal(fs.readFileSync(path.join(dir, 'a.py'), 'utf8'), PROGRAM);
      assert.equal(fs.readFileSync(path.join(dir, 'b.py'), 'utf8'), PROGRAM);
      fs.rmSync(dir, { recursive: true });
    });

    it('puts a hard-linked file back as it was when the in-place write fails', async () => {
      const dir = fs.mkdtempSync(path.join(mountpoint, 'ws-'));
      // Long enough that the fixed text needs a page more than the original.
      const long = PROGRAM + '#'.repeat(4096 - PROGRAM.length - 1) + '\n';
      fs.writeFileSync(path.join(dir, 'a.py'), long);
      fs.linkSync(path.join(dir, 'a.py'), path.join(dir, 'a-link.py'));
      fill(dir);
      const result = await porta(['fix', 'a.py'], dir);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /a\.py: not fixed: cannot write \(ENOSPC/);
      assert.equal(fs.readFileSync(path.join(dir, 'a-link.py'), 'utf8'), long);
      fs.rmSync(dir, { recursive: true });
    });
  });
});

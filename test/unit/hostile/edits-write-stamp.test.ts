import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { provesUnchanged, readStamped, type FsClock, type ReadStamp } from '../../../src/workspace/readStamp';
import { rewriteFiles, RewriteRefused } from '../../../src/workspace/rewrite';

const MS = 1_000_000n;
const SECOND = 1000n * MS;

/** A stat as fs.statSync(..., { bigint: true }) gives it, for the fields the proof reads. */
function statLike(stamp: ReadStamp, change: Partial<ReadStamp> = {}): fs.BigIntStats {
  const { dev, ino, size, mtimeNs, ctimeNs } = { ...stamp, ...change };
  return { dev, ino, size, mtimeNs, ctimeNs } as fs.BigIntStats;
}

describe('readStamp: a file proven unchanged by its stat, or compared byte for byte', () => {
  // The file system's clock reads 1,000 s at hrtime 5 s: at the read (hrtime 4 s) it read at least 999 s.
  const clock: FsClock = { ctimeNs: 1000n * SECOND + 123n, at: 5n * SECOND };
  const stamp: ReadStamp = { dev: 1n, ino: 2n, size: 3n, mtimeNs: 990n * SECOND + 7n, ctimeNs: 990n * SECOND + 7n, readAt: 4n * SECOND };

  it('an old file with the same inode, size, mtime and ctime is proven unchanged', () => {
    assert.equal(provesUnchanged(stamp, statLike(stamp), clock), true);
  });

  it('any difference in inode, device, size, mtime or ctime sends it to the byte comparison', () => {
    for (const change of [{ ino: 9n }, { dev: 9n }, { size: 4n }, { mtimeNs: stamp.mtimeNs + 1n }, { ctimeNs: stamp.ctimeNs + 1n }]) {
      assert.equal(provesUnchanged(stamp, statLike(stamp, change), clock), false, JSON.stringify(change, (_, v) => String(v)));
    }
  });

  it('a file changed within a tick of the read is compared: a later write could carry the same ctime', () => {
    const recent = { ...stamp, ctimeNs: 999n * SECOND - 10n * MS, mtimeNs: 999n * SECOND - 10n * MS };
    assert.equal(provesUnchanged(recent, statLike(recent), clock), false);
    const older = { ...stamp, ctimeNs: 999n * SECOND - 60n * MS, mtimeNs: 999n * SECOND - 60n * MS };
    assert.equal(provesUnchanged(older, statLike(older), clock), true);
  });

  it('whole-second timestamps (a coarse file system) need the ctime two seconds older', () => {
    const coarseClock = { ctimeNs: 1000n * SECOND, at: 5n * SECOND };
    const oneSecond = { ...stamp, ctimeNs: 998n * SECOND, mtimeNs: 998n * SECOND };
    assert.equal(provesUnchanged(oneSecond, statLike(oneSecond), coarseClock), false);
    const threeSeconds = { ...stamp, ctimeNs: 996n * SECOND, mtimeNs: 996n * SECOND };
    assert.equal(provesUnchanged(threeSeconds, statLike(threeSeconds), coarseClock), true);
  });

  it("the file system's own clock decides, not this machine's (a server clock hours behind)", () => {
    const behind = 3n * 3600n * SECOND;
    const serverClock = { ctimeNs: clock.ctimeNs - behind, at: clock.at };
    const justBefore = { ...stamp, ctimeNs: 999n * SECOND - behind, mtimeNs: 999n * SECOND - behind };
    assert.equal(provesUnchanged(justBefore, statLike(justBefore), serverClock), false);
  });

  describe('rewriteFiles with stamps', () => {
    let dir: string;
    // The module object itself: rewrite.ts reads its functions from it per call.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require('node:fs') as typeof fs;
    const realRead = fs.readFileSync;
    let reread: string[];
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-stamp-'));
      reread = [];
      nodeFs.readFileSync = ((file: fs.PathOrFileDescriptor, options?: unknown) => {
        if (typeof file === 'string') reread.push(path.basename(file));
        return realRead(file, options as never);
      }) as typeof fs.readFileSync;
    });
    afterEach(() => {
      nodeFs.readFileSync = realRead;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

    it('writes an old file without reading it again, and still refuses one edited after the read', async () => {
      const a = path.join(dir, 'a.cu');
      const b = path.join(dir, 'b.cu');
      fs.writeFileSync(a, 'cudaMalloc\n');
      fs.writeFileSync(b, 'cudaFree\n');
      await settle();
      const readA = readStamped(a);
      const readB = readStamped(b);
      assert.ok(readA.stamp && readB.stamp);
      fs.writeFileSync(b, 'cudaXree\n'); // same size, saved by the user after porta read it
      const outcomes = await rewriteFiles([
        { file: a, original: readA.bytes, content: Buffer.from('hipMalloc\n'), stamp: readA.stamp },
        { file: b, original: readB.bytes, content: Buffer.from('hipFree\n'), stamp: readB.stamp },
      ]);
      const readAgain = [...reread];
      assert.deepEqual(outcomes[0], { written: true });
      assert.ok(!outcomes[1].written && outcomes[1].error instanceof RewriteRefused);
      assert.equal(fs.readFileSync(a, 'utf8'), 'hipMalloc\n');
      assert.equal(fs.readFileSync(b, 'utf8'), 'cudaXree\n');
      assert.ok(!readAgain.includes('a.cu'), `a.cu was read again: ${readAgain.join(', ')}`);
      assert.ok(readAgain.includes('b.cu'), 'b.cu changed after the read: its stat sends it to the byte comparison');
    });

    it('compares the bytes of a file written just before it was read', async () => {
      const a = path.join(dir, 'a.cu');
      fs.writeFileSync(a, 'cudaMalloc\n');
      const read = readStamped(a);
      const outcomes = await rewriteFiles([{ file: a, original: read.bytes, content: Buffer.from('hipMalloc\n'), stamp: read.stamp }]);
      const readAgain = [...reread];
      assert.deepEqual(outcomes, [{ written: true }]);
      assert.ok(readAgain.includes('a.cu'), 'a fresh file must be compared byte for byte');
      assert.equal(fs.readFileSync(a, 'utf8'), 'hipMalloc\n');
    });

    it('a file replaced by another (an editor saving by rename) is never taken for the one read', async () => {
      const a = path.join(dir, 'a.cu');
      fs.writeFileSync(a, 'cudaMalloc\n');
      await settle();
      const read = readStamped(a);
      fs.writeFileSync(`${a}.new`, 'cudaMalloc\n');
      fs.renameSync(`${a}.new`, a);
      fs.writeFileSync(a, 'cudaMallox\n');
      const outcomes = await rewriteFiles([{ file: a, original: read.bytes, content: Buffer.from('hipMalloc\n'), stamp: read.stamp }]);
      assert.ok(!outcomes[0].written && outcomes[0].error instanceof RewriteRefused);
      assert.equal(fs.readFileSync(a, 'utf8'), 'cudaMallox\n');
    });
  });
});

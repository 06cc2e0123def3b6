import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogTail, TAIL_LINE_CHARS } from '../../../src/extension/dashboard/log-tail';
import { RunHistory } from '../../../src/run/history';

describe('hostile: run logs stay bounded', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-logs-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ID = '20260101-000000-abcdef';

  it('appendLog stops at the cap with one line saying so, and drops what comes after', async () => {
    const history = new RunHistory(dir, 1000);
    await history.ensureDir();
    for (let i = 0; i < 30; i++) await history.appendLog(ID, `${'x'.repeat(99)}\n`);
    const text = fs.readFileSync(history.logPath(ID), 'utf8');
    assert.ok(text.startsWith(`${'x'.repeat(99)}\n`));
    assert.ok(text.endsWith('\n[porta: log cut at 1000 bytes; later output was not kept]\n'), text.slice(-120));
    assert.equal(text.length, 1000 + '\n[porta: log cut at 1000 bytes; later output was not kept]\n'.length);
  });

  it('a new RunHistory continues counting from the size already on disk', async () => {
    await new RunHistory(dir, 1000).ensureDir();
    await new RunHistory(dir, 1000).appendLog(ID, 'y'.repeat(900));
    await new RunHistory(dir, 1000).appendLog(ID, 'z'.repeat(900));
    assert.equal(fs.readFileSync(path.join(dir, '.porta', 'runs', `${ID}.log`), 'utf8').replace(/\n\[porta: .*\]\n$/, ''), `${'y'.repeat(900)}${'z'.repeat(100)}`);
  });

  it('readLog with maxBytes returns only the end of the log', async () => {
    const history = new RunHistory(dir);
    await history.ensureDir();
    await history.appendLog(ID, 'head\nmiddle\nend\n');
    assert.deepEqual(await history.readLog(ID, 0, 4), { text: 'end\n', size: 16 });
    assert.deepEqual(await history.readLog(ID, 14, 4), { text: 'd\n', size: 16 });
  });

  it('the dashboard tail takes a 150,000-line chunk and keeps the last lines, each clipped', () => {
    const tail = new LogTail(200);
    const lines = Array.from({ length: 150_000 }, (_, i) => `line ${i}`);
    tail.push(`${lines.join('\n')}\n`);
    const shown = tail.snapshot();
    assert.equal(shown.length, 200);
    assert.equal(shown[0], 'line 149800');
    assert.equal(shown[199], 'line 149999');
    assert.equal(tail.dropped, true);
    tail.push(`${'w'.repeat(TAIL_LINE_CHARS * 3)}\n`);
    assert.equal(tail.snapshot()[199], `${'w'.repeat(TAIL_LINE_CHARS)}…`);
  });

  it('after a gap the unfinished line does not run into the next chunk', () => {
    const tail = new LogTail(10);
    tail.push('a\nunfinis');
    tail.gap();
    tail.push('xyz\nb\n');
    assert.deepEqual(tail.snapshot(), ['a', 'xyz', 'b']);
    assert.equal(tail.dropped, true);
  });
});

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RunHistory, type StoredRun } from '../../../src/run/history';
import { porta } from './cli';

const REPO = resolve(__dirname, '..', '..', '..');

function record(id: string, startedAt: string): StoredRun {
  return {
    version: 1, id, kind: 'script', target: 'local', targetKind: 'local', backend: 'cpu', command: ['python3', 'train.py'],
    entry: 'train.py', startedAt, endedAt: startedAt, status: 'succeeded', exitCode: 0, logFile: `/tmp/${id}.log`,
    metrics: { wallMs: 120, custom: { loss: 0.25 } },
  };
}

/** Writes `<id>.json` files by hand, as a person or another tool would. */
function writeRaw(dir: string, id: string, text: string): void {
  writeFileSync(join(dir, `${id}.json`), text);
}

describe('hostile: bad run records (issue 17)', function () {
  this.timeout(120000);
  let root: string;
  let dir: string;
  const good = '20260101-120000-aaaaaa';
  const other = '20260101-130000-bbbbbb';

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-hostile-runs-'));
    dir = join(root, '.porta', 'runs');
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function writeBadRecords(): string[] {
    const bad = ['20260102-000000-000001', '20260102-000000-000002', '20260102-000000-000003', '20260102-000000-000004', '20260102-000000-000005'];
    writeRaw(dir, bad[0], 'null');
    writeRaw(dir, bad[1], '{}');
    writeRaw(dir, bad[2], '[]');
    writeRaw(dir, bad[3], JSON.stringify({ ...record(bad[3], ''), startedAt: 1767225600000 }));
    mkdirSync(join(dir, `${bad[4]}.json`));
    return bad;
  }

  it('porta runs lists the good records and names each bad one with its reason', async () => {
    writeRaw(dir, good, JSON.stringify(record(good, '2026-01-01T12:00:00.000Z')));
    writeRaw(dir, other, JSON.stringify(record(other, '2026-01-01T13:00:00.000Z')));
    const bad = writeBadRecords();
    const { code, stdout, stderr } = await porta(root, 'runs');
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n').map((l) => l.split(' ')[0]), [other, good]);
    for (const id of bad) assert.match(stderr, new RegExp(`skipped \\.porta/runs/${id}\\.json: `));
    assert.match(stderr, /000001\.json: the record is null/);
    assert.match(stderr, /000003\.json: the record is a list/);
    assert.match(stderr, /000004\.json: startedAt is a number/);
    assert.match(stderr, /000005\.json: a folder/);
    const json = await porta(root, 'runs', '--json');
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as { runs: StoredRun[] }).runs.map((r) => r.id), [other, good]);
  });

  it('porta compare still compares good runs beside bad records', async () => {
    writeRaw(dir, good, JSON.stringify(record(good, '2026-01-01T12:00:00.000Z')));
    writeRaw(dir, other, JSON.stringify(record(other, '2026-01-01T13:00:00.000Z')));
    writeBadRecords();
    const { code, stdout, stderr } = await porta(root, 'compare', good, other, '--format', 'json');
    assert.equal(code, 0, stderr);
    assert.deepEqual((JSON.parse(stdout) as { rows: Array<{ runId: string }> }).rows.map((r) => r.runId), [good, other]);
  });

  it('the history keeps records with a wrong-shaped field out of list() and get()', async () => {
    const history = new RunHistory(root);
    writeRaw(dir, good, JSON.stringify({ ...record(good, '2026-01-01T12:00:00.000Z'), metrics: { outputs: [{ name: 'y', shape: 'big' }] } }));
    writeRaw(dir, other, JSON.stringify({ ...record(other, '2026-01-01T13:00:00.000Z'), id: good }));
    assert.deepEqual(await history.list(), []);
    assert.equal(await history.get(good), undefined);
    const { skipped } = await history.listWithSkipped();
    assert.deepEqual(skipped.map((s) => s.problem).sort(), [`its id "${good}" is not the file's name`, 'metrics.outputs is a list of the wrong kind']);
  });

  /** The real CLI in a child process whose file-descriptor limit is 256 (EMFILE came at 1,024 with ~1,000 records). */
  async function portaUnderUlimit(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cli = [process.execPath, '--require', require.resolve('tsx/cjs'), join(REPO, 'src', 'cli.ts'), ...args].map((a) => JSON.stringify(a)).join(' ');
    const child = spawn('bash', ['-c', `ulimit -n 256 && exec ${cli}`], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    const code = await new Promise<number | null>((done) => child.on('close', done));
    clearTimeout(killer);
    return { code, stdout, stderr };
  }

  it('porta runs and porta compare read 1,200 records under ulimit -n 256 without EMFILE', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const id = `20260103-${String(100000 + i).slice(1).padStart(6, '0')}-${i.toString(16).padStart(6, '0')}`;
      ids.push(id);
      writeRaw(dir, id, JSON.stringify(record(id, new Date(Date.UTC(2026, 0, 3, 0, 0, i)).toISOString())));
    }
    const runs = await portaUnderUlimit('runs', '--json');
    assert.equal(runs.code, 0, runs.stderr);
    assert.doesNotMatch(runs.stderr, /EMFILE/);
    assert.equal((JSON.parse(runs.stdout) as { runs: StoredRun[] }).runs.length, 1200);
    const compare = await portaUnderUlimit('compare', ids[0], ids[1199], '--format', 'json');
    assert.equal(compare.code, 0, compare.stderr);
    assert.equal((JSON.parse(compare.stdout) as { rows: unknown[] }).rows.length, 2);
  });
});

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync as readFileSyncRaw, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunHistory } from '../../../src/run/history';
import { cancelRun, reattachRuns, rerunOptions, startRun } from '../../../src/run/launch';
import { localLeftovers } from '../../../src/run/targets/local';
import { HOSTILE_ARGS, PYTHON, hostileWorkspace, writeScript } from './helpers';

describe('local runs and the run history', function () {
  this.timeout(60000);
  let root: string;

  before(() => {
    root = hostileWorkspace();
    writeFileSync(join(root, 'porta.toml'), `[targets.local]\nkind = "local"\npython = "${PYTHON}"\n[targets.nopy]\nkind = "local"\npython = "python-does-not-exist"\n[targets.notorch]\nkind = "local"\npython = "${PYTHON}"\nenv = { PYTHONPATH = ${JSON.stringify(join(root, 'fake'))} }\n`);
    writeScript(root, "run 'me' $(now).py");
    writeScript(root, 'fake/torch/__init__.py', 'raise ImportError("No module named torch (simulated broken install)")\n');
  });

  after(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  it('runs a PyTorch script through the harness and records metrics, device and log', async () => {
    const statuses: string[] = [];
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'local', script: "run 'me' $(now).py", args: HOSTILE_ARGS }, {
      onLog: (t) => { log += t; }, onStatus: (r) => statuses.push(r.status),
    });
    const record = await handle.done;
    assert.equal(record.status, 'succeeded', record.error);
    assert.deepEqual(statuses, ['queued', 'running', 'succeeded']);
    assert.equal(record.resolvedBackend, 'cpu');
    assert.ok((record.metrics.peakMemoryBytes ?? 0) > 0);
    assert.ok((record.metrics.startupMs ?? -1) >= 0);
    assert.match(log, /done on cpu/);
    // A restart = a new RunHistory instance reading the same folder.
    const again = await new RunHistory(root).get(record.id);
    assert.equal(again?.status, 'succeeded');
    assert.deepEqual(again?.metrics.custom?.loss, record.metrics.custom?.loss);
    assert.match((await new RunHistory(root).readLog(record.id)).text, /done on cpu/);
    const rerun = rerunOptions(record, root);
    assert.deepEqual(rerun.args, HOSTILE_ARGS);
  });

  it('an unavailable backend fails clearly instead of falling back silently', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'local', script: "run 'me' $(now).py", backend: 'cuda' })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /backend 'cuda' is not available/);
  });

  it('a missing interpreter and a missing torch are clear, recorded failures', async () => {
    const nopy = await (await startRun({ workspaceRoot: root, target: 'nopy', script: "run 'me' $(now).py" })).done;
    assert.equal(nopy.status, 'failed');
    assert.match(nopy.error ?? '', /interpreter 'python-does-not-exist' was not found/);
    const notorch = await (await startRun({ workspaceRoot: root, target: 'notorch', script: "run 'me' $(now).py" })).done;
    assert.equal(notorch.status, 'failed');
    assert.match(readFileSync(notorch.logFile), /torch cannot be imported/);
  });

  it('cancel kills the process group, children included', async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'local', script: "run 'me' $(now).py", args: ['--sleep'] }, { onLog: (t) => { log += t; } });
    await until(() => log.includes('sleeping with child'), 30000);
    const record = await cancelRun(root, handle.id);
    assert.equal(record.status, 'cancelled');
    const done = await handle.done;
    assert.equal(done.status, 'cancelled');
    assert.equal(done.error, undefined, 'the cancel check found nothing left');
    assert.deepEqual(await localLeftovers(`porta-run-${handle.id}`), []);
  });

  it('a run whose owner process died is marked lost on the next start', async () => {
    const history = new RunHistory(root);
    const record = (await history.list())[0];
    const id = '20200101-000000-abcdef';
    await history.save({ ...record, id, status: 'running', endedAt: undefined, runtime: { ownerPid: 2 ** 22 + 54321, ownerHost: hostname() } });
    const { lost } = await reattachRuns(root);
    assert.deepEqual(lost.map((r) => r.id), [id]);
    assert.equal((await new RunHistory(root).get(id))?.status, 'lost');
  });

  it('refuses scripts outside the workspace and unknown targets or backends', async () => {
    await assert.rejects(startRun({ workspaceRoot: root, target: 'local', script: '../outside.py' }), /inside the workspace/);
    await assert.rejects(startRun({ workspaceRoot: root, target: 'nope', script: "run 'me' $(now).py" }), /no target named 'nope'/);
    await assert.rejects(startRun({ workspaceRoot: root, target: 'local', script: "run 'me' $(now).py", backend: 'tpu' }), /unknown backend/);
  });
});

function readFileSync(path: string): string {
  return readFileSyncRaw(path, 'utf8');
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('run history storage', () => {
  it('writes records atomically (no temp files left), lists newest first and reports changes to watchers', async () => {
    const root = hostileWorkspace();
    try {
      const history = new RunHistory(root);
      const seen: string[] = [];
      const watcher = history.watch((record) => seen.push(`${record.id}:${record.status}`));
      await new Promise((r) => setTimeout(r, 100));
      const base = {
        version: 1 as const, kind: 'script' as const, target: 'local', targetKind: 'local' as const, backend: 'auto', command: ['python3', 'x.py'],
        entry: 'x.py', logFile: '', metrics: {},
      };
      await history.save({ ...base, id: '20260101-000000-aaaaaa', startedAt: '2026-01-01T00:00:00.000Z', status: 'running' });
      await history.save({ ...base, id: '20260102-000000-bbbbbb', startedAt: '2026-01-02T00:00:00.000Z', status: 'queued' });
      await history.transition('20260101-000000-aaaaaa', 'succeeded');
      assert.equal((await history.transition('20260101-000000-aaaaaa', 'running'))?.status, 'succeeded', 'a terminal status is final');
      assert.deepEqual((await history.list()).map((r) => r.id), ['20260102-000000-bbbbbb', '20260101-000000-aaaaaa']);
      assert.ok(!readdirSync(history.dir).some((name) => name.endsWith('.tmp')));
      const deadline = Date.now() + 5000;
      while (!seen.includes('20260101-000000-aaaaaa:succeeded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      watcher.dispose();
      assert.ok(seen.includes('20260101-000000-aaaaaa:succeeded'), seen.join(', '));
      assert.ok((await history.get('20260101-000000-aaaaaa'))?.endedAt);
    } finally {
      rmSync(join(root, '..'), { recursive: true, force: true });
    }
  });
});

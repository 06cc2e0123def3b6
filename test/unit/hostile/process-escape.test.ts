import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancelRun, startRun } from '../../../src/run/launch';
import { RunHistory, type StoredRun } from '../../../src/run/history';
import { runCgroupParent, systemCgroupView } from '../../../src/run/runCgroup';
import { markerOf, processStartTime, unitMembers } from '../../../src/run/runProcesses';
import { PYTHON } from '../run/helpers';

/**
 * Processes that leave every trace a run's processes share: they clear their environment (no marker), start a new
 * session (no process group) and double-fork (their parent is gone). Cancel, `porta cancel` from another process
 * and the normal end of a run must still stop them, through the launcher's subreaper tree and, where the machine
 * allows one, the run's cgroup. A process that is not the run's is never touched. Linux (/proc) only.
 */

/** Alive and not a zombie, read from /proc. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]);
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => boolean, ms = 60000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Escapes twice: `env -i setsid sh -c 'sleep 300 &'` (the shell exits, its sleep is orphaned) and a Python double
 * fork whose grandchild calls setsid and execs sleep with an empty environment. Each escaped pid goes to a file.
 */
const ESCAPING = `import os, subprocess, sys, time
subprocess.run(["env", "-i", "setsid", "sh", "-c", "sleep 300 & echo $! > escaped-shell.pid"], check=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        with open("escaped-fork.pid", "w") as out:
            out.write(str(os.getpid()))
        os.execve("/bin/sleep", ["sleep", "300"], {})
    os._exit(0)
os.wait()
while not os.path.exists("escaped-fork.pid") or not open("escaped-fork.pid").read():
    time.sleep(0.05)
print("ready", flush=True)
if "--stay" in sys.argv:
    time.sleep(300)
`;

for (const mode of ['cgroup where available', 'subreaper only'] as const) {
  describe(`processes that clear their environment, setsid and double-fork do not escape a run (${mode})`, function () {
    if (process.platform !== 'linux') return;
    this.timeout(120000);
    let root: string;
    let bystander: ChildProcess;
    const saved = process.env.PORTA_RUN_CGROUP;

    beforeEach(() => {
      if (mode === 'subreaper only') process.env.PORTA_RUN_CGROUP = 'off';
      root = mkdtempSync(join(tmpdir(), 'porta-escape-'));
      writeFileSync(join(root, 'porta.toml'), `[targets.local]\nkind = "local"\npython = "${PYTHON}"\n`);
      writeFileSync(join(root, 'escape.py'), ESCAPING);
      // Not the run's, started the same way (own session, no marker): it must survive everything below.
      bystander = spawn('/bin/sleep', ['300'], { detached: true, stdio: 'ignore', env: {} });
      bystander.unref();
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.PORTA_RUN_CGROUP;
      else process.env.PORTA_RUN_CGROUP = saved;
      for (const pid of escaped()) if (running(pid)) process.kill(pid, 'SIGKILL');
      if (bystander.pid && running(bystander.pid)) process.kill(bystander.pid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    });

    function escaped(): number[] {
      return ['escaped-shell.pid', 'escaped-fork.pid'].map((name) => join(root, name)).filter(existsSync)
        .map((file) => Number(readFileSync(file, 'utf8').trim())).filter((pid) => pid > 1);
    }

    function assertNoSurvivor(): void {
      const pids = escaped();
      assert.equal(pids.length, 2, 'the script did not write both escaped pids');
      assert.deepEqual(pids.filter(running), [], 'an escaped process survived');
      assert.equal(running(bystander.pid as number), true, 'a process that is not the run was killed');
    }

    it('the escaped processes really left: no marker in their environment, their own session', async () => {
      const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py', args: ['--stay'] });
      await waitFor('the escapes', () => escaped().length === 2 && escaped().every(running));
      for (const pid of escaped()) {
        assert.doesNotMatch(readFileSync(`/proc/${pid}/environ`, 'latin1'), /PORTA_RUN_MARKER/);
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        assert.notEqual(fields[3], String((handle.record() as StoredRun).runtime?.pid), 'still in the run\'s session');
        // Where this machine lets Porta make a cgroup, the escaped process was born in the run's.
        const expectCgroup = mode === 'cgroup where available' && runCgroupParent(systemCgroupView()).dir !== undefined;
        assert.equal(readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(markerOf(handle.id)), expectCgroup);
      }
      await handle.cancel();
    });

    it('cancel stops them and reports a clean cancel only because it did', async () => {
      let log = '';
      const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py', args: ['--stay'] }, { onLog: (t) => { log += t; } });
      await waitFor('the run to start', () => log.includes('ready'));
      assert.equal(escaped().filter(running).length, 2);
      await handle.cancel();
      const record = await handle.done;
      assert.equal(record.status, 'cancelled');
      assert.equal(record.error, undefined, record.error);
      assertNoSurvivor();
    });

    it('the normal end of the run stops them, and the log names them', async () => {
      const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py' });
      const record = await handle.done;
      assert.equal(record.status, 'succeeded', record.error);
      assertNoSurvivor();
      assert.match(readFileSync(record.logFile, 'utf8'), /left \d+ process\(es\) running: .*sleep 300.*Porta stopped/s);
    });

    it('a launcher killed from outside still ends the run, and the run cgroup takes its orphans with it', async function () {
      if (mode !== 'cgroup where available' || !runCgroupParent(systemCgroupView()).dir) this.skip();
      let log = '';
      const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py', args: ['--stay'] }, { onLog: (t) => { log += t; } });
      await waitFor('the run to start', () => log.includes('ready'));
      process.kill((handle.record() as StoredRun).runtime?.pid as number, 'SIGKILL');
      const record = await handle.done;
      assert.equal(record.status, 'failed');
      assertNoSurvivor();
    });

    it('porta cancel from another process, the owner gone, stops them', async () => {
      const owner = spawn(process.execPath, ['--require', join(__dirname, '../../../node_modules/tsx/dist/cjs/index.cjs'), join(__dirname, '../../../src/cli.ts'), 'run', '--target', 'local', '--', 'escape.py', '--stay'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      owner.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
      await waitFor('the run to start', () => out.includes('ready'));
      const [record] = await new RunHistory(root).list();
      owner.kill('SIGKILL');
      await waitFor('the owner to die', () => !running(owner.pid as number));
      assert.equal(escaped().filter(running).length, 2);
      const cancelled = await cancelRun(root, record.id);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.error, undefined, cancelled.error);
      assertNoSurvivor();
      // The launcher is gone too, and with it the run's cgroup folder.
      assert.equal(running(record.runtime?.pid as number), false);
      const inCgroup = spawnSync('find', ['/sys/fs/cgroup', '-maxdepth', '4', '-name', markerOf(record.id)], { encoding: 'utf8' });
      assert.equal(inCgroup.stdout.trim(), '', 'the run cgroup was left behind');
    });
  });
}

describe("a run's tree is walked only from its proven launcher", function () {
  if (process.platform !== 'linux') return;
  this.timeout(30000);

  it('a launcher pid whose start time differs (exited, pid reused) contributes no descendants', async () => {
    const parent = spawn('sh', ['-c', 'sleep 300 & wait'], { detached: true, stdio: 'ignore' });
    const pid = parent.pid as number;
    try {
      const child = (): number[] => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      await waitFor('the child', () => child().length === 1);
      const marker = markerOf('20260101-000000-abcdef');
      assert.deepEqual(unitMembers({ marker, launcher: pid, launcherStart: '1' }), []);
      assert.deepEqual(unitMembers({ marker, launcher: pid }), []);
      assert.deepEqual(unitMembers({ marker, launcher: pid, launcherStart: processStartTime(pid) }), child());
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });
});

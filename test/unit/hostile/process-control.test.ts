import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancelRun, reattachRuns, startRun } from '../../../src/run/launch';
import { newRunId, RunHistory, type StoredRun } from '../../../src/run/history';
import { markedProcesses, markerOf, processStartTime, provenRunGroup, signalable } from '../../../src/run/runProcesses';
import { slurmInstalled, startSlurm, type TestSlurm } from '../../setup/slurm';
import { startSshd, type TestSshd } from '../../setup/sshd';
import { PYTHON } from '../run/helpers';

/**
 * Only processes proven to be a run's are signalled, and every process of a run is. Victim processes (not runs)
 * must survive a cancel that names them; setsid children and daemons of a run must not survive it.
 */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process in its own group that is nobody's run. */
function victim(): ChildProcess {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/** The pid of a process that has exited: an owner known to be dead. */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid;
}

/** A record as a hostile repository could ship it: running, its owner dead, naming any pid. */
function plantRecord(root: string, runtime: Partial<StoredRun['runtime']>, extra: Partial<StoredRun> = {}): string {
  const id = newRunId();
  const dir = join(root, '.porta', 'runs');
  mkdirSync(dir, { recursive: true });
  const record: StoredRun = {
    version: 1, id, kind: 'script', target: 'local', targetKind: 'local', backend: 'auto', command: [PYTHON, 'x.py'], entry: 'x.py',
    startedAt: new Date().toISOString(), status: 'running', logFile: join(dir, `${id}.log`), metrics: {},
    runtime: { ownerPid: deadPid(), ownerHost: hostname(), marker: markerOf(id), ...runtime }, ...extra,
  };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(record));
  return id;
}

async function waitFor(what: string, check: () => boolean, ms = 30000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A script whose children leave the run's process group (setsid), one of them holding stdout open. */
const ESCAPING = `import subprocess, sys, time
subprocess.Popen(["setsid", "sleep", "300"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.Popen(["setsid", "sh", "-c", "sleep 300"])  # inherits stdout: a daemon holding the pipe
print("ready", flush=True)
if "--stay" in sys.argv:
    time.sleep(300)
`;

describe('hostile run records and escaping processes: who gets signalled', function () {
  this.timeout(90000);
  let root: string;
  const victims: ChildProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-hostile-kill-'));
    writeFileSync(join(root, 'porta.toml'), `[targets.local]\nkind = "local"\npython = "${PYTHON}"\n`);
    writeFileSync(join(root, 'escape.py'), ESCAPING);
  });
  afterEach(() => {
    for (const child of victims.splice(0)) if (child.pid && alive(child.pid)) process.kill(child.pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('porta cancel does not kill a process a record names when it is not the run (any pid, or a reused one)', async () => {
    const other = victim();
    victims.push(other);
    const pid = other.pid as number;
    // A record naming the victim outright, and one that even has its true start time (a reused pid looks like this).
    for (const runtime of [{ pid }, { pid, pidStart: processStartTime(pid) }]) {
      const id = plantRecord(root, runtime);
      const record = await cancelRun(root, id);
      assert.equal(alive(pid), true, `cancel of ${JSON.stringify(runtime)} killed an unrelated process`);
      assert.equal(record.status, 'cancelled');
    }
  });

  it('pids 0, 1 and negative are never signalled; proof needs the start time and a marked process in the group', () => {
    for (const pid of [0, 1, -1, -5, 1.5, process.pid, '12', null]) assert.equal(signalable(pid), false, String(pid));
    const marker = markerOf(newRunId());
    assert.match(provenRunGroup(1, '0', marker).reason ?? '', /not one Porta signals/);
    assert.match(provenRunGroup(-1, '0', marker).reason ?? '', /not one Porta signals/);
    const other = victim();
    victims.push(other);
    assert.match(provenRunGroup(other.pid, processStartTime(other.pid as number), marker).reason ?? '', /holds no process of this run/);
    assert.match(provenRunGroup(other.pid, '1', marker).reason ?? '', /start time differs/);
    assert.match(provenRunGroup(other.pid, processStartTime(other.pid as number), 'porta-run-x; kill -9 -1').reason ?? '', /no valid run marker/);
  });

  it("a record whose marker is another run's stops nothing of that run", async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py', args: ['--stay'] }, { onLog: (t) => { log += t; } });
    await waitFor('the run to start', () => log.includes('ready'));
    const running = handle.record() as StoredRun;
    const planted = plantRecord(root, { pid: running.runtime?.pid, pidStart: running.runtime?.pidStart, marker: running.runtime?.marker });
    await cancelRun(root, planted);
    assert.equal(markedProcesses(markerOf(handle.id)).length >= 3, true, 'the other run was stopped through a forged record');
    await handle.cancel();
    assert.deepEqual(markedProcesses(markerOf(handle.id)), []);
  });

  it('cancel stops children that left the process group with setsid, and says so only when it did', async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py', args: ['--stay'] }, { onLog: (t) => { log += t; } });
    await waitFor('the run to start', () => log.includes('ready'));
    assert.ok(markedProcesses(markerOf(handle.id)).length >= 3, 'python and two setsid children');
    await handle.cancel();
    const record = await handle.done;
    assert.equal(record.status, 'cancelled');
    assert.equal(record.error, undefined, record.error);
    assert.deepEqual(markedProcesses(markerOf(handle.id)), [], 'setsid children survived the cancel');
  });

  it('porta cancel from another process (owner gone) stops the proven run and its setsid children', async () => {
    // The run's owner is a child process (one node process, no tsx wrapper) killed like a crashed porta.
    const owner = spawn(process.execPath, ['--require', join(__dirname, '../../../node_modules/tsx/dist/cjs/index.cjs'), join(__dirname, '../../../src/cli.ts'), 'run', '--target', 'local', '--', 'escape.py', '--stay'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    owner.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
    await waitFor('the run to start', () => out.includes('ready'), 60000);
    const history = new RunHistory(root);
    const [record] = await history.list();
    owner.kill('SIGKILL');
    await waitFor('the owner to die', () => !alive(owner.pid as number));
    assert.ok(markedProcesses(markerOf(record.id)).length >= 3);
    const cancelled = await cancelRun(root, record.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.error, undefined, cancelled.error);
    assert.deepEqual(markedProcesses(markerOf(record.id)), []);
  });

  it('a daemon holding stdout does not hold the run: it ends with the script, and the log says what was stopped', async () => {
    const handle = await startRun({ workspaceRoot: root, target: 'local', script: 'escape.py' });
    const record = await handle.done;
    assert.equal(record.status, 'succeeded', record.error);
    assert.deepEqual(markedProcesses(markerOf(handle.id)), []);
    assert.match(readFileSync(record.logFile, 'utf8'), /left [23] process\(es\) running: .*sleep 300.*Porta stopped [23] of them/s);
  });

  describe('over SSH (real loopback sshd)', () => {
    let sshd: TestSshd;
    before(async () => {
      sshd = await startSshd();
    });
    after(async () => sshd?.stop());

    it('cancel and the end of a run stop setsid children and daemons on the host; a planted pid file stops nothing', async () => {
      process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
      try {
        const remote = join(sshd.dir, 'remote');
        writeFileSync(join(root, 'porta.toml'), `[targets.box]\nkind = "ssh"\nhost = "${sshd.alias}"\nssh_config = "${sshd.configFile}"\npython = "${PYTHON}"\nworkdir = "${remote}"\n`);
        const ended = await (await startRun({ workspaceRoot: root, target: 'box', script: 'escape.py' })).done;
        assert.equal(ended.status, 'succeeded', ended.error);
        assert.deepEqual(markedProcesses(markerOf(ended.id)), [], 'the daemons outlived the remote run');

        let log = '';
        const handle = await startRun({ workspaceRoot: root, target: 'box', script: 'escape.py', args: ['--stay'] }, { onLog: (t) => { log += t; } });
        await waitFor('the remote run to start', () => log.includes('ready'));
        // A forged record whose pid file (Porta's own path for its id) names an unrelated process group.
        const other = victim();
        victims.push(other);
        const forged = plantRecord(root, {}, { target: 'box', targetKind: 'ssh' });
        mkdirSync(join(remote, '.porta-runs'), { recursive: true });
        writeFileSync(join(remote, '.porta-runs', `${forged}.pid`), `${other.pid}\n`);
        await cancelRun(root, forged);
        assert.equal(alive(other.pid as number), true, 'a planted pid file made cancel kill an unrelated process');
        await handle.cancel();
        const record = await handle.done;
        assert.equal(record.status, 'cancelled');
        assert.deepEqual(markedProcesses(markerOf(handle.id)), [], 'setsid children survived the remote cancel');
      } finally {
        delete process.env.PORTA_SSH_CONTROL_DIR;
      }
    });
  });

  describe('on Slurm (real one-node cluster)', () => {
    let slurm: TestSlurm;
    const savedConf = process.env.SLURM_CONF;
    before(async function () {
      if (!slurmInstalled()) this.skip();
      slurm = await startSlurm();
      process.env.SLURM_CONF = slurm.conf;
    });
    after(async () => {
      if (savedConf === undefined) delete process.env.SLURM_CONF;
      else process.env.SLURM_CONF = savedConf;
      await slurm?.stop();
    });

    it("a record naming somebody else's job id cancels nothing", async () => {
      writeFileSync(join(root, 'porta.toml'), `[targets.cluster]\nkind = "slurm"\npartition = "debug"\npython = "${PYTHON}"\npoll_ms = 300\n`);
      const submitted = spawnSync('sbatch', ['--parsable', '--job-name=someone-else', `--chdir=${root}`, '--wrap=sleep 300'], { encoding: 'utf8', env: process.env });
      const jobId = submitted.stdout.trim().split(';')[0];
      assert.match(jobId, /^\d+$/, submitted.stderr);
      try {
        const forged = plantRecord(root, {}, { target: 'cluster', targetKind: 'slurm', slurmJobId: jobId });
        await cancelRun(root, forged);
        const state = spawnSync('squeue', ['-h', '-j', jobId, '-o', '%T'], { encoding: 'utf8', env: process.env }).stdout.trim();
        assert.match(state, /PENDING|RUNNING|CONFIGURING/, `the job was cancelled (state ${state || 'gone'})`);
      } finally {
        spawnSync('scancel', [jobId], { env: process.env });
      }
    });

    it("re-attaching to a record never copies the file it names as its log (it tails the run's own output file)", async () => {
      writeFileSync(join(root, 'porta.toml'), `[targets.cluster]\nkind = "slurm"\npartition = "debug"\npython = "${PYTHON}"\npoll_ms = 300\n`);
      const secret = join(root, 'id_ed25519');
      writeFileSync(secret, 'SECRET-KEY-MATERIAL\n');
      const submitted = spawnSync('sbatch', ['--parsable', '--job-name=someone-else', `--chdir=${root}`, '--output=/dev/null', '--wrap=true'], { encoding: 'utf8', env: process.env });
      const jobId = submitted.stdout.trim().split(';')[0];
      assert.match(jobId, /^\d+$/, submitted.stderr);
      const forged = plantRecord(root, { remoteLogFile: secret }, { target: 'cluster', targetKind: 'slurm', slurmJobId: jobId });
      const { reattached } = await reattachRuns(root);
      await Promise.all(reattached.map((handle) => handle.done));
      const logFile = join(root, '.porta', 'runs', `${forged}.log`);
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      assert.doesNotMatch(log, /SECRET-KEY-MATERIAL/, 'a file named by the record was copied into the run log');
    });
  });
});

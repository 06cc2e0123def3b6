import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { slurmInstalled, startSlurm, type TestSlurm } from '../../setup/slurm';
import { startSshd, type TestSshd } from '../../setup/sshd';
import { RunHistory } from '../../../src/run/history';
import { reattachRuns, startRun } from '../../../src/run/launch';
import { localLeftovers } from '../../../src/run/targets/local';
import { HOSTILE_ARGS, PYTHON, hostileWorkspace, writeScript } from './helpers';

describe('runs on Slurm (real one-node cluster)', function () {
  this.timeout(90000);
  let slurm: TestSlurm;
  let root: string;
  const savedConf = process.env.SLURM_CONF;

  before(async function () {
    if (!slurmInstalled()) this.skip();
    slurm = await startSlurm();
    process.env.SLURM_CONF = slurm.conf;
    root = hostileWorkspace();
    writeFileSync(join(root, 'porta.toml'), [
      '[targets.cluster]', 'kind = "slurm"', 'partition = "debug"', `python = "${PYTHON}"`, 'sbatch_args = ["--time=00:05:00"]', 'poll_ms = 300',
      '[targets.gpu]', 'kind = "slurm"', `python = "${PYTHON}"`, 'sbatch_args = ["--gres=gpu:1"]', 'poll_ms = 300',
      '[targets.priced]', 'kind = "slurm"', 'partition = "debug"', `python = "${PYTHON}"`, 'poll_ms = 300', 'price_per_node_hour = 1.2', 'currency = "EUR"', '',
    ].join('\n'));
    writeScript(root, 'train me.py');
  });

  describe('submitting through an ssh target', () => {
    let sshd: TestSshd;
    before(async () => {
      // The remote login gets SLURM_CONF like a cluster's login node would have it in its profile.
      sshd = await startSshd([`SetEnv SLURM_CONF=${slurm.conf}`]);
      process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
      writeFileSync(join(root, 'porta.toml'), readFileSync(join(root, 'porta.toml'), 'utf8') + [
        '[targets.login]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, `python = "${PYTHON}"`, `workdir = "${join(sshd.dir, 'remote')}"`,
        '[targets.remote-cluster]', 'kind = "slurm"', 'ssh = "login"', 'poll_ms = 300', '',
      ].join('\n'));
    });
    after(async () => {
      delete process.env.PORTA_SSH_CONTROL_DIR;
      await sshd?.stop();
    });

    it('syncs over ssh, submits with sbatch there, tails the log and cancels', async () => {
      const ok = await (await startRun({ workspaceRoot: root, target: 'remote-cluster', script: 'train me.py', args: ["it's $(x)"] })).done;
      assert.equal(ok.status, 'succeeded', ok.error);
      assert.match(readFileSync(ok.logFile, 'utf8'), /args=\["it's \$\(x\)"\]/);
      let log = '';
      const handle = await startRun({ workspaceRoot: root, target: 'remote-cluster', script: 'train me.py', args: ['--sleep'] }, { onLog: (t) => { log += t; } });
      await until(() => log.includes('sleeping with child'), 60000);
      await handle.cancel();
      const record = await handle.done;
      assert.equal(record.status, 'cancelled');
      assert.deepEqual(await localLeftovers(`porta-run-${record.id}`), []);
    });
  });

  after(async () => {
    if (savedConf === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = savedConf;
    await slurm?.stop();
    if (root) rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('submits a PyTorch script with sbatch, tails its log and records the job', async () => {
    let log = '';
    const record = await (await startRun({ workspaceRoot: root, target: 'cluster', script: 'train me.py', args: HOSTILE_ARGS }, { onLog: (t) => { log += t; } })).done;
    assert.equal(record.status, 'succeeded', `${record.error}\n${log}`);
    assert.match(record.slurmJobId ?? '', /^\d+$/);
    assert.match(log, /done on cpu/);
    assert.ok(log.includes("'; echo pwned'"), log);
    assert.equal(typeof record.metrics.custom?.loss, 'number');
    assert.match(readFileSync(record.logFile, 'utf8'), /done on cpu/);
  });

  it('charges a priced job its elapsed time × the nodes Slurm allocated', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'priced', script: 'train me.py' })).done;
    assert.equal(record.status, 'succeeded', record.error);
    assert.ok(record.cost, 'a priced Slurm target records the job cost');
    const match = /^elapsed ([\d.]+) s × 1 node × 1\.20 EUR\/node-h$/.exec(record.cost.basis);
    assert.ok(match, record.cost.basis);
    assert.equal(record.cost.currency, 'EUR');
    assert.ok(Math.abs(record.cost.amount - (Number(match[1]) / 3600) * 1.2) < 1e-9, `${record.cost.amount}`);
    const unpriced = await (await startRun({ workspaceRoot: root, target: 'cluster', script: 'train me.py', args: ['--fail'] })).done;
    assert.equal(unpriced.cost, undefined, 'no price: no cost, not 0');
  });

  it('records a failing job with its exit code', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'cluster', script: 'train me.py', args: ['--fail'] })).done;
    assert.equal(record.status, 'failed');
    assert.equal(record.exitCode, 1);
  });

  it('a job sbatch rejects (--gres=gpu:1 on a GPU-less node) is a clear, recorded failure', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'gpu', script: 'train me.py' })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /sbatch refused the job/);
  });

  it('cancel scancels the job and nothing of the run is left running', async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'cluster', script: 'train me.py', args: ['--sleep'] }, { onLog: (t) => { log += t; } });
    await until(() => log.includes('sleeping with child'), 60000);
    await handle.cancel();
    const record = await handle.done;
    assert.equal(record.status, 'cancelled');
    assert.equal(record.error, undefined, 'the cancel check found nothing left');
    assert.deepEqual(await localLeftovers(`porta-run-${record.id}`), []);
  });

  it('re-attaches to a running job after a restart and follows it to the end', async () => {
    let log = '';
    const script = writeScript(root, 'short.py', 'import time\nprint("start", flush=True)\ntime.sleep(2)\nprint("finished", flush=True)\n');
    const handle = await startRun({ workspaceRoot: root, target: 'cluster', script }, { onLog: (t) => { log += t; } });
    await until(() => log.includes('submitted Slurm job'), 30000);
    // Simulate the editor dying: the record says its owner is a process that no longer exists.
    const history = new RunHistory(root);
    const stored = await history.get(handle.id);
    assert.ok(stored);
    await history.save({ ...stored, runtime: { ...stored.runtime, ownerPid: 2 ** 22 + 12345 } });
    const fresh = new RunHistory(root);
    const { reattached } = await reattachRuns(root);
    assert.deepEqual(reattached.map((h) => h.id), [handle.id]);
    const record = await reattached[0].done;
    assert.equal(record.status, 'succeeded');
    assert.equal((await fresh.get(handle.id))?.status, 'succeeded');
    await handle.done;
  });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { checkTarget } from '../../../src/run/doctor/doctor';
import { formatDoctorReport, doctorReport, type DoctorCheck, type DoctorReport } from '../../../src/run/doctor/report';
import { LOCAL_TARGET, parseTargetsToml, type TargetConfig } from '../../../src/run/targets/config';
import { freePort } from '../../setup/ports';
import { slurmInstalled, startSlurm, type TestSlurm } from '../../setup/slurm';
import { startSshd, type TestSshd } from '../../setup/sshd';
import { PYTHON } from './helpers';

function capture(): Writable & { text: string } {
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { stream.text += chunk.toString(); cb(); } }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function porta(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const byName = (checks: DoctorCheck[], target: string, check: string): DoctorCheck => {
  const found = checks.find((c) => c.target === target && c.check === check);
  assert.ok(found, `no ${check} check for ${target} in ${JSON.stringify(checks)}`);
  return found;
};

const onPath = (tool: string): boolean => {
  try {
    execFileSync('/bin/sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
};

describe('porta doctor', function () {
  this.timeout(60000);
  let root: string;
  let bin: string;

  /** A PATH of stub scripts only (plus nothing else), so "missing" is really missing. */
  function stub(name: string, body: string): void {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const fakeEnv = (): NodeJS.ProcessEnv => ({ PATH: bin, HOME: root });
  const target = (toml: string): TargetConfig => parseTargetsToml(toml, join(root, 'porta.toml'))[0];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-doctor-'));
    bin = join(root, 'fake-bin');
    mkdirSync(bin);
    // head is the only real tool the probe itself needs; everything else is absent unless stubbed.
    stub('head', 'exec /usr/bin/head "$@"');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names a missing interpreter, nvcc and hipcc, each with a fix, and fails', async () => {
    const checks = await checkTarget({ ...LOCAL_TARGET, python: 'python3' }, root, { env: fakeEnv() });
    const python = byName(checks, 'local', 'python');
    assert.equal(python.status, 'fail');
    assert.match(python.detail, /interpreter 'python3' not found/);
    assert.match(python.fix ?? '', /apt install python3|PORTA_PYTHON/);
    assert.equal(byName(checks, 'local', 'pytorch').status, 'skip');
    for (const tool of ['nvcc', 'hipcc']) {
      const c = byName(checks, 'local', tool);
      assert.equal(c.status, 'warn');
      assert.match(c.fix ?? '', tool === 'nvcc' ? /CUDA toolkit/ : /ROCm/);
    }
    const report = doctorReport(checks);
    assert.equal(report.ok, false);
    const text = formatDoctorReport(report);
    assert.match(text, /^FAIL local +python +interpreter 'python3' not found — fix: /m);
    for (const line of text.trim().split('\n').slice(0, -1)) if (!/^(ok|skip)/.test(line)) assert.match(line, / — fix: /, line);
  });

  it('names the package to install when the interpreter has no torch', async () => {
    // -S hides site-packages (where Debian's torch lives): an interpreter without torch.
    stub('python3', 'exec /usr/bin/python3 -S "$@"');
    const checks = await checkTarget({ ...LOCAL_TARGET, python: 'python3' }, root, { env: fakeEnv() });
    assert.equal(byName(checks, 'local', 'python').status, 'ok');
    const torch = byName(checks, 'local', 'pytorch');
    assert.equal(torch.status, 'fail');
    assert.match(torch.fix ?? '', /apt install python3-torch/);
    assert.equal(byName(checks, 'local', 'accelerator').status, 'skip');
  });

  it('fails a Slurm target whose commands are missing, or whose controller does not answer', async () => {
    const cluster = target('[targets.cluster]\nkind = "slurm"\npython = "/usr/bin/python3"\n');
    let slurm = byName(await checkTarget(cluster, root, { env: fakeEnv() }), 'cluster', 'slurm');
    assert.equal(slurm.status, 'fail');
    assert.match(slurm.detail, /sbatch, squeue, scancel, sinfo not on PATH/);
    assert.match(slurm.fix ?? '', /slurm-client/);
    for (const t of ['sbatch', 'squeue', 'scancel']) stub(t, 'echo "slurm 22.05.8"');
    stub('sinfo', 'echo "slurm_load_partitions: Unable to contact slurm controller (connect failure)" >&2; exit 1');
    slurm = byName(await checkTarget(cluster, root, { env: fakeEnv() }), 'cluster', 'slurm');
    assert.equal(slurm.status, 'fail');
    assert.match(slurm.detail, /cannot reach the controller: slurm_load_partitions/);
  });

  it('never runs an interpreter that lies inside the workspace', async () => {
    const marker = join(root, 'ran');
    mkdirSync(join(root, 'venv', 'bin'), { recursive: true });
    writeFileSync(join(root, 'venv', 'bin', 'python'), `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(join(root, 'venv', 'bin', 'python'), 0o755);
    const checks = await checkTarget(target('[targets.venv]\nkind = "local"\npython = "./venv/bin/python"\n'), root, { env: fakeEnv() });
    assert.equal(byName(checks, 'venv', 'python').status, 'skip');
    assert.equal(existsSync(marker), false);
  });

  it('reports the real Python, PyTorch, nvcc and hipcc of this machine', async function () {
    if (!existsSync(PYTHON)) this.skip();
    const checks = await checkTarget({ ...LOCAL_TARGET, python: PYTHON }, root);
    assert.match(byName(checks, 'local', 'python').detail, /^Python 3\.\d+/);
    const torch = byName(checks, 'local', 'pytorch');
    assert.equal(torch.status, 'ok');
    const version = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
    assert.ok(torch.detail.includes(`torch ${version}`), torch.detail);
    assert.notEqual(byName(checks, 'local', 'accelerator').status, 'fail');
    for (const tool of ['nvcc', 'hipcc']) if (onPath(tool)) assert.equal(byName(checks, 'local', tool).status, 'ok', tool);
  });

  describe('ssh and Slurm targets (real loopback sshd, one-node Slurm)', () => {
    let sshd: TestSshd;
    let slurm: TestSlurm | undefined;
    const savedConf = process.env.SLURM_CONF;

    before(async () => {
      if (slurmInstalled()) {
        slurm = await startSlurm();
        process.env.SLURM_CONF = slurm.conf;
      }
      // The login gets SLURM_CONF as a cluster's login node has it in its profile.
      sshd = await startSshd(slurm ? [`SetEnv SLURM_CONF=${slurm.conf}`] : []);
      process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
    });
    after(async () => {
      delete process.env.PORTA_SSH_CONTROL_DIR;
      if (savedConf === undefined) delete process.env.SLURM_CONF;
      else process.env.SLURM_CONF = savedConf;
      await sshd?.stop();
      await slurm?.stop();
    });

    it('checks reachability and host key without prompts; exit 1 when one target fails, 0 for the healthy ones', async () => {
      const emptyKnownHosts = join(root, 'known_hosts');
      writeFileSync(emptyKnownHosts, '');
      const closed = await freePort();
      const direct = ['kind = "ssh"', 'host = "127.0.0.1"', 'user = "root"', `identity_file = "${sshd.identity}"`, `python = "${PYTHON}"`];
      writeFileSync(join(root, 'porta.toml'), [
        `[targets.local]\nkind = "local"\npython = "${PYTHON}"`,
        '[targets.box]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, `python = "${PYTHON}"`,
        '[targets.stranger]', ...direct, `port = ${sshd.port}`, `known_hosts = "${emptyKnownHosts}"`,
        '[targets.down]', ...direct, `port = ${closed}`, `known_hosts = "${sshd.knownHosts}"`,
        ...(slurm ? ['[targets.cluster]', 'kind = "slurm"', 'partition = "debug"', `python = "${PYTHON}"`, '[targets.nopart]', 'kind = "slurm"', 'partition = "gpu-big"', `python = "${PYTHON}"`,
          '[targets.remote-cluster]', 'kind = "slurm"', 'ssh = "box"', 'partition = "debug"'] : []),
        '',
      ].join('\n'));
      const all = await porta(root, 'doctor', '--json');
      assert.equal(all.code, 1, all.stderr);
      const report = JSON.parse(all.stdout) as DoctorReport;
      assert.equal(report.ok, false);
      assert.equal(byName(report.checks, 'box', 'ssh').status, 'ok');
      assert.equal(byName(report.checks, 'box', 'ssh host key').status, 'ok');
      assert.equal(byName(report.checks, 'box', 'pytorch').status, 'ok');
      const key = byName(report.checks, 'stranger', 'ssh host key');
      assert.equal(key.status, 'fail');
      assert.match(key.fix ?? '', /host_key_policy = "accept-new"/);
      const down = byName(report.checks, 'down', 'ssh');
      assert.equal(down.status, 'fail');
      assert.match(down.detail, /refused/);
      if (slurm) {
        assert.equal(byName(report.checks, 'cluster', 'slurm').status, 'ok');
        assert.match(byName(report.checks, 'cluster', 'slurm').detail, /partitions: .*debug/);
        assert.equal(byName(report.checks, 'nopart', 'slurm').status, 'fail');
        // Through the ssh target: the connection, then the Slurm commands on the login host.
        assert.equal(byName(report.checks, 'remote-cluster', 'ssh').status, 'ok');
        assert.match(byName(report.checks, 'remote-cluster', 'ssh').detail, /through box/);
        assert.equal(byName(report.checks, 'remote-cluster', 'slurm').status, 'ok');
      }
      const healthy = await porta(root, 'doctor', 'local', 'box', ...(slurm ? ['cluster'] : []));
      assert.equal(healthy.code, 0, healthy.stdout);
      assert.match(healthy.stdout, /^ok +box +ssh host key +known and matching/m);
      assert.equal((await porta(root, 'doctor', 'nosuch')).code, 2);
    });
  });
});

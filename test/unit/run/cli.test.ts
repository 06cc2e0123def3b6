import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { loadTargets } from '../../../src/run/targets/config';
import { defaultLocalPython } from '../../../src/run/targets/localPython';
import { PYTHON, writeScript } from './helpers';

function capture(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function porta(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('porta run / runs / targets / cancel (CLI)', function () {
  this.timeout(60000);
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-cli-'));
    writeFileSync(join(root, 'porta.toml'), `[targets.local]\nkind = "local"\npython = "${PYTHON}"\n`);
    writeScript(root, 'exit3.py', 'print("about to exit", flush=True)\nraise SystemExit(3)\n');
    writeScript(root, 'cuda_only.py', 'import torch\nx = torch.ones(2).cuda()\ny = torch.zeros(2, device="cuda")\nprint("sum", (x + y).sum().item(), x.device, flush=True)\n');
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('streams the log, exits with the script\'s exit code and prints the record with --json', async () => {
    const plain = await porta(root, 'run', '--backend', 'cpu', '--', 'exit3.py');
    assert.equal(plain.code, 3);
    assert.match(plain.stdout, /about to exit/);
    const json = await porta(root, 'run', '--json', '--target', 'local', '--backend', 'cpu', '--', 'exit3.py');
    assert.equal(json.code, 3);
    assert.match(json.stderr, /about to exit/);
    const record = JSON.parse(json.stdout) as { status: string; exitCode: number };
    assert.equal(record.status, 'failed');
    assert.equal(record.exitCode, 3);
  });

  it('runs CUDA-only code on the CPU with --shim, and explains the failure without it', async () => {
    const without = await porta(root, 'run', '--json', '--', 'cuda_only.py');
    assert.equal(without.code, 1);
    assert.match((JSON.parse(without.stdout) as { error: string }).error, /needs CUDA/);
    const shimmed = await porta(root, 'run', '--shim', '--backend', 'cpu', '--', 'cuda_only.py');
    assert.equal(shimmed.code, 0, shimmed.stdout + shimmed.stderr);
    assert.match(shimmed.stdout, /sum 2\.0 cpu/);
  });

  it('lists runs and targets, as text and JSON', async () => {
    const runs = await porta(root, 'runs', '--json');
    assert.equal(runs.code, 0);
    assert.ok((JSON.parse(runs.stdout) as { runs: unknown[] }).runs.length >= 4);
    const targets = await porta(root, 'targets', '--json', '--discover');
    assert.equal(targets.code, 0);
    const local = (JSON.parse(targets.stdout) as { targets: Array<{ name: string; accelerators: string[] }> }).targets[0];
    assert.equal(local.name, 'local');
    assert.deepEqual(local.accelerators, ['cpu']);
  });

  it('rejects bad input with usage errors (exit 2)', async () => {
    assert.equal((await porta(root, 'run', '--target', 'nowhere', '--', 'exit3.py')).code, 2);
    assert.equal((await porta(root, 'run', '--backend', 'tpu', '--', 'exit3.py')).code, 2);
    assert.equal((await porta(root, 'run')).code, 2);
    assert.equal((await porta(root, 'cancel', '../../etc/passwd')).code, 2);
    const bad = mkdtempSync(join(tmpdir(), 'porta-cli-bad-'));
    writeFileSync(join(bad, 'porta.toml'), '[targets.x]\nkind = "ssh"\n');
    const targets = await porta(bad, 'targets');
    assert.equal(targets.code, 2);
    assert.match(targets.stderr, /targets\.x\.host is required/);
    rmSync(bad, { recursive: true, force: true });
  });

  it('adds the concrete Host aliases of an ssh config as targets', async () => {
    const cfg = join(root, 'ssh_config');
    writeFileSync(cfg, 'Host gpu-box lab\n  HostName 10.0.0.7\nHost *\n  ServerAliveInterval 5\n');
    const targets = await loadTargets(root, { sshConfigPath: cfg });
    assert.deepEqual(targets.map((t) => `${t.name}:${t.kind}`), ['local:local', 'gpu-box:ssh', 'lab:ssh']);
  });

  it('a [targets.local] that names no python (a priced local) runs where the built-in local would', async () => {
    const priced = mkdtempSync(join(tmpdir(), 'porta-local-'));
    writeFileSync(join(priced, 'porta.toml'), '[targets.local]\nkind = "local"\nprice_per_hour = 0.4\n[targets.pinned]\nkind = "local"\npython = "python3"\n');
    const [local, pinned] = await loadTargets(priced, { sshConfigPath: join(priced, 'none') });
    // The demo copies such a porta.toml: on a machine with torch only in /usr/bin/python3 its runs must still find it.
    assert.equal(local.python, await defaultLocalPython());
    assert.equal(local.price?.perHour, 0.4);
    assert.equal(pinned.python, 'python3', 'an interpreter porta.toml names is kept as written');
    rmSync(priced, { recursive: true, force: true });
  });
});

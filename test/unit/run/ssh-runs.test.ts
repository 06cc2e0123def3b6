import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, type TestSshd } from '../../setup/sshd';
import { RunHistory } from '../../../src/run/history';
import { cancelRun, startRun } from '../../../src/run/launch';
import { loadTargets, findTarget, type SshTarget } from '../../../src/run/targets/config';
import { SshAdapter, resolveSshTarget } from '../../../src/run/targets/ssh';
import { discoverAccelerators } from '../../../src/run/discover';
import { HOSTILE_ARGS, PYTHON, hostileWorkspace, writeScript } from './helpers';

describe('runs over SSH (real loopback sshd)', function () {
  this.timeout(60000);
  let sshd: TestSshd;
  let root: string;
  let remote: string;

  before(async () => {
    sshd = await startSshd();
    process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
    root = hostileWorkspace();
    remote = join(sshd.dir, 'remote runs');
    writeFileSync(join(root, 'porta.toml'), [
      '[targets.box]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, `python = "${PYTHON}"`, `workdir = "${remote}"`,
      '[targets.nopython]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, 'python = "/nonexistent/python3"', `workdir = "${remote}"`,
      '[targets.badkey]', 'kind = "ssh"', 'host = "127.0.0.1"', `port = ${sshd.port}`, 'user = "root"', `identity_file = "${sshd.identity}"`,
      `known_hosts = "${join(sshd.dir, 'empty_known_hosts')}"`, `workdir = "${remote}"`,
      '[targets.refused]', 'kind = "ssh"', 'host = "127.0.0.1"', 'port = 1', `identity_file = "${sshd.identity}"`, `known_hosts = "${sshd.knownHosts}"`,
      'price_per_hour = 9.0',
      '[targets.priced]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, `python = "${PYTHON}"`, `workdir = "${remote}"`,
      'price_per_hour = 2.5',
      '',
    ].join('\n'));
    writeFileSync(join(root, '.gitignore'), 'ignored-dir/\n*.bin\n!keep.bin\n');
    writeScript(root, "src dir/train 'it' $(x).py");
  });

  after(async () => {
    const targets = await loadTargets(root);
    await new SshAdapter(findTarget(targets, 'box') as SshTarget, root).disconnect().catch(() => undefined);
    await sshd?.stop();
    delete process.env.PORTA_SSH_CONTROL_DIR;
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('charges a priced ssh run its wall time; an unreachable priced target costs nothing', async () => {
    writeScript(root, 'quick.py', 'print("quick", flush=True)\n');
    const record = await (await startRun({ workspaceRoot: root, target: 'priced', script: 'quick.py', backend: 'cpu' })).done;
    assert.equal(record.status, 'succeeded', record.error);
    const wallS = Number(/^wall ([\d.]+) s × 2\.50 USD\/h$/.exec(record.cost?.basis ?? '')?.[1]);
    assert.ok(wallS > 0, record.cost?.basis);
    assert.ok(Math.abs(record.cost!.amount - (wallS / 3600) * 2.5) < (0.006 / 3600) * 2.5);
    const refused = await (await startRun({ workspaceRoot: root, target: 'refused', script: 'quick.py' })).done;
    assert.equal(refused.status, 'failed');
    assert.equal(refused.cost, undefined, 'nothing ran: no cost');
  });

  it('syncs the workspace (respecting .gitignore, --delete) and runs a PyTorch script with hostile arguments', async () => {
    writeScript(root, 'ignored-dir/big.txt', 'x');
    writeScript(root, 'weights.bin', 'x');
    writeScript(root, 'keep.bin', 'x');
    writeScript(root, 'weird *[name].bin', 'x');
    writeScript(root, 'odd *[x] name\nnl.txt', 'x');
    writeScript(root, 'stale.txt', 'x');
    const target = findTarget(await loadTargets(root), 'box') as SshTarget;
    const adapter = new SshAdapter(target, root);
    await adapter.sync();
    assert.ok(existsSync(join(adapter.remoteWorkspace, 'stale.txt')));
    assert.ok(!existsSync(join(adapter.remoteWorkspace, 'weights.bin')), '.gitignore pattern respected');
    assert.ok(!existsSync(join(adapter.remoteWorkspace, 'ignored-dir')), '.gitignore directory respected');
    assert.ok(existsSync(join(adapter.remoteWorkspace, 'keep.bin')), '.gitignore negation respected');
    assert.ok(!existsSync(join(adapter.remoteWorkspace, 'weird *[name].bin')), 'ignored name with wildcard characters');
    assert.ok(existsSync(join(adapter.remoteWorkspace, 'odd *[x] name\nnl.txt')), 'kept name with wildcards and a newline');
    rmSync(join(root, 'stale.txt'));
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'box', script: "src dir/train 'it' $(x).py", args: HOSTILE_ARGS }, { onLog: (t) => { log += t; } });
    const record = await handle.done;
    assert.equal(record.status, 'succeeded', `${record.error}\n${log}`);
    assert.equal(record.exitCode, 0);
    assert.ok(log.includes(`args=${pythonRepr(HOSTILE_ARGS)}`), log);
    assert.ok(!existsSync(join(adapter.remoteWorkspace, 'stale.txt')), 'rsync --delete removed a deleted file');
    assert.ok(!existsSync('/tmp/porta-pwned'), 'no argument was executed by a shell');
    assert.equal(record.resolvedBackend, 'cpu');
    assert.equal(typeof record.metrics.custom?.loss, 'number');
    assert.equal(typeof record.metrics.wallMs, 'number');
    assert.ok(readFileSync(record.logFile, 'utf8').includes('done on cpu'));
  });

  it('discovers the accelerators through the target\'s python, caches them, and resolves the alias with ssh -G', async () => {
    const target = findTarget(await loadTargets(root), 'box') as SshTarget;
    const discovery = await discoverAccelerators(target, root, { refresh: true });
    assert.equal(discovery.error, undefined);
    assert.match(discovery.python?.torch ?? '', /^\d/);
    assert.deepEqual(discovery.backends.filter((b) => b.available).map((b) => b.backend), ['cpu']);
    assert.ok(existsSync(join(root, '.porta', 'discovery', 'box.json')));
    assert.equal((await discoverAccelerators(target, root)).at, discovery.at, 'second call served from the cache');
    assert.deepEqual(await resolveSshTarget(target), { hostname: '127.0.0.1', port: String(sshd.port), user: 'root' });
  });

  it('re-sends the harness when the remote copy disappeared', async () => {
    rmSync(join(remote, '.porta-harness'), { recursive: true, force: true });
    const record = await (await startRun({ workspaceRoot: root, target: 'box', script: "src dir/train 'it' $(x).py", backend: 'cpu' })).done;
    assert.equal(record.status, 'succeeded', record.error);
  });

  it('a crashing script is recorded as failed with its exit code', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'box', script: "src dir/train 'it' $(x).py", args: ['--fail'] })).done;
    assert.equal(record.status, 'failed');
    assert.equal(record.exitCode, 1);
    assert.match(readFileSync(record.logFile, 'utf8'), /RuntimeError: deliberate failure/);
  });

  it('a missing interpreter is a clear, recorded failure', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'nopython', script: "src dir/train 'it' $(x).py" })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /interpreter '\/nonexistent\/python3' was not found/);
    assert.ok((await new RunHistory(root).get(record.id))?.error);
  });

  it('an unknown host key is refused with a clear message (StrictHostKeyChecking=yes)', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'badkey', script: "src dir/train 'it' $(x).py" })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /host key .* is not known/);
  });

  it('host_key_policy = "accept-new" records an unknown key on first contact', async () => {
    const fresh = join(sshd.dir, 'fresh_known_hosts');
    const targets = await loadTargets(root);
    const target = { ...(findTarget(targets, 'badkey') as SshTarget), knownHosts: fresh, hostKeyPolicy: 'accept-new' as const, name: 'tofu', python: PYTHON };
    const record = await (await startRun({ workspaceRoot: root, target, script: "src dir/train 'it' $(x).py", backend: 'cpu' })).done;
    assert.equal(record.status, 'succeeded', record.error);
    assert.match(readFileSync(fresh, 'utf8'), /ssh-ed25519/);
    await new SshAdapter(target, root).disconnect();
  });

  it('a changed host key is refused as a possible attack', async () => {
    const forged = join(sshd.dir, 'forged_known_hosts');
    const other = readFileSync(join(sshd.dir, 'client_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(forged, `[127.0.0.1]:${sshd.port} ${other}\n`);
    const targets = await loadTargets(root);
    const target = { ...(findTarget(targets, 'badkey') as SshTarget), knownHosts: forged, name: 'forged' };
    const record = await (await startRun({ workspaceRoot: root, target, script: "src dir/train 'it' $(x).py" })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /CHANGED/);
  });

  it('failed authentication is a clear, recorded failure (no password prompt: BatchMode)', async () => {
    const stranger = join(sshd.dir, 'stranger_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const targets = await loadTargets(root);
    const target = { ...(findTarget(targets, 'badkey') as SshTarget), knownHosts: sshd.knownHosts, identityFile: stranger, name: 'stranger' };
    const record = await (await startRun({ workspaceRoot: root, target, script: "src dir/train 'it' $(x).py" })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /authentication to .* failed/);
    assert.ok(await new RunHistory(root).get(record.id), 'recorded');
  });

  it('an unreachable host is a clear, recorded failure', async () => {
    const record = await (await startRun({ workspaceRoot: root, target: 'refused', script: "src dir/train 'it' $(x).py" })).done;
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /refused the connection/);
  });

  it('cancel kills the whole remote process tree (nothing left for pgrep)', async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'box', script: "src dir/train 'it' $(x).py", args: ['--sleep'] }, { onLog: (t) => { log += t; } });
    await waitUntil(() => log.includes('sleeping with child'), 30000);
    await handle.cancel();
    const record = await handle.done;
    assert.equal(record.status, 'cancelled');
    assert.equal(record.error, undefined, 'the remote cancel check found nothing left');
    const target = findTarget(await loadTargets(root), 'box');
    const left = await new SshAdapter(target as SshTarget, root).leftovers(`porta-run-${record.id}`);
    assert.deepEqual(left, []);
  });

  it('porta cancel from another process: cancelRun by id', async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'box', script: "src dir/train 'it' $(x).py", args: ['--sleep'] }, { onLog: (t) => { log += t; } });
    await waitUntil(() => log.includes('sleeping with child'), 30000);
    const cancelled = await cancelRun(root, handle.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await handle.done).status, 'cancelled');
  });

  it('a run whose connection dies is recorded as lost', async () => {
    let log = '';
    const handle = await startRun({ workspaceRoot: root, target: 'box', script: "src dir/train 'it' $(x).py", args: ['--sleep'] }, { onLog: (t) => { log += t; } });
    await waitUntil(() => log.includes('sleeping with child'), 30000);
    const marker = `porta-run-${handle.id}`;
    await sshd.killAll();
    const record = await handle.done;
    assert.equal(record.status, 'lost', `${record.error}`);
    assert.match(record.error ?? '', /lost|refused/);
    await sshd.restart();
    // Clean up what the dead connection left behind, through a fresh connection.
    const target = findTarget(await loadTargets(root), 'box') as SshTarget;
    await new SshAdapter(target, root).cancel({ marker, remotePidFile: `${remote}/.porta-runs/${handle.id}.pid` });
  });
});

function pythonRepr(args: string[]): string {
  return `[${args.map((a) => (a.includes("'") && !a.includes('"') ? `"${a}"` : `'${a.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`)).join(', ')}]`;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

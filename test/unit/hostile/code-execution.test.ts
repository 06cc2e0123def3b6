import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { checkSshConfigText, checkSshOption } from '../../../src/run/ssh/allowed';
import { controlDir, sshOptions } from '../../../src/run/ssh/options';
import { parseTargetsToml, TargetError, type SshTarget } from '../../../src/run/targets/config';

/**
 * Nothing from a workspace executes before the user asks for a run: each case plants a command that would create a
 * marker file, and the test checks that the marker never appears.
 */

const REPO = resolve(__dirname, '../../..');

function capture(): Writable & { text: string } {
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { stream.text += chunk.toString(); cb(); } }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function porta(cwd: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, out: stdout.text + stderr.text };
}

/** A marker command: `touch FILE`, and the file to look for. */
function marker(dir: string, name: string): { file: string; command: string } {
  const file = join(dir, `${name}.ran`);
  return { file, command: `touch ${file}` };
}

describe('hostile workspace: nothing executes before a run is asked for', function () {
  this.timeout(60000);
  let root: string;
  let saved: string | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-hostile-exec-'));
    saved = process.env.PORTA_SSH_CONTROL_DIR;
    process.env.PORTA_SSH_CONTROL_DIR = join(root, 'cm');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PORTA_SSH_CONTROL_DIR;
    else process.env.PORTA_SSH_CONTROL_DIR = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it("porta targets never runs a porta.toml ssh_config's `Match exec` (ssh -G evaluates it)", async () => {
    const ran = marker(root, 'match-exec');
    writeFileSync(join(root, 'evil.conf'), `Match exec "${ran.command}"\n  HostName 127.0.0.1\nHost box\n  Port 2222\n`);
    writeFileSync(join(root, 'porta.toml'), `[targets.box]\nkind = "ssh"\nhost = "box"\nssh_config = "${join(root, 'evil.conf')}"\n`);
    const listed = await porta(root, 'targets');
    const discovered = await porta(root, 'targets', '--discover');
    assert.equal(existsSync(ran.file), false, 'Match exec ran');
    assert.match(listed.out, /box .*match is not allowed from a workspace/);
    assert.match(discovered.out, /match is not allowed/);
  });

  it('porta run refuses a porta.toml ssh_config with ProxyCommand, LocalCommand or Include before ssh starts', async () => {
    for (const [i, line] of ['ProxyCommand %s', '  "ProxyCommand" %s', 'Host box\n  LocalCommand %s\n  PermitLocalCommand yes', 'Include other.conf', 'KnownHostsCommand %s'].entries()) {
      const ran = marker(root, `config-${i}`);
      writeFileSync(join(root, 'other.conf'), `ProxyCommand ${ran.command}\n`);
      writeFileSync(join(root, 'evil.conf'), `${line.replace('%s', ran.command)}\n`);
      writeFileSync(join(root, 'porta.toml'), `[targets.box]\nkind = "ssh"\nhost = "127.0.0.1"\nssh_config = "${join(root, 'evil.conf')}"\nconnect_timeout = 2\n`);
      writeFileSync(join(root, 'train.py'), 'print("hi")\n');
      const run = await porta(root, 'run', '--target', 'box', '--', 'train.py');
      assert.equal(existsSync(ran.file), false, `${line} ran`);
      assert.notEqual(run.code, 0);
      assert.match(run.out, /not allowed/, run.out);
    }
  });

  it('ssh_options are allowed by name, read as ssh reads them (case, quotes, = or space)', () => {
    const hostile = [
      'ProxyCommand=touch /tmp/x', '"ProxyCommand"=touch /tmp/x', 'Proxy"Command" touch /tmp/x', '  proxycommand touch /tmp/x',
      'ProxyCommand\ttouch /tmp/x', 'KnownHostsCommand /bin/sh -c id', 'PKCS11Provider /tmp/evil.so', 'SecurityKeyProvider /tmp/evil.so',
      'LocalCommand id', 'PermitLocalCommand=yes', 'ForwardAgent yes', 'RemoteForward 9000 localhost:22', 'ControlPath /tmp/other',
      'StrictHostKeyChecking=no', 'Match exec id', 'ServerAliveInterval 5\nProxyCommand id', 'ProxyJump evil',
    ];
    for (const option of hostile) {
      assert.throws(() => parseTargetsToml(`[targets.t]\nkind = "ssh"\nhost = "h"\nssh_options = [${JSON.stringify(option)}]\n`, 'porta.toml'), TargetError, option);
      assert.throws(() => checkSshOption(option, 'test'), /not allowed/, option);
    }
    for (const option of ['Ciphers=aes128-ctr', 'ServerAliveInterval 10', 'compression yes', 'IdentityFile=~/.ssh/id_lab', 'HostKeyAlias lab']) {
      assert.doesNotThrow(() => checkSshOption(option, 'test'), option);
    }
    // Checked again where the argv is built, for targets that did not come through porta.toml.
    const target = parseTargetsToml('[targets.t]\nkind = "ssh"\nhost = "h"\n', 'porta.toml')[0] as SshTarget;
    assert.throws(() => sshOptions({ ...target, sshOptions: ['"ProxyCommand"=id'] }), /not allowed/);
  });

  it('a checked ssh_config keeps Host blocks and allowed options, and ssh reads a private copy', () => {
    const text = '# lab\nHost lab\n  HostName 10.0.0.5\n  User me\n  Port=2200\n  IdentityFile ~/.ssh/lab\n';
    assert.doesNotThrow(() => checkSshConfigText(text, 'lab.conf'));
    writeFileSync(join(root, 'lab.conf'), text);
    const target = parseTargetsToml('[targets.lab]\nkind = "ssh"\nhost = "lab"\nssh_config = "lab.conf"\n', join(root, 'porta.toml'))[0] as SshTarget;
    assert.equal(target.sshConfig, join(root, 'lab.conf'), 'relative to porta.toml');
    const args = sshOptions(target);
    const copy = args[args.indexOf('-F') + 1];
    assert.ok(copy.startsWith(controlDir()), copy);
    assert.notEqual(copy, join(root, 'lab.conf'));
    // A FIFO named as the config is refused, not read (it would block).
    spawnSync('mkfifo', [join(root, 'fifo.conf')]);
    assert.throws(() => sshOptions({ ...target, sshConfig: join(root, 'fifo.conf') }), /not a regular file/);
  });

  it("the control directory is refused when it is not the user's own 0700 directory", function () {
    if (process.getuid?.() !== 0) this.skip(); // chown to another user needs root
    const open = join(root, 'cm-open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    process.env.PORTA_SSH_CONTROL_DIR = open;
    assert.throws(() => controlDir(), /mode 777/);
    const foreign = join(root, 'cm-foreign');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 65534, 65534);
    process.env.PORTA_SSH_CONTROL_DIR = foreign;
    assert.throws(() => controlDir(), /owned by uid 65534/);
    const real = join(root, 'cm-real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(root, 'cm-link'));
    process.env.PORTA_SSH_CONTROL_DIR = join(root, 'cm-link');
    assert.throws(() => controlDir(), /not a directory/);
    process.env.PORTA_SSH_CONTROL_DIR = join(root, 'cm-new');
    assert.equal(controlDir(), join(root, 'cm-new'));
  });

  it('the local-Python probe of porta targets / runs never imports modules from the current folder', () => {
    // A fresh process: the default interpreter is probed once per process.
    const planted: string[] = [];
    for (const name of ['importlib', 'json', 'encodings_extra', 'sitecustomize']) {
      const ran = marker(root, `module-${name}`);
      mkdirSync(join(root, name), { recursive: true });
      writeFileSync(join(root, name, '__init__.py'), `import os\nopen(${JSON.stringify(ran.file)}, "w").close()\n`);
      planted.push(ran.file);
    }
    writeFileSync(join(root, 'sitecustomize.py'), `open(${JSON.stringify(join(root, 'sitecustomize.ran'))}, "w").close()\n`);
    planted.push(join(root, 'sitecustomize.ran'));
    const env = { ...process.env, PORTA_PYTHON: '' };
    for (const argv of [['targets'], ['targets', '--discover'], ['runs']]) {
      const result = spawnSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'src/cli.ts'), ...argv], { cwd: root, env, encoding: 'utf8', timeout: 60000 });
      assert.ok(result.status === 0 || result.status === 1, `${argv.join(' ')}: ${result.stderr}`);
    }
    for (const file of planted) assert.equal(existsSync(file), false, `${file} was created: workspace code ran`);
  });

  it('porta targets --discover does not run an interpreter that lives in the workspace', async () => {
    const ran = marker(root, 'fake-python');
    writeFileSync(join(root, 'fakepython'), `#!/bin/sh\n${ran.command}\n`, { mode: 0o755 });
    writeFileSync(join(root, 'porta.toml'), '[targets.local]\nkind = "local"\npython = "./fakepython"\n[targets.abs]\nkind = "local"\npython = "' + join(root, 'fakepython') + '"\n');
    const result = await porta(root, 'targets', '--discover', '--refresh');
    assert.equal(existsSync(ran.file), false, 'the workspace interpreter ran');
    assert.match(result.out, /not probed: the interpreter \.\/fakepython is inside the workspace/);
    assert.match(result.out, /abs .*not probed/);
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, freePort, portOpen, stopPid, waitFor } from './ports';

/** A throwaway sshd on 127.0.0.1 with its own host key, client key, known_hosts and `-F` client config. */
export interface TestSshd {
  dir: string;
  port: number;
  /** Alias in `configFile` that reaches this sshd as root with the throwaway key. */
  alias: string;
  configFile: string;
  knownHosts: string;
  identity: string;
  pid: number;
  /** Kills the listener and every per-connection sshd (connection loss). */
  killAll(): Promise<void>;
  /** Starts the listener again on the same port with the same keys. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd'; // absolute path required: sshd re-executes itself

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function startSshd(extraConfig: string[] = []): Promise<TestSshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege-separation dir; sshd refuses to start without it
  const dir = mkdtempSync(join(tmpdir(), 'porta-sshd-'));
  const port = await freePort();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_ed25519')]);
  copyFileSync(join(dir, 'client_ed25519.pub'), join(dir, 'authorized_keys'));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const sshdConfig = join(dir, 'sshd_config');
  writeFileSync(sshdConfig, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_ed25519')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PubkeyAuthentication yes', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no',
    'X11Forwarding no', 'PrintMotd no', 'MaxSessions 50', 'MaxStartups 50', 'Subsystem sftp /usr/lib/openssh/sftp-server', 'LogLevel ERROR',
    ...extraConfig, '',
  ].join('\n'));
  const hostKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);
  const configFile = join(dir, 'ssh_config');
  const alias = 'porta-test';
  writeFileSync(configFile, [
    `Host ${alias}`, '  HostName 127.0.0.1', `  Port ${port}`, '  User root', `  IdentityFile ${join(dir, 'client_ed25519')}`,
    '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHosts}`, '',
  ].join('\n'));
  const state = { pid: 0 };
  const launch = async (): Promise<void> => {
    execFileSync(SSHD, ['-t', '-f', sshdConfig]);
    const log = openSync(join(dir, 'sshd.log'), 'a');
    const child = spawn(SSHD, ['-D', '-e', '-f', sshdConfig], { stdio: ['ignore', log, log] });
    closeSync(log);
    state.pid = child.pid ?? 0;
    await waitFor(() => portOpen(port), 10000, `sshd on port ${port}`);
  };
  await launch();
  return {
    dir, port, alias, configFile, knownHosts, identity: join(dir, 'client_ed25519'),
    get pid() { return state.pid; },
    async killAll() {
      const children = childPids(state.pid);
      await stopPid(state.pid);
      for (const child of children) {
        if (alive(child)) { try { process.kill(child, 'SIGKILL'); } catch { /* gone */ } }
      }
    },
    async restart() {
      if (!alive(state.pid)) await launch();
    },
    async stop() {
      const children = childPids(state.pid);
      await stopPid(state.pid);
      for (const child of children) await stopPid(child, 1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshTarget } from '../targets/config';
import { checkSshOption, SshOptionError } from './allowed';
import { checkedSshConfigCopy } from './workspace-config';

/**
 * The directory for ControlMaster sockets (and checked copies of workspace ssh configs). Unix socket paths are
 * limited to ~104 bytes, so it is short and per-user; socket names are short hashes. It lives in a shared /tmp, so
 * another user may have created it first: one not owned by us, not a real directory, or open to others is refused
 * (its sockets could be anyone's connection, and its config copies anyone's commands).
 */
export function controlDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = process.env.PORTA_SSH_CONTROL_DIR ?? join(tmpdir(), `porta-cm-${uid ?? 0}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const problem = !stat.isDirectory() ? 'is not a directory (a link?)'
    : uid !== undefined && stat.uid !== uid ? `is owned by uid ${stat.uid}, not by you (uid ${uid})`
      : (stat.mode & 0o077) !== 0 ? `has mode ${(stat.mode & 0o777).toString(8)}, not 700`
        : undefined;
  if (problem) throw new SshOptionError(`refusing the ssh control directory ${dir}: it ${problem}; remove it or set PORTA_SSH_CONTROL_DIR`);
  return dir;
}

/**
 * OpenSSH options (everything before the destination) for a target: batch mode (never prompt, never store a
 * password), host keys checked, connection shared through a ControlMaster that persists between runs.
 */
export function sshOptions(target: SshTarget, mode: 'client' | 'master' = 'client'): string[] {
  const args = connectionOptions(target);
  // One master per distinct set of options (not OpenSSH's %C = host+port+user): two targets that reach the same host
  // with different known_hosts or keys must never share a connection, or the second would skip its host-key check.
  const id = createHash('sha256').update(JSON.stringify([target.host, ...args])).digest('hex').slice(0, 20);
  args.push(
    // Clients only use an existing master (never become one: a backgrounded master would hold their pipes open).
    '-o', `ControlMaster=${mode === 'master' ? 'yes' : 'no'}`,
    '-o', `ControlPath=${join(controlDir(), id)}`,
    ...(mode === 'master' ? ['-o', `ControlPersist=${target.controlPersist}`] : []),
  );
  return args;
}

/** Everything that decides who we connect to and how we authenticate. */
function connectionOptions(target: SshTarget): string[] {
  const args: string[] = [];
  // A config named by porta.toml is the workspace's: ssh reads a checked copy. The user's own (no -F, or
  // PORTA_SSH_CONFIG) is theirs and passes as it is.
  if (target.sshConfig) args.push('-F', target.sshConfigFromWorkspace ? checkedSshConfigCopy(target.sshConfig, controlDir()) : target.sshConfig);
  args.push(
    '-o', 'BatchMode=yes',
    '-o', `StrictHostKeyChecking=${target.hostKeyPolicy}`,
    '-o', `ConnectTimeout=${target.connectTimeout}`,
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
  );
  if (target.knownHosts) args.push('-o', `UserKnownHostsFile=${target.knownHosts}`);
  if (target.port !== undefined) args.push('-p', String(target.port));
  if (target.user) args.push('-l', target.user);
  if (target.identityFile) args.push('-i', target.identityFile, '-o', 'IdentitiesOnly=yes');
  // Checked again here (not only when porta.toml is read): a target may be built by other code.
  for (const option of target.sshOptions) {
    checkSshOption(option, `target '${target.name}': ssh_options`);
    args.push('-o', option);
  }
  return args;
}

/** Full argv for `ssh`: options, `--`, destination, and one already-quoted remote command line. */
export function sshArgv(target: SshTarget, remoteCommand?: string): string[] {
  const argv = [...sshOptions(target, 'client'), '--', target.host];
  if (remoteCommand !== undefined) argv.push(remoteCommand);
  return argv;
}

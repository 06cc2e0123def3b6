import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSshConfigText, SshOptionError } from './allowed';

/** An ssh_config for model-training hosts is a few lines; anything larger is not one. */
const MAX_CONFIG_BYTES = 256 * 1024;

/** Reads a regular file without blocking on a FIFO or device, refusing anything else or anything too large. */
function readRegularFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new SshOptionError(`cannot read the ssh_config ${path}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SshOptionError(`the ssh_config ${path} is not a regular file`);
    if (stat.size > MAX_CONFIG_BYTES) throw new SshOptionError(`the ssh_config ${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The ssh_config that porta.toml names, checked line by line (allowed options only: no `Match exec`, ProxyCommand,
 * Include, ...) and copied into Porta's private control folder. ssh then reads the copy that was checked, never the
 * workspace file, which could change after the check. The copy is named by its content, so the same config keeps
 * the same path and the ControlMaster connection that depends on it.
 */
export function checkedSshConfigCopy(path: string, privateDir: string): string {
  const text = readRegularFile(path);
  checkSshConfigText(text, path);
  const copy = join(privateDir, `config-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  if (!existsSync(copy)) writeFileSync(copy, text, { mode: 0o600, flag: 'w' });
  return copy;
}

import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { gitignoreExcludes, rsyncLiteral } from '../gitignore';
import { harnessDir } from '../harness-dir';
import type { RunRuntimeInfo } from '../history';
import { execFile, type ExecOptions, type ExecResult } from '../process';
import { parseSshG } from '../ssh/config-file';
import { explainSshFailure } from '../ssh/errors';
import { sshArgv, sshOptions } from '../ssh/options';
import { remoteRelative, rsyncEQuote, shJoin, shQuote } from '../ssh/quote';
import { isMarker } from '../runProcesses';
import { afterRunLine, cancelLine, leftoversLine } from '../ssh/remoteStop';
import { explainExit, harnessArgs, type CancelOutcome, type LaunchIO, type LaunchOutcome, type LaunchSpec, type SyncResult, type TargetAdapter } from './adapter';
import type { SshTarget } from './config';

export class SshError extends Error {}

/** Exit code of the launch line when the harness is missing on the remote. */
const HARNESS_MISSING = 97;

/** A stable, quotable folder name for a workspace on the remote: its base name plus a hash of its full path. */
export function remoteWorkspaceName(workspaceRoot: string): string {
  const abs = resolve(workspaceRoot);
  const safe = basename(abs).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.-]+/, '').slice(0, 40) || 'workspace';
  return `${safe}-${createHash('sha256').update(abs).digest('hex').slice(0, 8)}`;
}

export function destinationOf(target: SshTarget): string {
  return `${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''} (target '${target.name}')`;
}

/** Runs over the user's OpenSSH with one shared ControlMaster connection; syncs with rsync over the same master. */
export class SshAdapter implements TargetAdapter {
  readonly base: string;
  readonly remoteWorkspace: string;
  readonly remoteHarness: string;
  readonly remoteRuns: string;

  constructor(readonly target: SshTarget, private readonly workspaceRoot: string) {
    this.base = remoteRelative(target.workdir).replace(/\/+$/, '') || '.';
    this.remoteWorkspace = `${this.base}/${remoteWorkspaceName(workspaceRoot)}`;
    this.remoteHarness = `${this.base}/.porta-harness`;
    this.remoteRuns = `${this.base}/.porta-runs`;
  }

  get destination(): string {
    return destinationOf(this.target);
  }

  /** True when a master connection for this target is up (a local check, no network). */
  async masterUp(): Promise<boolean> {
    const result = await execFile('ssh', [...sshOptions(this.target), '-O', 'check', '--', this.target.host]);
    return result.code === 0;
  }

  /** Opens (or reuses) the master connection. Failures become one clear SshError. */
  async connect(): Promise<void> {
    if (await this.masterUp()) return;
    // The master goes to the background (-f) after authenticating; its stderr goes to a file, not to a pipe we wait on.
    const dir = mkdtempSync(join(tmpdir(), 'porta-ssh-'));
    const errFile = join(dir, 'stderr');
    const fd = openSync(errFile, 'w');
    try {
      const code = await new Promise<number | null>((resolveCode) => {
        const child = spawn('ssh', [...sshOptions(this.target, 'master'), '-N', '-f', '--', this.target.host], { stdio: ['ignore', 'ignore', fd] });
        child.on('error', () => resolveCode(-1));
        child.on('exit', (exitCode) => resolveCode(exitCode));
      });
      if (code === -1) throw new SshError('the ssh client (OpenSSH) was not found on this machine');
      if (code !== 0) throw new SshError(explainSshFailure(readFileSync(errFile, 'utf8'), this.destination));
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Ends the shared master connection. */
  async disconnect(): Promise<void> {
    await execFile('ssh', [...sshOptions(this.target), '-O', 'exit', '--', this.target.host]);
  }

  /** Runs one remote shell line (already quoted) over the master. */
  shell(line: string, options: ExecOptions = {}): Promise<ExecResult> {
    return execFile('ssh', sshArgv(this.target, line), options);
  }

  /** rsync's remote command, prefixed with the mkdir of the folders it needs (saves a round trip). */
  private rsyncPath(dirs: string[]): string {
    return `mkdir -p ${shJoin(dirs)} && rsync`;
  }

  private rsyncE(): string {
    return ['ssh', ...sshOptions(this.target)].map(rsyncEQuote).join(' ');
  }

  private async rsync(args: string[], what: string, signal?: AbortSignal): Promise<void> {
    const result = await execFile('rsync', ['-a', '--delete', '--protect-args', '-e', this.rsyncE(), ...args], { signal });
    if (result.code === 0) return;
    if (result.spawnError) throw new SshError('rsync was not found on this machine');
    if (/command not found|rsync: not found|No such file or directory.*rsync/.test(result.stderr) && result.code !== 23) {
      throw new SshError(`rsync is not installed on ${this.destination}`);
    }
    if (result.code === 255 || /connection unexpectedly closed|ssh:/.test(result.stderr)) throw new SshError(explainSshFailure(result.stderr, this.destination));
    throw new SshError(`${what} to ${this.destination} failed (rsync exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }

  /** rsync of the workspace only (respects .gitignore files and the target's excludes; --delete). */
  async syncWorkspace(signal?: AbortSignal): Promise<void> {
    // Exact .gitignore semantics (nested files, negation) plus the target's excludes, as one anchored list.
    const excludes = await gitignoreExcludes(this.workspaceRoot, this.target.excludes);
    const dir = mkdtempSync(join(tmpdir(), 'porta-sync-'));
    try {
      const listFile = join(dir, 'excludes');
      // NUL-separated (--from0): file names may contain newlines.
      writeFileSync(listFile, excludes.map((e) => `${rsyncLiteral(e)}\0`).join(''));
      const rsyncPath = `--rsync-path=${this.rsyncPath([this.remoteWorkspace, this.remoteRuns])}`;
      await this.rsync(['--from0', `--exclude-from=${listFile}`, rsyncPath, `${resolve(this.workspaceRoot)}/`, `${this.target.host}:${this.remoteWorkspace}/`], 'syncing the workspace', signal);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A local note of which harness version this target has, so unchanged harnesses are not re-sent every run. */
  private harnessStamp(): { file: string; value: string } {
    const dir = harnessDir();
    const parts: string[] = [this.remoteHarness, ...sshOptions(this.target), this.target.host];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name === '__pycache__') continue;
        const full = join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else parts.push(`${full}:${statSync(full).size}:${statSync(full).mtimeMs}`);
      }
    };
    walk(dir);
    const key = createHash('sha256').update(parts.join('\n')).digest('hex');
    return { file: join(this.workspaceRoot, '.porta', 'state', `harness-${this.target.name}.stamp`), value: key };
  }

  async syncHarness(signal?: AbortSignal, force = false): Promise<void> {
    const stamp = this.harnessStamp();
    if (!force && existsSync(stamp.file) && readFileSync(stamp.file, 'utf8') === stamp.value) return;
    const rsyncPath = `--rsync-path=${this.rsyncPath([this.remoteHarness, this.remoteRuns])}`;
    await this.rsync(['--exclude=__pycache__/', rsyncPath, `${harnessDir()}/`, `${this.target.host}:${this.remoteHarness}/`], 'copying the Porta harness', signal);
    mkdirSync(dirname(stamp.file), { recursive: true });
    writeFileSync(stamp.file, stamp.value);
  }

  async sync(signal?: AbortSignal): Promise<SyncResult> {
    const started = Date.now();
    await this.connect();
    await Promise.all([this.syncWorkspace(signal), this.syncHarness(signal)]);
    return { dir: this.remoteWorkspace, ms: Date.now() - started };
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    await this.connect();
    return this.shell(`cd ${shQuote(this.remoteWorkspace)} && ${shJoin(argv)}`, options);
  }

  private envWords(spec: LaunchSpec): string[] {
    const env = { ...this.target.env, ...spec.env, PYTHONUNBUFFERED: '1', PORTA_RUN_MARKER: spec.marker };
    return Object.entries(env).map(([key, value]) => `${key}=${value}`);
  }

  /** The remote shell line of a run: record the process-group id, then exec the interpreter in it. */
  launchLine(spec: LaunchSpec): string {
    const pidFile = `../.porta-runs/${spec.runId}.pid`;
    const program = spec.command ?? [this.target.python, ...harnessArgs('../.porta-harness/porta_harness.py', spec)];
    // sshd starts the remote shell in a new session, so $$ is the process-group id of everything the run spawns.
    const guard = spec.command ? '' : `test -f ../.porta-harness/porta_harness.py || exit ${HARNESS_MISSING}; `;
    // Not exec'd: after the script, the shell stops what it left behind (a daemon holding the output would keep the
    // session, and `porta run`, open for its whole life), forgets the pid file and exits with the script's code.
    return `cd ${shQuote(this.remoteWorkspace)} && ${guard}echo $$ > ${shQuote(pidFile)} || exit $?\n`
      + `env ${shJoin(this.envWords(spec))} ${shJoin(program)}\nrc=$?\n${afterRunLine(spec.marker)}\nrm -f ${shQuote(pidFile)}\nexit $rc`;
  }

  async launch(spec: LaunchSpec, io: LaunchIO): Promise<LaunchOutcome> {
    let tail = '';
    let sawResult = false;
    let cancelled = false;
    const info: RunRuntimeInfo = { marker: spec.marker, remotePidFile: `${this.remoteRuns}/${spec.runId}.pid`, remoteDir: this.remoteWorkspace };
    const controller = new AbortController();
    let cancelCheck: Promise<CancelOutcome> | undefined;
    const onAbort = (): void => {
      cancelled = true;
      cancelCheck = this.cancel(info).catch((error: unknown) => ({ clean: false, detail: error instanceof Error ? error.message : String(error) }));
      void cancelCheck.finally(() => setTimeout(() => controller.abort(), 2000).unref());
    };
    await io.onStarted(info);
    if (io.signal.aborted) return { status: 'cancelled', exitCode: null };
    io.signal.addEventListener('abort', onAbort, { once: true });
    const onText = (text: string): void => {
      tail = (tail + text).slice(-4000);
      if (text.includes('PORTA_RESULT ')) sawResult = true;
      io.onOutput(text);
    };
    let result = await this.shell(this.launchLine(spec), { onStdout: onText, onStderr: onText, keep: 4000, signal: controller.signal });
    if (result.code === HARNESS_MISSING && !cancelled) {
      // The remote copy was removed behind our back: send it again and retry once.
      await this.syncHarness(controller.signal, true);
      result = await this.shell(this.launchLine(spec), { onStdout: onText, onStderr: onText, keep: 4000, signal: controller.signal });
    }
    io.signal.removeEventListener('abort', onAbort);
    if (cancelled) {
      const check = await cancelCheck;
      return { status: 'cancelled', exitCode: result.code, error: check && !check.clean ? `cancel may have left processes on the host: ${check.detail ?? ''}` : undefined };
    }
    if (result.code === 0) return { status: 'succeeded', exitCode: 0 };
    if (result.code === 255 && !sawResult) {
      const reachable = await this.shell('true').then((r) => r.code === 0, () => false);
      if (!reachable) {
        const last = result.stderr.trim().split('\n').filter(Boolean).slice(-1)[0];
        return { status: 'lost', exitCode: null, error: `the connection to ${this.destination} was lost during the run${last ? ` (${last})` : ''}; the remote process may still be running` };
      }
    }
    const python = spec.command?.[0] ?? this.target.python;
    return { status: 'failed', exitCode: result.code, error: explainExit(result.code, python, this.destination, tail) ?? `exited with code ${result.code}` };
  }

  async cancel(info: RunRuntimeInfo): Promise<CancelOutcome> {
    // The record is a claim: the pid file is the one Porta's launch line writes for this run id (never a path taken
    // from the record), and the shell signals only processes that carry the run's marker, or their group.
    if (!isMarker(info.marker)) return { clean: true, detail: 'nothing signalled: the record carries no valid run marker' };
    const pidFile = `${this.remoteRuns}/${info.marker.slice('porta-run-'.length)}.pid`;
    await this.connect();
    const result = await this.shell(cancelLine(info.marker, shQuote(pidFile)));
    if (result.code === 255) throw new SshError(explainSshFailure(result.stderr, this.destination));
    const left = result.stdout.split('\n').filter((l) => l.trim());
    return { clean: left.length === 0, detail: left.join('\n') || undefined };
  }

  async leftovers(marker: string): Promise<string[]> {
    if (!isMarker(marker)) return [];
    await this.connect();
    const result = await this.shell(leftoversLine(marker));
    if (result.code === 255) throw new SshError(explainSshFailure(result.stderr, this.destination));
    return result.stdout.split('\n').filter((l) => l.trim());
  }

  async close(): Promise<void> {
    // The master is deliberately kept (ControlPersist): the next run reuses the warm connection.
  }
}

/** What OpenSSH itself resolves for a target (`ssh -G`: config aliases, HostName, Port, User), for display. */
export async function resolveSshTarget(target: SshTarget): Promise<{ hostname?: string; port?: string; user?: string; error?: string }> {
  let options: string[];
  try {
    options = sshOptions(target);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const result = await execFile('ssh', ['-G', ...options, '--', target.host]);
  if (result.code !== 0) return {};
  const map = parseSshG(result.stdout);
  return { hostname: map.get('hostname'), port: map.get('port'), user: map.get('user') };
}

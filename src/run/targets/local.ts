import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { harnessDir } from '../harness-dir';
import type { RunRuntimeInfo } from '../history';
import { execFile, sleep, type ExecOptions, type ExecResult } from '../process';
import { explainExit, harnessArgs, markerPattern, type CancelOutcome, type LaunchIO, type LaunchOutcome, type LaunchSpec, type SyncResult, type TargetAdapter } from './adapter';
import type { LocalTarget, TargetConfig } from './config';

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills a whole process group: TERM, a grace period, then KILL. */
export async function killGroup(pgid: number, graceMs = 3000): Promise<void> {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < graceMs && groupAlive(pgid); waited += 100) await sleep(100);
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

export async function localLeftovers(marker: string): Promise<string[]> {
  const result = await execFile('pgrep', ['-a', '-f', markerPattern(marker)]);
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** Runs in the workspace folder on this machine, in its own process group so cancel reaches every child. */
export class LocalAdapter implements TargetAdapter {
  constructor(readonly target: LocalTarget & TargetConfig, private readonly workspaceRoot: string) {}

  async sync(): Promise<SyncResult> {
    return { dir: this.workspaceRoot, ms: 0 };
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execFile(argv[0], argv.slice(1), { cwd: this.workspaceRoot, ...options });
  }

  launch(spec: LaunchSpec, io: LaunchIO): Promise<LaunchOutcome> {
    const argv = spec.command ?? [this.target.python, ...harnessArgs(join(harnessDir(), 'porta_harness.py'), spec)];
    return new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: this.workspaceRoot,
        env: { ...process.env, ...this.target.env, ...spec.env, PYTHONUNBUFFERED: '1', PORTA_RUN_MARKER: spec.marker },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let tail = '';
      let cancelled = false;
      let killing: Promise<void> = Promise.resolve();
      const onText = (text: string): void => {
        tail = (tail + text).slice(-4000);
        io.onOutput(text);
      };
      child.stdout.setEncoding('utf8').on('data', onText);
      child.stderr.setEncoding('utf8').on('data', onText);
      const onAbort = (): void => {
        cancelled = true;
        if (child.pid) killing = killGroup(child.pid);
      };
      child.on('spawn', () => {
        void io.onStarted({ pid: child.pid, marker: spec.marker, remoteDir: this.workspaceRoot });
        if (io.signal.aborted) onAbort();
        else io.signal.addEventListener('abort', onAbort, { once: true });
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        io.signal.removeEventListener('abort', onAbort);
        const error_ = error.code === 'ENOENT'
          ? `the interpreter '${argv[0]}' was not found on this machine (set python = "..." for target '${this.target.name}')`
          : `could not start '${argv[0]}': ${error.message}`;
        resolve({ status: 'failed', exitCode: null, error: error_ });
      });
      child.on('close', (code, signal) => {
        io.signal.removeEventListener('abort', onAbort);
        if (cancelled) {
          // Verify: nothing carrying the run's marker may survive the group kill.
          void killing.then(() => localLeftovers(spec.marker)).then((left) => resolve({
            status: 'cancelled', exitCode: code, error: left.length ? `cancel left processes: ${left.join('; ')}` : undefined,
          }));
          return;
        }
        const exitCode = code ?? (signal ? 128 : null);
        if (code === 0) return resolve({ status: 'succeeded', exitCode: 0 });
        resolve({ status: 'failed', exitCode, error: explainExit(code, argv[0], 'this machine', tail) ?? (signal ? `killed by ${signal}` : `exited with code ${code}`) });
      });
    });
  }

  async cancel(info: RunRuntimeInfo): Promise<CancelOutcome> {
    if (info.pid) await killGroup(info.pid);
    const left = info.marker ? await localLeftovers(info.marker) : [];
    return { clean: left.length === 0, detail: left.join('\n') || undefined };
  }

  leftovers(marker: string): Promise<string[]> {
    return localLeftovers(marker);
  }

  async close(): Promise<void> {}
}

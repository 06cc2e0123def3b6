import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { harnessDir } from '../harness-dir';
import type { RunRuntimeInfo } from '../history';
import { execFile, type ExecOptions, type ExecResult } from '../process';
import { describeMarked, processStartTime, provenRunGroup, stopRunProcesses } from '../runProcesses';
import { explainExit, harnessArgs, type CancelOutcome, type LaunchIO, type LaunchOutcome, type LaunchSpec, type SyncResult, type TargetAdapter } from './adapter';
import type { LocalTarget, TargetConfig } from './config';

/** What is left of a run after a stop: `pid command` of each process still carrying its marker. */
export async function localLeftovers(marker: string): Promise<string[]> {
  return describeMarked(marker);
}

/** After the script exits, how long its output pipes may stay open (a daemon it left holding them) before we stop waiting. */
const PIPE_GRACE_MS = 1000;

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
      let stopping: Promise<string[]> = Promise.resolve([]);
      let ended = false;
      const onText = (text: string): void => {
        tail = (tail + text).slice(-4000);
        io.onOutput(text);
      };
      child.stdout.setEncoding('utf8').on('data', onText);
      child.stderr.setEncoding('utf8').on('data', onText);
      const onAbort = (): void => {
        cancelled = true;
        // The child object is ours: its group is proven; stragglers are found by the marker.
        stopping = stopRunProcesses(spec.marker, child.pid);
      };
      child.on('spawn', () => {
        void io.onStarted({ pid: child.pid, pidStart: child.pid ? processStartTime(child.pid) : undefined, marker: spec.marker, remoteDir: this.workspaceRoot });
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
      const end = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (ended) return;
        ended = true;
        io.signal.removeEventListener('abort', onAbort);
        if (cancelled) {
          // Verify: nothing carrying the run's marker may survive the stop.
          void stopping.then((left) => resolve({
            status: 'cancelled', exitCode: code, error: left.length ? `cancel could not stop: ${left.join('; ')}` : undefined,
          }));
          return;
        }
        // The script is done; processes it left behind (daemons, setsid children) belong to the run and end with it.
        const strays = describeMarked(spec.marker);
        void stopRunProcesses(spec.marker, undefined).then((left) => {
          if (strays.length) io.onOutput(straysNote(strays, left));
          const exitCode = code ?? (signal ? 128 : null);
          if (code === 0) return resolve({ status: 'succeeded', exitCode: 0, error: left.length ? `could not stop: ${left.join('; ')}` : undefined });
          resolve({ status: 'failed', exitCode, error: explainExit(code, argv[0], 'this machine', tail) ?? (signal ? `killed by ${signal}` : `exited with code ${code}`) });
        });
      };
      child.on('close', end);
      child.on('exit', (code, signal) => {
        // 'close' waits for the pipes; a daemon the script started may hold them for its whole life.
        setTimeout(() => {
          if (ended) return;
          child.stdout.destroy();
          child.stderr.destroy();
          end(code, signal);
        }, PIPE_GRACE_MS).unref();
      });
    });
  }

  async cancel(info: RunRuntimeInfo): Promise<CancelOutcome> {
    // The record is a claim (it lives in the workspace): only a proven group and marked processes are signalled.
    const proven = provenRunGroup(info.pid, info.pidStart, info.marker);
    if (typeof info.marker !== 'string' || !proven.pgid && !describeMarked(info.marker).length) {
      return { clean: true, detail: proven.reason ? `nothing signalled: ${proven.reason}` : undefined };
    }
    const left = await stopRunProcesses(info.marker, proven.pgid);
    return { clean: left.length === 0, detail: left.join('\n') || undefined };
  }

  leftovers(marker: string): Promise<string[]> {
    return localLeftovers(marker);
  }

  async close(): Promise<void> {}
}

/** A log line for processes the script left behind: which were stopped, and which could not be. */
function straysNote(strays: string[], left: string[]): string {
  const stopped = strays.length - left.length;
  return `[porta] the script exited and left ${strays.length} process(es) running: ${strays.join('; ')}. `
    + `${stopped > 0 ? `Porta stopped ${stopped} of them (they were part of the run).` : ''}`
    + `${left.length ? ` Could not stop: ${left.join('; ')}` : ''}\n`;
}

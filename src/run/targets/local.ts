import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { harnessDir } from '../harness-dir';
import type { RunRuntimeInfo } from '../history';
import { execFile, type ExecOptions, type ExecResult } from '../process';
import { createRunCgroup, removeCgroup, runCgroupOf } from '../runCgroup';
import { carriesMarker, describeMarked, describeProcess, isMarker, processStartTime, provenRunGroup, stopRunProcesses, unitMembers, type RunUnit } from '../runProcesses';
import { readLauncherStatus } from './launcherStatus';
import { explainExit, harnessArgs, type CancelOutcome, type LaunchIO, type LaunchOutcome, type LaunchSpec, type SyncResult, type TargetAdapter } from './adapter';
import type { LocalTarget, TargetConfig } from './config';

/** What is left of a run after a stop: `pid command` of each process still carrying its marker. */
export async function localLeftovers(marker: string): Promise<string[]> {
  return describeMarked(marker);
}

/** After the script exits, how long its output pipes may stay open (a daemon it left holding them) before we stop waiting. */
const PIPE_GRACE_MS = 1000;

/** Runs in the workspace folder on this machine, under a launcher that keeps every process of the run in its tree. */
export class LocalAdapter implements TargetAdapter {
  constructor(readonly target: LocalTarget & TargetConfig, private readonly workspaceRoot: string) {}

  async sync(): Promise<SyncResult> {
    return { dir: this.workspaceRoot, ms: 0 };
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execFile(argv[0], argv.slice(1), { cwd: this.workspaceRoot, ...options });
  }

  launch(spec: LaunchSpec, io: LaunchIO): Promise<LaunchOutcome> {
    const program = spec.command ?? [this.target.python, ...harnessArgs(join(harnessDir(), 'porta_harness.py'), spec)];
    // Linux: under porta_reaper.py (a child subreaper, in its own cgroup where one may be made), so every process
    // of the run stays the launcher's descendant; elsewhere the process group and the marker are all there is.
    const reaper = process.platform === 'linux';
    let cgroup = reaper ? createRunCgroup(spec.marker).dir : undefined;
    const argv = reaper
      ? [this.target.python, '-I', join(harnessDir(), 'porta_reaper.py'), ...(cgroup ? ['--cgroup', cgroup] : []), '--', ...program]
      : program;
    return new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: this.workspaceRoot,
        env: { ...process.env, ...this.target.env, ...spec.env, PYTHONUNBUFFERED: '1', PORTA_RUN_MARKER: spec.marker },
        stdio: reaper ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const stdout = child.stdout as Readable;
      const stderr = child.stderr as Readable;
      let launcherStart: string | undefined;
      const unit = (): RunUnit => (reaper ? { marker: spec.marker, launcher: child.pid, launcherStart, cgroup } : { marker: spec.marker, pgid: child.pid });
      let tail = '';
      let cancelled = false;
      let stopping: Promise<string[]> = Promise.resolve([]);
      let ended = false;
      const onText = (text: string): void => {
        tail = (tail + text).slice(-4000);
        io.onOutput(text);
      };
      stdout.setEncoding('utf8').on('data', onText);
      stderr.setEncoding('utf8').on('data', onText);
      const onAbort = (): void => {
        cancelled = true;
        // The child object is ours: the launcher (or group) is proven; the rest is found from it and the marker.
        stopping = stopRunProcesses(unit());
      };
      child.on('spawn', () => {
        launcherStart = child.pid ? processStartTime(child.pid) : undefined;
        void io.onStarted({ pid: child.pid, pidStart: launcherStart, marker: spec.marker, remoteDir: this.workspaceRoot });
        if (io.signal.aborted) onAbort();
        else io.signal.addEventListener('abort', onAbort, { once: true });
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        io.signal.removeEventListener('abort', onAbort);
        if (cgroup) removeCgroup(cgroup);
        const error_ = error.code === 'ENOENT'
          ? `the interpreter '${argv[0]}' was not found on this machine (set python = "..." for target '${this.target.name}')`
          : `could not start '${argv[0]}': ${error.message}`;
        resolve({ status: 'failed', exitCode: null, error: error_ });
      });
      /** Output written just before the end may still be in the pipes: wait for them, but not for a holder that survived. */
      const pipesDone = (): Promise<void> => new Promise((done) => {
        let open = 2;
        const closed = (): void => { if (--open === 0) done(); };
        if (stdout.closed) closed(); else stdout.once('close', closed);
        if (stderr.closed) closed(); else stderr.once('close', closed);
        setTimeout(() => {
          stdout.destroy();
          stderr.destroy();
          done();
        }, PIPE_GRACE_MS).unref();
      });
      const end = (code: number | null, signal: NodeJS.Signals | null, startError?: string): void => {
        if (ended) return;
        ended = true;
        io.signal.removeEventListener('abort', onAbort);
        if (cancelled) {
          // Verify: nothing of the run may survive the stop.
          void stopping.then(async (left) => {
            if (reaper) await pipesDone();
            resolve({ status: 'cancelled', exitCode: code, error: left.length ? `cancel could not stop: ${left.join('; ')}` : undefined });
          });
          return;
        }
        // The script is done; processes it left behind (daemons, setsid children) belong to the run and end with it.
        const strays = unitMembers(unit()).map(describeProcess);
        void stopRunProcesses(unit()).then(async (left) => {
          if (reaper) await pipesDone();
          if (strays.length) io.onOutput(straysNote(strays, left));
          const exitCode = code ?? (signal ? 128 : null);
          if (startError) return resolve({ status: 'failed', exitCode, error: startError });
          if (code === 0) return resolve({ status: 'succeeded', exitCode: 0, error: left.length ? `could not stop: ${left.join('; ')}` : undefined });
          resolve({ status: 'failed', exitCode, error: explainExit(code, program[0], 'this machine', tail) ?? (signal ? `killed by ${signal}` : `exited with code ${code}`) });
        });
      };
      if (reaper) {
        readLauncherStatus(child.stdio[3] as Readable, {
          noCgroup: () => {
            if (cgroup) removeCgroup(cgroup);
            cgroup = undefined;
          },
          noSubreaper: (why) => io.onOutput(`[porta] could not make the launcher a subreaper (${why}): a process of the run that leaves its session and clears its environment may outlive it\n`),
          ended: (code, signal, startError) => end(code, signal, startError),
        });
      } else {
        child.on('close', end);
      }
      child.on('exit', (code, signal) => {
        // Without a launcher 'close' waits for the pipes, which a daemon the script started may hold for its whole
        // life; a launcher that died without reporting (KILLed) ends the run the same way.
        setTimeout(() => {
          if (ended) return;
          stdout.destroy();
          stderr.destroy();
          end(code, signal);
        }, PIPE_GRACE_MS).unref();
      });
    });
  }

  async cancel(info: RunRuntimeInfo): Promise<CancelOutcome> {
    // The record is a claim (it lives in the workspace): only a proven launcher or group, its descendants, its
    // cgroup (named by the marker) and marked processes are signalled.
    const proven = provenRunGroup(info.pid, info.pidStart, info.marker);
    if (!isMarker(info.marker)) return { clean: true, detail: proven.reason ? `nothing signalled: ${proven.reason}` : undefined };
    const launcher = proven.pgid !== undefined && carriesMarker(proven.pgid, info.marker) ? proven.pgid : undefined;
    const unit: RunUnit = launcher !== undefined
      ? { marker: info.marker, launcher, launcherStart: info.pidStart as string, cgroup: runCgroupOf(launcher, info.marker) }
      : { marker: info.marker, pgid: proven.pgid };
    if (launcher === undefined && proven.pgid === undefined && unitMembers(unit).length === 0) {
      return { clean: true, detail: proven.reason ? `nothing signalled: ${proven.reason}` : undefined };
    }
    const left = await stopRunProcesses(unit);
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

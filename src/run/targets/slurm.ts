import { join, resolve } from 'node:path';
import { parseSacctUsage, parseScontrolUsage, type SlurmUsage } from '../cost';
import { harnessDir } from '../harness-dir';
import type { RunRuntimeInfo } from '../history';
import { execFile, sleep, type ExecOptions, type ExecResult } from '../process';
import { shJoin, shQuote } from '../ssh/quote';
import { isMarker } from '../runProcesses';
import { explainExit, harnessArgs, type CancelOutcome, type LaunchIO, type LaunchOutcome, type LaunchSpec, type SyncResult, type TargetAdapter } from './adapter';
import type { SlurmTarget } from './config';
import { localLeftovers } from './local';
import { SshAdapter, SshError } from './ssh';

export class SlurmError extends Error {}

const FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);
const SEPARATOR = '@@PORTA-LOG@@';

/** Parses `ExitCode=2:0` from `scontrol show job` (or sacct's `2:0`) into the script's exit code. */
export function parseSlurmExitCode(text: string): number | undefined {
  const match = /(?:ExitCode=)?\b(\d+):(\d+)\b/.exec(text);
  if (!match) return undefined;
  const code = Number(match[1]);
  const signal = Number(match[2]);
  return signal > 0 && code === 0 ? 128 + signal : code;
}

export function parseScontrolField(text: string, field: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${field}=(\\S+)`).exec(text);
  return match?.[1];
}

/**
 * Submits with sbatch (locally on a shared file system, or through an ssh target), tails the job's output file,
 * follows its state with squeue/scontrol/sacct, cancels with scancel, and re-attaches to a job after a restart.
 */
export class SlurmAdapter implements TargetAdapter {
  private readonly ssh?: SshAdapter;

  constructor(readonly target: SlurmTarget, private readonly workspaceRoot: string) {
    if (target.via) this.ssh = new SshAdapter({ ...target.via, python: target.python, workdir: target.workdir, excludes: [...target.via.excludes, ...target.excludes] }, workspaceRoot);
  }

  /** Folder the job runs in, as the submit host sees it. */
  private get jobDir(): string {
    return this.ssh ? this.ssh.remoteWorkspace : resolve(this.workspaceRoot);
  }

  /** Job output file, relative to jobDir. */
  outputFile(runId: string): string {
    return this.ssh ? `../.porta-runs/${runId}.slurm.out` : `.porta/runs/${runId}.slurm.out`;
  }

  /** One shell line on the submit host, run inside the job folder. */
  private async shell(line: string, options: ExecOptions = {}): Promise<ExecResult> {
    const full = `cd ${shQuote(this.jobDir)} && ${line}`;
    if (this.ssh) {
      const result = await this.ssh.shell(full, options);
      if (result.code === 255) {
        const { explainSshFailure } = await import('../ssh/errors');
        throw new SshError(explainSshFailure(result.stderr, this.ssh.destination));
      }
      return result;
    }
    return execFile('/bin/sh', ['-c', full], options);
  }

  async sync(signal?: AbortSignal): Promise<SyncResult> {
    if (this.ssh) return this.ssh.sync(signal);
    return { dir: this.jobDir, ms: 0 };
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return this.shell(shJoin(argv), options);
  }

  private program(spec: LaunchSpec): string[] {
    if (spec.command) return spec.command;
    const harness = this.ssh ? '../.porta-harness/porta_harness.py' : join(harnessDir(), 'porta_harness.py');
    return [this.target.python, ...harnessArgs(harness, spec)];
  }

  /** The batch script fed to sbatch on stdin. */
  batchScript(spec: LaunchSpec): string {
    const env = { ...this.target.env, ...spec.env, PYTHONUNBUFFERED: '1', PORTA_RUN_MARKER: spec.marker };
    const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shQuote(value)}`);
    return ['#!/bin/sh', `# Porta run ${spec.runId}`, ...exports, `exec ${shJoin(this.program(spec))}`, ''].join('\n');
  }

  sbatchArgv(spec: LaunchSpec): string[] {
    return [
      'sbatch', '--parsable', `--job-name=porta-${spec.runId}`, `--output=${this.outputFile(spec.runId)}`, '--open-mode=append',
      ...(this.target.partition ? [`--partition=${this.target.partition}`] : []),
      ...this.target.sbatchArgs,
    ];
  }

  async submit(spec: LaunchSpec): Promise<string> {
    const dirs = this.ssh ? 'mkdir -p ../.porta-runs' : 'mkdir -p .porta/runs';
    const result = await this.shell(`${dirs} && ${shJoin(this.sbatchArgv(spec))} --chdir="$PWD"`, { input: this.batchScript(spec) });
    if (result.spawnError) throw new SlurmError('/bin/sh could not be started');
    if (result.code === 127 || /sbatch: (command )?not found/.test(result.stderr)) throw new SlurmError(`sbatch was not found on ${this.where}`);
    const jobId = result.stdout.trim().split(';')[0];
    if (result.code !== 0 || !/^\d+$/.test(jobId)) {
      throw new SlurmError(`sbatch refused the job on ${this.where}: ${result.stderr.trim() || result.stdout.trim() || `exit ${result.code}`}`);
    }
    return jobId;
  }

  get where(): string {
    return this.ssh ? this.ssh.destination : 'this machine';
  }

  /** One poll: the job state and the log bytes after `offset`, in a single round trip. */
  async poll(jobId: string, logFile: string, offset: number): Promise<{ state?: string; text: string }> {
    const line = `squeue -h -t all -j ${shQuote(jobId)} -o %T 2>/dev/null; echo ${SEPARATOR}; tail -c +${offset + 1} ${shQuote(logFile)} 2>/dev/null; true`;
    const result = await this.shell(line);
    const cut = result.stdout.indexOf(`${SEPARATOR}\n`);
    if (cut < 0) return { text: '' };
    const state = result.stdout.slice(0, cut).trim().split('\n')[0] || undefined;
    return { state, text: result.stdout.slice(cut + SEPARATOR.length + 1) };
  }

  /**
   * Final state, exit code, elapsed time and allocation (what the job is charged on) from scontrol, then sacct
   * (when accounting is configured).
   */
  async finalState(jobId: string): Promise<{ state?: string; exitCode?: number; usage?: SlurmUsage }> {
    const scontrol = await this.shell(`scontrol show job ${shQuote(jobId)} 2>/dev/null || true`);
    const state = parseScontrolField(scontrol.stdout, 'JobState');
    const exit = parseScontrolField(scontrol.stdout, 'ExitCode');
    if (state && exit) return { state, exitCode: parseSlurmExitCode(exit), usage: parseScontrolUsage(scontrol.stdout) };
    const sacct = await this.shell(`sacct -X -n -P -j ${shQuote(jobId)} -o State,ExitCode,ElapsedRaw,NNodes,AllocTRES 2>/dev/null || true`);
    const [sacctState, sacctExit, ...usage] = sacct.stdout.trim().split('\n')[0]?.split('|') ?? [];
    if (sacctState) return { state: sacctState.split(' ')[0], exitCode: sacctExit ? parseSlurmExitCode(sacctExit) : undefined, usage: parseSacctUsage(usage.join('|')) };
    return {};
  }

  /** Follows a submitted job until it ends. Used by launch and by re-attach after a restart. */
  async follow(jobId: string, logFile: string, offset: number, io: Pick<LaunchIO, 'onOutput' | 'signal'>, onCancel: () => Promise<CancelOutcome>, once = false): Promise<LaunchOutcome | undefined> {
    let cancelled = false;
    let tail = '';
    let cancelCheck: Promise<CancelOutcome> | undefined;
    const onAbort = (): void => {
      cancelled = true;
      cancelCheck = onCancel().catch((error: unknown) => ({ clean: false, detail: error instanceof Error ? error.message : String(error) }));
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
    if (io.signal.aborted) onAbort();
    let unknownPolls = 0;
    let state: string | undefined;
    try {
      for (;;) {
        let poll: { state?: string; text: string };
        try {
          poll = await this.poll(jobId, logFile, offset);
        } catch (error) {
          if (error instanceof SshError) return { status: 'lost', exitCode: null, error: `${error.message}; job ${jobId} may still be running (porta runs re-attaches it)` };
          throw error;
        }
        if (poll.text) {
          offset += Buffer.byteLength(poll.text);
          tail = (tail + poll.text).slice(-4000);
          io.onOutput(poll.text);
        }
        state = poll.state;
        if (state && FINAL_STATES.has(state.split(' ')[0])) break;
        if (!state && ++unknownPolls >= 3) break;
        if (once && state) return undefined;
        await sleep(this.target.pollMs);
      }
      // The last lines may land after the state changes.
      await sleep(Math.min(300, this.target.pollMs));
      const rest = await this.poll(jobId, logFile, offset).catch(() => ({ text: '' }));
      if (rest.text) {
        tail = (tail + rest.text).slice(-4000);
        io.onOutput(rest.text);
      }
    } finally {
      io.signal.removeEventListener('abort', onAbort);
    }
    const final = await this.finalState(jobId);
    const finalState = final.state ?? state;
    if (cancelled || finalState === 'CANCELLED') {
      const check = await cancelCheck;
      return { status: 'cancelled', exitCode: final.exitCode ?? null, error: check && !check.clean ? `cancel may have left processes: ${check.detail ?? ''}` : undefined, usage: final.usage };
    }
    if (!finalState) return { status: 'lost', exitCode: null, error: `Slurm no longer knows job ${jobId} (purged, and no accounting to ask)` };
    if (finalState === 'COMPLETED' && (final.exitCode ?? 0) === 0) return { status: 'succeeded', exitCode: 0, usage: final.usage };
    const code = final.exitCode ?? null;
    return {
      status: 'failed', exitCode: code, usage: final.usage,
      error: explainExit(code, this.target.python, this.where, tail) ?? `job ${jobId} ended ${finalState}${code !== null ? ` (exit ${code})` : ''}`,
    };
  }

  async launch(spec: LaunchSpec, io: LaunchIO): Promise<LaunchOutcome> {
    const jobId = await this.submit(spec);
    const logFile = this.outputFile(spec.runId);
    const info = { marker: spec.marker, remoteLogFile: logFile, remoteDir: this.jobDir, slurmJobId: jobId };
    await io.onStarted(info);
    const outcome = await this.follow(jobId, logFile, 0, io, () => this.cancel(info));
    return outcome as LaunchOutcome;
  }

  async cancel(info: RunRuntimeInfo & { slurmJobId?: string }): Promise<CancelOutcome> {
    if (!info.slurmJobId || !/^[0-9]+$/.test(info.slurmJobId)) return { clean: false, detail: 'no valid Slurm job id recorded' };
    if (!isMarker(info.marker)) return { clean: false, detail: 'nothing cancelled: the record carries no valid run marker' };
    // The job id comes from a record in the workspace: scancel only a job that carries this run's name, so a
    // record naming somebody else's job cancels nothing.
    const name = `porta-${info.marker.slice('porta-run-'.length)}`;
    const result = await this.shell(`scancel --user="$(id -un)" --name=${shQuote(name)} ${shQuote(info.slurmJobId)}`);
    if (result.code !== 0) return { clean: false, detail: `scancel: ${result.stderr.trim()}` };
    // Wait until Slurm has killed the job's processes (KillWait), then check that nothing of the run is left.
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = info.marker ? await this.leftovers(info.marker) : [];
      if (left.length === 0) break;
      await sleep(200);
    }
    return { clean: left.length === 0, detail: left.join('\n') || undefined };
  }

  /** Processes of the run on the submit host (on a one-node cluster, the node itself). */
  async leftovers(marker: string): Promise<string[]> {
    if (!this.ssh) return localLeftovers(marker);
    return this.ssh.leftovers(marker);
  }

  async close(): Promise<void> {}
}


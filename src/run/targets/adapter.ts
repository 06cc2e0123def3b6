import type { ExecOptions, ExecResult } from '../process';
import type { RunRuntimeInfo } from '../history';
import type { SlurmUsage } from '../cost';
import type { TargetConfig } from './config';

/** What to execute: the Python harness around a script, or (benchmarks) a plain argv. */
export interface LaunchSpec {
  runId: string;
  /** Unique string on the run's command line; `pgrep -f` finds the run's processes by it. */
  marker: string;
  backend: string;
  shim: boolean;
  /** Workspace-relative script path (harness mode). */
  script?: string;
  args: string[];
  /** A full argv run in the synced workspace instead of the harness. */
  command?: string[];
  env: Record<string, string>;
}

export interface LaunchIO {
  onOutput(text: string): void;
  /** Called once the run is really started: process ids / job id to persist for cancel and re-attach. */
  onStarted(info: RunRuntimeInfo & { slurmJobId?: string }): void | Promise<void>;
  signal: AbortSignal;
}

export interface LaunchOutcome {
  status: 'succeeded' | 'failed' | 'cancelled' | 'lost';
  exitCode: number | null;
  error?: string;
  /** Slurm: the job's elapsed time and allocation, which its cost is charged on. */
  usage?: SlurmUsage;
}

export interface SyncResult {
  /** Target-side folder of the workspace. */
  dir: string;
  ms: number;
}

export interface CancelOutcome {
  /** True when a check on the target found none of the run's processes left. */
  clean: boolean;
  detail?: string;
}

/** One implementation per target kind (local, ssh, slurm; kubectl or SkyPilot could be added). */
export interface TargetAdapter {
  readonly target: TargetConfig;
  /** Makes the workspace available on the target (rsync --delete over ssh; nothing locally). */
  sync(signal?: AbortSignal): Promise<SyncResult>;
  /** Runs one short argv in the workspace on the target (quoted for the remote shell where needed). */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts the run, streams output, resolves when it ends; aborting io.signal cancels it. */
  launch(spec: LaunchSpec, io: LaunchIO): Promise<LaunchOutcome>;
  /** Kills a run (also one started by another process) from its persisted runtime info. */
  cancel(info: RunRuntimeInfo & { slurmJobId?: string }): Promise<CancelOutcome>;
  /** Lists processes still carrying the marker (empty = nothing left). */
  leftovers(marker: string): Promise<string[]>;
  close(): Promise<void>;
}

/** The harness argv (after the interpreter) for a spec. */
export function harnessArgs(harnessPath: string, spec: LaunchSpec): string[] {
  if (!spec.script) throw new Error('no script to run');
  return ['-u', harnessPath, '--run-id', spec.marker, '--backend', spec.backend, ...(spec.shim ? ['--shim'] : []), '--', spec.script, ...spec.args];
}

/** Explains exit codes that mean "could not start" rather than "the script failed". */
export function explainExit(code: number | null, python: string, where: string, tail: string): string | undefined {
  if (code === 127 || /No such file or directory/.test(tail) && /env: /.test(tail)) return `the interpreter '${python}' was not found on ${where} (set python = "..." for this target)`;
  if (code === 126) return `the interpreter '${python}' on ${where} is not executable`;
  if (code === 3 && /PORTA_ERROR \{"kind": "backend-unavailable"/.test(tail)) {
    const match = /"message": "((?:[^"\\]|\\.)*)"/.exec(tail.slice(tail.lastIndexOf('PORTA_ERROR')));
    return match ? JSON.parse(`"${match[1]}"`) as string : 'the requested backend is not available';
  }
  if (/ModuleNotFoundError: No module named 'torch'/.test(tail)) return `torch is not installed for '${python}' on ${where}`;
  if (/Torch not compiled with CUDA enabled/.test(tail)) return 'the script needs CUDA, but this torch build has none (try --backend auto or --shim)';
  return undefined;
}

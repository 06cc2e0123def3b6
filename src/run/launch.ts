import { relative, resolve, isAbsolute, sep } from 'node:path';
import { isBackend } from '../core/targets';
import { slurmCost, wallCost, type RunCost } from './cost';
import { applyMetric, applyResult, LineSplitter, parseMetricLine, parseProtocolLine, parseResultLine, shimReportOf } from './metrics';
import { RunHistory, isTerminal, newRunId, ownerAlive, ownerInfo, type RunRuntimeInfo, type StoredRun } from './history';
import type { RunKind, RunRecord } from './record';
import { markerOf } from './runProcesses';
import type { LaunchOutcome, LaunchSpec, TargetAdapter } from './targets/adapter';
import { findTarget, loadTargets, type TargetConfig } from './targets/config';
import { adapterFor } from './targets/factory';
import { SlurmAdapter } from './targets/slurm';

export interface StartRunOptions {
  workspaceRoot: string;
  /** A target name (looked up with loadTargets) or a resolved target. */
  target: string | TargetConfig;
  /** Script path, workspace-relative or absolute inside the workspace (harness mode). */
  script?: string;
  args?: string[];
  /** auto | cuda | rocm | npu | xpu | mps | cpu (default auto). */
  backend?: string;
  shim?: boolean;
  kind?: RunKind;
  /** Run this argv in the synced workspace instead of the harness (e.g. an ONNX benchmark worker). */
  command?: string[];
  env?: Record<string, string>;
  /** Skip the workspace sync (benchmarks that synced already). */
  skipSync?: boolean;
}

export interface RunCallbacks {
  onLog?(text: string): void;
  onStatus?(record: RunRecord): void;
  signal?: AbortSignal;
}

export interface RunHandle {
  id: string;
  record(): RunRecord;
  done: Promise<RunRecord>;
  cancel(): Promise<void>;
}

export class RunOptionsError extends Error {}

/** Checks the script path stays inside the workspace and returns it workspace-relative, with `/` separators. */
export function workspaceRelative(workspaceRoot: string, script: string): string {
  const abs = isAbsolute(script) ? script : resolve(workspaceRoot, script);
  const rel = relative(resolve(workspaceRoot), abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new RunOptionsError(`the script must be inside the workspace: ${script}`);
  return rel.split(sep).join('/');
}

async function resolveTarget(workspaceRoot: string, target: string | TargetConfig): Promise<TargetConfig> {
  return typeof target === 'string' ? findTarget(await loadTargets(workspaceRoot), target) : target;
}

/** Follows protocol lines in the output: metrics, the resolved device, the harness's own result. */
class OutputTracker {
  private readonly lines = new LineSplitter();
  constructor(private readonly record: StoredRun) {}
  push(text: string): void {
    for (const line of this.lines.push(text)) this.line(line);
  }
  end(): void {
    for (const line of this.lines.flush()) this.line(line);
  }
  private line(line: string): void {
    const metric = parseMetricLine(line);
    if (metric) return applyMetric(this.record.metrics, metric);
    const result = parseResultLine(line);
    if (result) return applyResult(this.record.metrics, result);
    const parsed = parseProtocolLine(line);
    if (parsed?.kind === 'DEVICE' && typeof parsed.payload.backend === 'string') this.record.resolvedBackend = parsed.payload.backend;
    if (parsed?.kind === 'SHIM_REPORT') this.record.shimReport = shimReportOf(parsed.payload);
  }
}

/**
 * Starts a run: records it (`queued`), syncs, launches through the target's adapter (`running`), streams the log,
 * and records the outcome. Failures before the script starts are recorded too, with a clear `error`.
 */
export async function startRun(options: StartRunOptions, callbacks: RunCallbacks = {}): Promise<RunHandle> {
  const workspaceRoot = resolve(options.workspaceRoot);
  const backend = options.backend ?? 'auto';
  if (backend !== 'auto' && !isBackend(backend)) throw new RunOptionsError(`unknown backend '${backend}' (auto, cuda, rocm, npu, xpu, mps, cpu)`);
  if (!options.command && !options.script) throw new RunOptionsError('nothing to run: give a script or a command');
  const script = options.script ? workspaceRelative(workspaceRoot, options.script) : undefined;
  const target = await resolveTarget(workspaceRoot, options.target);
  const history = new RunHistory(workspaceRoot);
  await history.ensureDir();
  const id = newRunId();
  const marker = markerOf(id);
  const record: StoredRun = {
    version: 1, id, kind: options.kind ?? 'script', target: target.name, targetKind: target.kind, backend,
    command: options.command ?? [target.python, script as string, ...(options.args ?? [])],
    entry: script ?? options.command?.join(' ') ?? '', startedAt: new Date().toISOString(), status: 'queued',
    logFile: history.logPath(id), metrics: {}, shim: options.shim || undefined,
    runtime: { ...ownerInfo(), marker },
  };
  const spec: LaunchSpec = { runId: id, marker, backend, shim: options.shim ?? false, script, args: options.args ?? [], command: options.command, env: options.env ?? {} };
  await history.save(record);
  await history.appendLog(id, '');
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  callbacks.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const notify = (): void => callbacks.onStatus?.({ ...record });
  notify();
  const adapter = adapterFor(target, workspaceRoot);
  const done = execute(adapter, history, record, spec, controller.signal, callbacks, notify, options.skipSync ?? false).finally(() => {
    callbacks.signal?.removeEventListener('abort', onOuterAbort);
  });
  return {
    id,
    record: () => ({ ...record }),
    done,
    cancel: async () => {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}

async function execute(adapter: TargetAdapter, history: RunHistory, record: StoredRun, spec: LaunchSpec, signal: AbortSignal,
  callbacks: RunCallbacks, notify: () => void, skipSync: boolean): Promise<RunRecord> {
  const tracker = new OutputTracker(record);
  let logChain = Promise.resolve();
  const onOutput = (text: string): void => {
    tracker.push(text);
    logChain = logChain.then(() => history.appendLog(record.id, text)).catch(() => undefined);
    callbacks.onLog?.(text);
  };
  const say = (text: string): void => onOutput(`[porta] ${text}\n`);
  // Cancel requests from another process (`porta cancel ID`) arrive as a file beside the record.
  const cancelWatch = setInterval(() => {
    void history.cancelRequested(record.id).then((yes) => {
      if (yes) {
        void history.clearCancel(record.id);
        controllerAbort();
      }
    });
  }, 500);
  const localAbort = new AbortController();
  const controllerAbort = (): void => localAbort.abort();
  signal.addEventListener('abort', controllerAbort, { once: true });
  let outcome: LaunchOutcome;
  // When the script (or the Slurm job) started: a script's cost is charged on its wall time from here.
  let launchedAt: number | undefined;
  try {
    if (!skipSync) {
      const sync = await adapter.sync(localAbort.signal);
      if (sync.ms > 0) say(`synced workspace to ${adapter.target.name}:${sync.dir} in ${sync.ms} ms`);
    }
    if (localAbort.signal.aborted) {
      outcome = { status: 'cancelled', exitCode: null };
    } else {
      outcome = await adapter.launch(spec, {
        onOutput,
        signal: localAbort.signal,
        onStarted: async (info) => {
          launchedAt = Date.now();
          const { slurmJobId, ...runtime } = info;
          record.runtime = { ...record.runtime, ...runtime };
          if (slurmJobId) {
            record.slurmJobId = slurmJobId;
            say(`submitted Slurm job ${slurmJobId}`);
          }
          record.status = 'running';
          await history.save(record);
          notify();
        },
      });
    }
  } catch (error) {
    outcome = { status: localAbort.signal.aborted ? 'cancelled' : 'failed', exitCode: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearInterval(cancelWatch);
    signal.removeEventListener('abort', controllerAbort);
    await adapter.close().catch(() => undefined);
  }
  tracker.end();
  if (outcome.error) say(outcome.error);
  const cost = runCost(adapter.target, outcome, launchedAt === undefined ? undefined : Date.now() - launchedAt);
  if (adapter.target.price && !cost && launchedAt !== undefined) say('cost unknown: Slurm reported no elapsed time or allocation for the job');
  await logChain;
  return finish(history, record, outcome, notify, cost);
}

/**
 * What the run cost: Slurm jobs on their elapsed time × allocation, everything else on the wall time since the
 * script started. Undefined when the target has no price, or nothing ran.
 */
export function runCost(target: TargetConfig, outcome: LaunchOutcome, wallMs: number | undefined): RunCost | undefined {
  if (target.kind === 'slurm') return outcome.usage ? slurmCost(target.price, outcome.usage) : undefined;
  return wallMs === undefined ? undefined : wallCost(target.price, wallMs);
}

async function finish(history: RunHistory, record: StoredRun, outcome: LaunchOutcome, notify: () => void, cost?: RunCost): Promise<RunRecord> {
  // Another process (or a re-attach) may have finished the record meanwhile: a terminal status is final.
  const current = await history.get(record.id);
  if (current && isTerminal(current.status)) return current;
  record.status = outcome.status;
  record.exitCode = outcome.exitCode;
  record.endedAt = new Date().toISOString();
  if (outcome.error) record.error = outcome.error;
  if (cost) record.cost = cost;
  await history.save(record);
  notify();
  return { ...record };
}

/**
 * Cancels a run by id, also one started by another process: asks the owner (cancel file) and, when the owner is
 * gone, kills the run on its target directly and records it `cancelled`.
 */
export async function cancelRun(workspaceRoot: string, id: string): Promise<RunRecord> {
  const history = new RunHistory(workspaceRoot);
  const record = await history.get(id);
  if (!record) throw new RunOptionsError(`no run with id '${id}' in ${history.dir}`);
  if (isTerminal(record.status)) return record;
  await history.requestCancel(id);
  // A live owner notices within ~0.5 s and records the cancel itself.
  for (let i = 0; i < 40 && ownerAlive(record); i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await history.get(id);
    if (now && isTerminal(now.status)) {
      await history.clearCancel(id);
      return now;
    }
  }
  const target = findTarget(await loadTargets(workspaceRoot), record.target);
  const adapter = adapterFor(target, workspaceRoot);
  // A record's marker must be the one Porta gives this id: a record that names another run's marker stops nothing.
  const runtime = { ...(record.runtime ?? {}), slurmJobId: record.slurmJobId };
  if (runtime.marker !== markerOf(record.id)) runtime.marker = undefined;
  const outcome = await adapter.cancel(runtime);
  await history.clearCancel(id);
  const updated = await history.transition(id, 'cancelled', outcome.clean ? {} : { error: `cancel may have left processes: ${outcome.detail ?? ''}` });
  return updated ?? record;
}

/**
 * After a restart: marks dead runs `lost` and re-attaches to Slurm jobs (follows them to the end in the background).
 * Returns the handles of the re-attached jobs.
 */
export async function reattachRuns(workspaceRoot: string, callbacks: RunCallbacks = {}, opts: { follow?: boolean } = {}): Promise<{ lost: RunRecord[]; reattached: RunHandle[] }> {
  const follow = opts.follow ?? true;
  const history = new RunHistory(workspaceRoot);
  const { lost, slurm } = await history.reconcile();
  const reattached: RunHandle[] = [];
  for (const stale of slurm) {
    let target: TargetConfig;
    try {
      target = findTarget(await loadTargets(workspaceRoot), stale.target);
    } catch (error) {
      await history.transition(stale.id, 'lost', { error: `cannot re-attach: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    if (target.kind !== 'slurm' || !stale.slurmJobId) continue;
    const adapter = new SlurmAdapter(target, workspaceRoot);
    const record: StoredRun = follow ? { ...stale, runtime: { ...stale.runtime, ...ownerInfo() } } : { ...stale };
    if (follow) await history.save(record);
    const controller = new AbortController();
    callbacks.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const tracker = new OutputTracker(record);
    const offset = (await history.readLog(stale.id)).size;
    // Computed from the id, never taken from the record: a record naming ~/.ssh/id_ed25519 as its log would copy
    // that file into the workspace's run log.
    const logFile = adapter.outputFile(stale.id);
    const jobId = stale.slurmJobId;
    const notify = (): void => callbacks.onStatus?.({ ...record });
    const runtime: RunRuntimeInfo & { slurmJobId: string } = { ...(stale.runtime ?? {}), slurmJobId: jobId };
    const done = adapter.follow(jobId, logFile, offset, {
      signal: controller.signal,
      onOutput: (text) => {
        tracker.push(text);
        void history.appendLog(stale.id, text);
        callbacks.onLog?.(text);
      },
    }, () => adapter.cancel(runtime), !follow).then(async (outcome) => {
      tracker.end();
      // Not following and still running: give the record back to its (now dead) owner state, untouched.
      if (!outcome) return (await history.get(stale.id)) ?? record;
      return finish(history, record, outcome, notify, runCost(target, outcome, undefined));
    });
    reattached.push({ id: stale.id, record: () => ({ ...record }), done, cancel: async () => { controller.abort(); await done.catch(() => undefined); } });
  }
  return { lost, reattached };
}

/** Options that repeat a recorded run. */
export function rerunOptions(record: RunRecord, workspaceRoot: string): StartRunOptions {
  if (record.kind === 'script') {
    return { workspaceRoot, target: record.target, script: record.entry, args: record.command.slice(2), backend: record.backend, shim: record.shim };
  }
  return { workspaceRoot, target: record.target, command: record.command, kind: record.kind, backend: record.backend };
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { StoredRun } from '../history';
import type { TargetAdapter } from '../targets/adapter';
import { findTarget, loadTargets, type TargetConfig } from '../targets/config';
import { adapterFor } from '../targets/factory';
import { PYTHON_WORKER } from './pythonWorker';
import { benchmarkToHistory, type RecordedBenchOptions } from './recorded';
import type { WorkerRequest, WorkerResponse } from './types';

/** Which ONNX Runtime a target has, if any. */
export type RemoteRuntime = { kind: 'python' | 'node'; version: string } | { kind: 'none'; detail: string };
type FoundRuntime = Exclude<RemoteRuntime, { kind: 'none' }>;

/** The bundled worker (dist/onnx-worker.js); from source, esbuild bundles worker.ts on the fly. */
export function workerBundle(): string {
  const bundled = join(__dirname, 'onnx-worker.js');
  if (existsSync(bundled)) return readFileSync(bundled, 'utf8');
  // Dev-only path (tests, tsx); createRequire keeps the bundler from pulling esbuild into dist/.
  const esbuild = createRequire(__filename)('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({ entryPoints: [join(__dirname, 'worker.ts')], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node18', external: ['onnxruntime-node'], logLevel: 'silent' });
  return result.outputFiles[0].text;
}

/** The target's environment (porta.toml `env`) in front of a command, as `env K=V ... argv`. */
function withEnv(target: TargetConfig, argv: string[]): string[] {
  const pairs = Object.entries(target.env).map(([k, v]) => `${k}=${v}`);
  const inner = pairs.length ? ['env', ...pairs, ...argv] : argv;
  // On Slurm the benchmark belongs on a compute node, not on the submit host.
  if (target.kind === 'slurm') return ['srun', '--quiet', '--ntasks=1', ...(target.partition ? ['--partition', target.partition] : []), ...inner];
  return inner;
}

/** Probes Python's onnxruntime (with the target's interpreter) first, then Node's onnxruntime-node. */
export async function probeRuntime(adapter: TargetAdapter, target: TargetConfig): Promise<RemoteRuntime> {
  const py = await adapter.exec(withEnv(target, [target.python, '-c', 'import onnxruntime, numpy; print("PORTA_ORT", onnxruntime.__version__)'])).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
  const pyVersion = /PORTA_ORT (\S+)/.exec(py.stdout)?.[1];
  if (pyVersion) return { kind: 'python', version: pyVersion };
  const node = await adapter.exec(withEnv(target, ['node', '-e', 'console.log("PORTA_ORT", require("onnxruntime-node/package.json").version)'])).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
  const nodeVersion = /PORTA_ORT (\S+)/.exec(node.stdout)?.[1];
  if (nodeVersion) return { kind: 'node', version: nodeVersion };
  const pyWhy = (py.stderr.trim().split('\n').pop() ?? '') || `exit ${py.code}`;
  const nodeWhy = (node.stderr.trim().split('\n').find((l) => /Cannot find module|not found|No such file/.test(l)) ?? node.stderr.trim().split('\n').pop() ?? '') || `exit ${node.code}`;
  return { kind: 'none', detail: `Python '${target.python}': ${pyWhy}; Node: ${nodeWhy}` };
}

/** A workspace-relative path with `/` separators, or an error for files outside the workspace. */
/** True when the target works on an rsync'd copy of the workspace (ssh, Slurm via ssh), which never holds .porta/. */
export function copiesWorkspace(target: TargetConfig): boolean {
  return target.kind === 'ssh' || (target.kind === 'slurm' && target.via !== undefined);
}

function inWorkspace(root: string, file: string, copied: boolean): string {
  const rel = relative(root, isAbsolute(file) ? file : join(root, file));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${file} is outside the workspace, so it is not synced to the target`);
  if (copied && rel.split(sep)[0] === '.porta') throw new Error(`${rel} is under .porta/, which is never synced to a remote target; copy it into the workspace first`);
  return rel.split(sep).join('/');
}

function parseResult(stdout: string, stderr: string, code: number | null): WorkerResponse {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('PORTA_BENCH_RESULT '));
  if (line) return JSON.parse(line.slice('PORTA_BENCH_RESULT '.length)) as WorkerResponse;
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  return { ok: false, stage: 'internal', message: `the remote worker gave no result (exit ${code})${tail ? `: ${tail}` : ''}` };
}

/**
 * Runs the benchmark on an SSH or Slurm target with the target's own ONNX Runtime (Python onnxruntime preferred,
 * else Node onnxruntime-node), one remote process per provider, and records it like a local one.
 * When the target has neither, the run is recorded as failed and says so.
 */
export async function benchmarkOnTarget(options: Omit<RecordedBenchOptions, 'target' | 'targetKind'> & { target: string | TargetConfig }): Promise<StoredRun> {
  const root = options.workspaceRoot;
  const target = typeof options.target === 'string' ? findTarget(await loadTargets(root), options.target) : options.target;
  const adapter = adapterFor(target, root);
  let prepared: { runtime: FoundRuntime; bundle?: string } | { error: string };
  try {
    options.log?.(`[porta] syncing the workspace to ${target.name}`);
    await adapter.sync(options.signal);
    const runtime = await probeRuntime(adapter, target);
    prepared = runtime.kind === 'none'
      ? { error: `neither Python onnxruntime nor Node onnxruntime-node is installed on target '${target.name}' (${runtime.detail}); install one of them (pip install onnxruntime, or npm install onnxruntime-node) there` }
      : { runtime, bundle: runtime.kind === 'node' ? workerBundle() : undefined };
  } catch (error) {
    prepared = { error: `cannot reach target '${target.name}': ${(error as Error).message}` };
  }
  const runner = async (request: WorkerRequest, log: (line: string) => void): Promise<WorkerResponse> => {
    if ('error' in prepared) return { ok: false, stage: 'read', message: prepared.error };
    let remoteRequest: WorkerRequest;
    try {
      remoteRequest = {
        ...request,
        model: inWorkspace(root, request.model, copiesWorkspace(target)),
        inputs: request.inputs.map((i) => ('file' in i ? { ...i, file: inWorkspace(root, i.file, copiesWorkspace(target)) } : i)),
      };
    } catch (error) {
      return { ok: false, stage: 'read', message: (error as Error).message };
    }
    const json = JSON.stringify(remoteRequest);
    const argv = prepared.runtime.kind === 'python'
      ? [target.python, '-c', PYTHON_WORKER, json]
      : ['node', '-e', prepared.bundle as string, '--', '--request', json];
    log(`running on ${target.name} with ${prepared.runtime.kind} onnxruntime ${prepared.runtime.version}`);
    const result = await adapter.exec(withEnv(target, argv), { signal: options.signal }).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
    for (const line of result.stderr.split('\n')) if (line.trim()) log(line);
    return parseResult(result.stdout, result.stderr, result.code);
  };
  try {
    const { record } = await benchmarkToHistory({ ...options, target: target.name, targetKind: target.kind, price: target.price, runner });
    return record;
  } finally {
    await adapter.close().catch(() => undefined);
  }
}

import * as vscode from 'vscode';
import type { PortaServices } from '../services';
import type { StoredRun } from '../../run/history';
import type { RecordedBenchOptions } from '../../run/onnx/recorded';
import type { TargetConfig } from '../../run/targets/config';
import { ExportBenchCodeLensProvider } from './codelens';

/** The execution providers offered in the picker; unavailable ones are reported with the runtime's reason. */
const PROVIDERS = [
  { label: 'cpu', description: 'always available; the parity reference', picked: true },
  { label: 'webgpu', description: 'GPU through WebGPU (Dawn)' },
  { label: 'cuda', description: 'NVIDIA CUDA (needs the CUDA provider libraries)' },
  { label: 'tensorrt', description: 'NVIDIA TensorRT' },
  { label: 'dml', description: 'DirectML (Windows)' },
  { label: 'coreml', description: 'Core ML (macOS)' },
];

/** Lets tests and other commands skip the pickers (as porta.runOn does). */
export interface BenchCommandOptions {
  target?: string;
  providers?: string[];
  iterations?: number;
  /** Export only: example input shape like 1x3x224x224 ('' = guess). */
  inputShape?: string;
}

async function targetNamed(root: string, name: string): Promise<TargetConfig> {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const config = require('../../run/targets/config') as typeof import('../../run/targets/config');
  return config.findTarget(await config.loadTargets(root), name);
}

/** Benchmark code loads on first use only: activation stays cheap (no ONNX Runtime in the host at all). */
function benchModules(): { recorded: typeof import('../../run/onnx/recorded'); remote: typeof import('../../run/onnx/remote'); exporter: typeof import('../../run/onnx/export'); format: typeof import('../../run/onnx/format') } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return { recorded: require('../../run/onnx/recorded'), remote: require('../../run/onnx/remote'), exporter: require('../../run/onnx/export'), format: require('../../run/onnx/format') };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function workspaceRootOf(uri: vscode.Uri): string | undefined {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function pickProviders(): Promise<string[] | undefined> {
  const chosen = await vscode.window.showQuickPick(PROVIDERS, { canPickMany: true, title: 'Benchmark on which execution providers?', placeHolder: 'cpu runs anyway as the parity reference' });
  if (!chosen) return undefined;
  return chosen.length ? chosen.map((c) => c.label) : ['cpu'];
}

async function pickBenchTarget(root: string): Promise<TargetConfig | undefined> {
  // The runs feature's picker (targets from porta.toml and ~/.ssh/config, with their accelerators).
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const { pickTarget } = require('../runs/pick') as typeof import('../runs/pick');
  return (await pickTarget(root))?.target;
}

/** Runs the benchmark (worker processes, never this thread) with a cancellable progress notification. */
async function runBenchmark(services: PortaServices, options: RecordedBenchOptions, target: TargetConfig): Promise<StoredRun | undefined> {
  const output = services.createRunOutput(`Porta Bench: ${vscode.workspace.asRelativePath(options.model)}`);
  output.show(true);
  services.log.info(`benchmark of ${options.model} on ${target.name} (${options.providers?.join(',') ?? 'cpu'})`);
  const { recorded, remote, format } = benchModules();
  const record = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Benchmarking ${vscode.workspace.asRelativePath(options.model)} on ${target.name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const log = (line: string) => {
        output.appendLine(line);
        if (line.startsWith('[porta]')) progress.report({ message: line.slice(8) });
      };
      const common = { ...options, log, signal: abort.signal };
      if (target.kind === 'local') return (await recorded.benchmarkToHistory({ ...common, price: target.price })).record;
      return remote.benchmarkOnTarget({ ...common, target });
    },
  );
  output.append(format.formatBenchRecord(record));
  const summary = record.status === 'succeeded'
    ? `Benchmark done: ${record.providers?.filter((p) => p.available).map((p) => `${p.provider} P50 ${p.metrics?.latencyMs?.p50.toFixed(3)} ms`).join(', ') || 'no provider available'}`
    : `Benchmark ${record.status}: ${record.error ?? ''}`;
  const show = record.status === 'succeeded' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(summary, 'Open Dashboard', 'Show Log').then((choice) => {
    if (choice === 'Open Dashboard') void vscode.commands.executeCommand('porta.openDashboard', { runId: record.id });
    if (choice === 'Show Log') output.show();
  });
  return record;
}

/**
 * Explorer "Benchmark on…" for .onnx files and the "Export & benchmark" CodeLens over nn.Module subclasses.
 * Results go to the run history (.porta/runs/), which the runs view and the dashboard watch.
 */
export function registerBench(context: vscode.ExtensionContext, services: PortaServices): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new ExportBenchCodeLensProvider()),

    vscode.commands.registerCommand('porta.bench.benchmarkOnnx', async (uri?: vscode.Uri, given: BenchCommandOptions = {}) => {
      if (!services.trust.requireTrust('Benchmark a model')) return undefined;
      const model = uri ?? (await vscode.window.showOpenDialog({ filters: { 'ONNX models': ['onnx'] }, canSelectMany: false }))?.[0];
      if (!model) return undefined;
      const root = workspaceRootOf(model);
      if (!root) return void vscode.window.showErrorMessage('Porta: open a folder to benchmark a model (results are kept in .porta/runs/).');
      const target = given.target ? await targetNamed(root, given.target) : await pickBenchTarget(root);
      if (!target) return undefined;
      const providers = given.providers ?? (await pickProviders());
      if (!providers) return undefined;
      return runBenchmark(services, {
        workspaceRoot: root, model: model.fsPath, providers, iterations: given.iterations,
        command: ['porta', 'bench', vscode.workspace.asRelativePath(model), '--ep', providers.join(',')],
      }, target);
    }),

    vscode.commands.registerCommand('porta.bench.exportAndBenchmark', async (uri: vscode.Uri, className: string, given: BenchCommandOptions = {}) => {
      if (!services.trust.requireTrust('Export and benchmark a model')) return undefined;
      const root = workspaceRootOf(uri);
      if (!root) return undefined;
      const shape = given.inputShape ?? await vscode.window.showInputBox({
        title: `Export ${className}: example input shape`,
        prompt: 'e.g. 1x3x224x224 (empty: guess from the first layer)',
        validateInput: (v) => (v === '' || /^\d+([x,]\d+)*$/.test(v) ? undefined : 'dimensions like 1x3x224x224'),
      });
      if (shape === undefined) return undefined;
      // The local target's interpreter (porta.toml [targets.local] python = "...") has to have torch.
      const local = await targetNamed(root, 'local');
      const { exporter } = benchModules();
      let exported;
      try {
        exported = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${className} to ONNX…` }, () =>
          exporter.exportPyTorchModule({
            source: uri.fsPath, className, python: local.python, out: `${root}/.porta/exports/${className}.onnx`,
            inputShapes: shape ? [shape.split(/[x,]/).map(Number)] : [],
          }));
      } catch (error) {
        const failure = `export of ${className} failed: ${(error as Error).message}`;
        services.log.error(failure);
        void vscode.window.showErrorMessage(`Porta: ${failure}`);
        // Recorded as a failed benchmark, so the runs view and the dashboard show the attempt.
        return (await benchModules().recorded.benchmarkToHistory({ workspaceRoot: root, model: uri.fsPath, failure, command: ['porta', 'bench', vscode.workspace.asRelativePath(uri), '--class', className] })).record;
      }
      const providers = given.providers ?? (await pickProviders());
      if (!providers) return undefined;
      return runBenchmark(services, {
        workspaceRoot: root, model: exported.onnx, providers, iterations: given.iterations,
        inputs: exported.inputs.map((i) => ({ name: i.name, file: i.file })),
        expectedOutputs: exported.outputs.map((o) => ({ name: o.name, file: o.file })),
        command: ['porta', 'bench', vscode.workspace.asRelativePath(uri), '--class', className, '--ep', providers.join(',')],
      }, local);
    }),
  );
}

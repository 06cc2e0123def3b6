import * as vscode from 'vscode';
import type { PortaServices } from '../services';
import type { RunHistory, StoredRun } from '../../run/history';
import type { RunHandle } from '../../run/launch';
import type { RunRecord } from '../../run/record';
import { RunCodeLensProvider } from './codelens';
import type { RunOnTargetsOptions } from './multi';
import { RunItem, RunsTreeProvider } from './tree';

/** Options the command accepts programmatically (tests, other features); the UI asks for whatever is missing. */
export interface RunOnOptions {
  target?: string;
  backend?: string;
  args?: string[];
  shim?: boolean;
}

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: activation stays cheap (no SSH, no child processes).
const history = (): typeof import('../../run/history') => require('../../run/history');
const launch = (): typeof import('../../run/launch') => require('../../run/launch');
/* eslint-enable @typescript-eslint/no-require-imports */

function workspaceRoot(uri?: vscode.Uri): string | undefined {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

/** The saved Python file a run starts from (the given one or the active editor's) and its workspace folder. */
async function scriptToRun(uri?: vscode.Uri): Promise<{ uri: vscode.Uri; root: string } | undefined> {
  const fileUri = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!fileUri || fileUri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Porta: open a Python file (saved on disk) to run it.');
    return undefined;
  }
  const root = workspaceRoot(fileUri);
  if (!root) {
    void vscode.window.showErrorMessage('Porta: runs need a workspace folder (they are recorded in its .porta/runs/).');
    return undefined;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === fileUri.toString());
  if (document?.isDirty) await document.save();
  return { uri: fileUri, root };
}

/** Registers "Run on…" (CodeLens, editor title, command palette), the Runs view and its actions. */
export function registerRuns(context: vscode.ExtensionContext, services: PortaServices): void {
  let store: RunHistory | undefined;
  const getHistory = (): RunHistory | undefined => {
    const root = workspaceRoot();
    if (!root) return undefined;
    if (!store || store.workspaceRoot !== root) store = new (history().RunHistory)(root);
    return store;
  };
  const handles = new Map<string, RunHandle>();
  const outputs = new Map<string, vscode.OutputChannel>();
  let watching: { dispose(): void } | undefined;
  let reattached = false;

  const tree = new RunsTreeProvider(async () => {
    const h = getHistory();
    if (!h) return [];
    if (!watching) {
      watching = h.watch(() => tree.refresh());
    }
    if (!reattached && services.trust.isTrusted()) {
      reattached = true;
      void reattach(h.workspaceRoot);
    }
    return h.list();
  });

  const reattach = async (root: string): Promise<void> => {
    try {
      const { lost, reattached: jobs } = await launch().reattachRuns(root, { onStatus: () => tree.refresh() });
      for (const record of lost) services.log.warn(`run ${record.id} (${record.entry} on ${record.target}) was lost: ${record.error ?? ''}`);
      for (const job of jobs) {
        handles.set(job.id, job);
        services.log.info(`re-attached to Slurm run ${job.id}`);
        void job.done.finally(() => handles.delete(job.id));
      }
      tree.refresh();
    } catch (error) {
      services.log.error(`re-attaching runs failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const runOn = async (uri?: vscode.Uri, options: RunOnOptions = {}): Promise<RunRecord | undefined> => {
    if (!services.trust.requireTrust('Run on target')) return undefined;
    const script = await scriptToRun(uri);
    if (!script) return undefined;
    const { uri: fileUri, root } = script;
    const { pickTarget, pickBackend } = await import('./pick');
    let targetName = options.target;
    let backend = options.backend;
    let shim = options.shim;
    if (!targetName) {
      const picked = await pickTarget(root);
      if (!picked) return undefined;
      targetName = picked.target.name;
      if (!backend) {
        const choice = await pickBackend(picked.discovery);
        if (!choice) return undefined;
        backend = choice.backend;
        shim = shim ?? choice.shim;
      }
    }
    const rel = vscode.workspace.asRelativePath(fileUri, false);
    const channel = services.createRunOutput(`Porta Run: ${rel} @ ${targetName}`);
    context.subscriptions.push(channel);
    channel.show(true);
    let handle: RunHandle;
    try {
      handle = await launch().startRun(
        { workspaceRoot: root, target: targetName, script: fileUri.fsPath, args: options.args ?? [], backend: backend ?? 'auto', shim },
        { onLog: (text) => channel.append(text), onStatus: () => tree.refresh() },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      channel.appendLine(`[porta] ${message}`);
      void vscode.window.showErrorMessage(`Porta: ${message}`);
      return undefined;
    }
    handles.set(handle.id, handle);
    outputs.set(handle.id, channel);
    tree.refresh();
    const record = await handle.done.finally(() => handles.delete(handle.id));
    channel.appendLine(`[porta] run ${record.id} ${record.status}${record.error ? `: ${record.error}` : ''}`);
    if (record.status === 'failed' || record.status === 'lost') {
      void vscode.window.showErrorMessage(`Porta: ${rel} on ${record.target} ${record.status}${record.error ? `: ${record.error}` : ''}`, 'Open Log').then((choice) => {
        if (choice) channel.show();
      });
    }
    tree.refresh();
    return record;
  };

  const recordOf = async (item?: RunItem | string): Promise<StoredRun | undefined> => {
    if (item instanceof RunItem) return item.record;
    if (typeof item === 'string') return getHistory()?.get(item);
    return undefined;
  };

  context.subscriptions.push(
    tree,
    { dispose: () => watching?.dispose() },
    vscode.window.createTreeView('porta.runs', { treeDataProvider: tree, showCollapseAll: false }),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new RunCodeLensProvider()),
    vscode.commands.registerCommand('porta.runOn', (uri?: vscode.Uri, options?: RunOnOptions) => runOn(uri, options)),
    vscode.commands.registerCommand('porta.runOnTargets', async (uri?: vscode.Uri, options?: RunOnTargetsOptions) => {
      if (!services.trust.requireTrust('Run on targets')) return undefined;
      const script = await scriptToRun(uri);
      return script && (await import('./multi')).runOnTargets(services, script.uri, script.root, () => tree.refresh(), options);
    }),
    vscode.commands.registerCommand('porta.run', async (options?: RunOnOptions) => {
      if (!services.trust.requireTrust('Run on target')) return undefined;
      const active = vscode.window.activeTextEditor?.document;
      if (active?.languageId === 'python' && active.uri.scheme === 'file') return runOn(active.uri, options);
      const files = await vscode.workspace.findFiles('**/*.py', '**/{.porta,.git,node_modules,.venv,venv}/**', 500);
      const chosen = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: 'Run which script?' });
      return chosen ? runOn(chosen.uri, options) : undefined;
    }),
    vscode.commands.registerCommand('porta.runs.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('porta.runs.cancel', async (item?: RunItem | string) => {
      if (!services.trust.requireTrust('Cancel run')) return undefined;
      const record = await recordOf(item);
      if (!record) return undefined;
      const live = handles.get(record.id);
      if (live) await live.cancel();
      const root = workspaceRoot();
      const result = live ? await getHistory()?.get(record.id) : root ? await launch().cancelRun(root, record.id) : undefined;
      tree.refresh();
      return result;
    }),
    vscode.commands.registerCommand('porta.runs.rerun', async (item?: RunItem | string) => {
      const record = await recordOf(item);
      const root = workspaceRoot();
      if (!record || !root || record.kind !== 'script') return undefined;
      const options = launch().rerunOptions(record, root);
      return runOn(vscode.Uri.file(`${root}/${record.entry}`), { target: record.target, backend: record.backend, args: options.args, shim: record.shim });
    }),
    vscode.commands.registerCommand('porta.runs.openLog', async (item?: RunItem | string) => {
      const record = await recordOf(item);
      if (!record) return;
      const live = outputs.get(record.id);
      if (live && handles.has(record.id)) return live.show();
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(record.logFile));
      await vscode.languages.setTextDocumentLanguage(document, 'porta-log');
      await vscode.window.showTextDocument(document, { preview: true });
    }),
    vscode.commands.registerCommand('porta.runs.openResults', async (item?: RunItem | string) => {
      const record = await recordOf(item);
      const h = getHistory();
      if (!record || !h) return;
      const commands = await vscode.commands.getCommands(true);
      // The dashboard shows a run's metrics when it is installed; the raw record otherwise.
      if (commands.includes('porta.openDashboard')) return vscode.commands.executeCommand('porta.openDashboard', { runId: record.id });
      await vscode.window.showTextDocument(vscode.Uri.file(h.recordPath(record.id)), { preview: true });
    }),
    services.trust.onDidGrantTrust(() => tree.refresh()),
  );
}

import * as vscode from 'vscode';
import type { PortaServices } from './services';
import { LiveDiagnostics } from './liveDiagnostics';
import { FIX_ALL_KIND, PortaCodeActions } from './codeActions';
import { PortaHover } from './hover';
import { FindingsView, type GroupBy } from './findingsView';
import { registerLanguageStatus } from './languageStatus';
import { ANALYSED_LANGUAGES, DOCUMENT_SELECTOR } from './documentSelector';
import { BACKENDS, type Backend } from '../core/targets';
import { scanWorkspaceFolders } from './scanCommand';
import { portWorkspace } from './portCommand';

/** Handles the integration tests and other features read (through the extension's exports). */
export interface EditorFeatures {
  live: LiveDiagnostics;
  view: FindingsView;
}

const SELECTOR: vscode.DocumentSelector = [...(DOCUMENT_SELECTOR as vscode.DocumentFilter[]), { scheme: 'vscode-notebook-cell', language: 'python' }];

/** Diagnostics, code actions, hovers, the Porta view, the language status and the editor commands. */
export function registerEditorFeatures(context: vscode.ExtensionContext, services: PortaServices): EditorFeatures {
  const live = new LiveDiagnostics(services, context.extensionUri);
  const codeActions = new PortaCodeActions(live, services);
  // Targets of interest (porta.toml + settings of the first folder), for grouping and hovers; refreshed on change.
  let targets: readonly Backend[] = BACKENDS;
  const view = new FindingsView(services.findings, () => targets, (id) => services.analyzer.loaded?.rule(id)?.fixable ?? false);
  const refreshTargets = async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const configured = folder ? (await services.configFor(folder.uri)).targets : services.settings().targets;
    targets = configured.length > 0 ? configured : BACKENDS;
    view.refresh();
  };
  const refreshSoon = () => void refreshTargets().catch((e: unknown) => services.log.warn(`targets: ${String(e)}`));
  const rule = (id: string) => services.analyzer.loaded?.rule(id);
  const command = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);

  context.subscriptions.push(
    live,
    view,
    vscode.window.createTreeView('porta.findings', { treeDataProvider: view, showCollapseAll: true }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, codeActions, PortaCodeActions.metadata),
    vscode.languages.registerHoverProvider(SELECTOR, new PortaHover(live, context.extensionUri, rule, () => targets)),
    services.onDidChangeSettings(refreshSoon),
    services.onDidChangeConfig(refreshSoon),
    command('porta.showLogs', () => services.log.show()),
    command('porta.scanWorkspace', () => scanWorkspaceFolders(services)),
    command('porta.portWorkspace', (target?: string) => portWorkspace(services, target as Parameters<typeof portWorkspace>[1])),
    // The active editor's file, or the file the lightbulb's "Fix all" passes.
    command('porta.fixAll', async (uri?: vscode.Uri) => {
      const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
      if (!document) return false;
      const { edit, error } = await codeActions.fixAll(document);
      if (error) void vscode.window.showWarningMessage(`Porta: Fix all left ${vscode.workspace.asRelativePath(document.uri)} unchanged: ${error}`);
      return edit ? vscode.workspace.applyEdit(edit) : false;
    }),
    command('porta.groupByFile', () => view.setGrouping('file')),
    command('porta.groupByRule', () => view.setGrouping('rule')),
    command('porta.groupByTarget', () => view.setGrouping('target')),
    command('porta.groupBy', async () => {
      const pick = await vscode.window.showQuickPick(['file', 'rule', 'target'], { title: 'Group Porta findings by' });
      if (pick) view.setGrouping(pick as GroupBy);
    }),
    command('porta.clearFindings', () => services.findings.clearScan()),
  );
  void vscode.commands.executeCommand('setContext', 'porta.groupBy', view.grouping);
  void vscode.commands.executeCommand('setContext', 'porta.languages', ANALYSED_LANGUAGES);
  registerLanguageStatus(context, services);
  refreshSoon();
  services.log.debug(`code action kinds: quickfix, ${FIX_ALL_KIND.value}`);
  return { live, view };
}

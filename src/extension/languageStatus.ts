import * as vscode from 'vscode';
import { BACKEND_LABELS, type Backend } from '../core/targets';
import type { PortaServices } from './services';
import { DOCUMENT_SELECTOR } from './documentSelector';

/** The target Porta ports towards: the first configured one that is not CUDA (code already runs there). */
export function activeTarget(targets: readonly Backend[]): Backend | undefined {
  return targets.find((t) => t !== 'cuda') ?? targets[0];
}

/** The `{}` item next to the language mode: active target, finding counts, and "Open Logs". */
export function registerLanguageStatus(context: vscode.ExtensionContext, services: PortaServices): vscode.LanguageStatusItem {
  const item = vscode.languages.createLanguageStatusItem('porta.status', [...(DOCUMENT_SELECTOR as vscode.DocumentFilter[]), { notebookType: 'jupyter-notebook' }]);
  item.name = 'Porta';
  item.command = { title: 'Open Logs', command: 'porta.showLogs' };
  let generation = 0;

  const update = async () => {
    const mine = ++generation;
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.uri;
    const settings = services.settings(uri);
    if (!settings.enable) {
      item.text = '$(circle-slash) Porta';
      item.detail = 'disabled (porta.enable)';
      item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const targets = uri ? (await services.configFor(uri)).targets : settings.targets;
    const target = activeTarget(targets);
    if (mine !== generation) return;
    const notebook = uri && vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document.uri.toString() === uri.toString()));
    const here = uri ? (services.findings.get(notebook ? notebook.uri : uri)?.findings.length ?? 0) : 0;
    const total = services.findings.total();
    item.text = `$(rocket) Porta${target ? `: ${BACKEND_LABELS[target]}` : ''}`;
    item.detail = `${here} finding${here === 1 ? '' : 's'} here · ${total} in workspace`;
    item.severity = here > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    item.busy = false;
  };
  const soon = () => void update().catch(() => undefined);
  context.subscriptions.push(
    item,
    services.findings.onDidChange(soon),
    vscode.window.onDidChangeActiveTextEditor(soon),
    services.onDidChangeSettings(soon),
    services.onDidChangeConfig(soon),
  );
  soon();
  return item;
}

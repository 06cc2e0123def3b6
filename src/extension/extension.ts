import * as vscode from 'vscode';

/** Composes the extension. It registers and returns: no parsing, no I/O, no ONNX Runtime (see ARCHITECTURE.md). */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Porta', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand('porta.showLogs', () => log.show()));
}

export function deactivate(): void {}

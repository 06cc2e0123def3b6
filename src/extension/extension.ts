import * as vscode from 'vscode';

/** Taken when the host loads the bundle, so activationMs covers module evaluation plus activate(). */
const loadedAt = performance.now();

/** What activate() returns to other extensions and to the integration tests. */
export interface PortaApi {
  /** Milliseconds from loading the bundle to the end of activate(). */
  readonly activationMs: number;
}

/** Composes the extension. It registers and returns: no parsing, no I/O, no ONNX Runtime (see ARCHITECTURE.md). */
export function activate(context: vscode.ExtensionContext): PortaApi {
  const log = vscode.window.createOutputChannel('Porta', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand('porta.showLogs', () => log.show()));
  return { activationMs: performance.now() - loadedAt };
}

export function deactivate(): void {}

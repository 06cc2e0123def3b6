import * as vscode from 'vscode';
import type { Logger } from './logging';

/**
 * Workspace trust for features that execute code (runs, interpreter probes, benchmarks).
 * Analysis never executes anything, so it stays on in Restricted Mode.
 */
export interface TrustGate {
  /** Whether the workspace is trusted right now. */
  isTrusted(): boolean;
  /**
   * Call before executing code. Returns true when trusted; otherwise tells the user why `action`
   * is disabled (with a button to manage trust) and returns false. Never throws.
   */
  requireTrust(action: string): boolean;
  /** Fires once, when the user grants trust. */
  onDidGrantTrust: vscode.Event<void>;
}

export function untrustedReason(action: string): string {
  return `${action} is disabled in Restricted Mode: it executes code from this workspace. Trust the workspace to enable it.`;
}

function warn(reason: string): void {
  void vscode.window.showWarningMessage(reason, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

/**
 * `isTrusted` and `notify` default to VS Code's trust state and a warning message; tests pass their own to
 * exercise Restricted Mode (the integration runner opens a trusted workspace).
 */
export function createTrustGate(log: Logger, isTrusted: () => boolean = () => vscode.workspace.isTrusted, notify: (reason: string) => void = warn): TrustGate {
  return {
    isTrusted,
    requireTrust(action: string): boolean {
      if (isTrusted()) return true;
      const reason = untrustedReason(action);
      log.warn(reason);
      notify(reason);
      return false;
    },
    onDidGrantTrust: vscode.workspace.onDidGrantWorkspaceTrust,
  };
}

/** Registers the Porta dashboard: the "Porta: Open Dashboard" command and the panel serializer (restores after reload). */
import * as vscode from 'vscode';
import type { PortaServices } from '../services';

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const panelModule = (): typeof import('./panel') => require('./panel');

export interface OpenDashboardArgs {
  /** Select this run on the Runs page (used by the Runs view's "Open Results"). */
  runId?: string;
}

export function registerDashboard(context: vscode.ExtensionContext, services: PortaServices): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('porta.openDashboard', (args?: OpenDashboardArgs) => {
      const runId = typeof args?.runId === 'string' ? args.runId : undefined;
      panelModule().DashboardPanel.show(context.extensionUri, services, runId);
    }),
    vscode.window.registerWebviewPanelSerializer('porta.dashboard', {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        panelModule().DashboardPanel.revive(panel, context.extensionUri, services);
      },
    }),
  );
}

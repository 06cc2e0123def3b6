/** Registers the Porta dashboard: the "Porta: Open Dashboard" command and the panel serializer (restores after reload). */
import * as vscode from 'vscode';
import type { HostMessage } from '../../protocol';
import type { PortaServices } from '../services';

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const panelModule = (): typeof import('./panel') => require('./panel');

export interface OpenDashboardArgs {
  /** Select this run on the Runs page (used by the Runs view's "Open Results"). */
  runId?: string;
  /** Open the Compare page on these runs (used when a multi-target run ends). */
  compareRunIds?: string[];
}

export function registerDashboard(context: vscode.ExtensionContext, services: PortaServices): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('porta.openDashboard', (args?: OpenDashboardArgs) => {
      const runId = typeof args?.runId === 'string' ? args.runId : undefined;
      const compare = Array.isArray(args?.compareRunIds) ? args.compareRunIds.filter((id): id is string => typeof id === 'string') : undefined;
      const focus: HostMessage | undefined = compare?.length ? { type: 'compareRuns', runIds: compare } : runId ? { type: 'focusRun', runId } : undefined;
      panelModule().DashboardPanel.show(context.extensionUri, services, focus);
    }),
    vscode.window.registerWebviewPanelSerializer('porta.dashboard', {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        panelModule().DashboardPanel.revive(panel, context.extensionUri, services);
      },
    }),
  );
}

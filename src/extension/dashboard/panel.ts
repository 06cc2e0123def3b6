/** The dashboard WebviewPanel: renders the shell, feeds it runs/readiness, and acts on validated webview messages. */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { parseWebviewMessage, PROTOCOL_VERSION, type HostMessage, type WebviewMessage } from '../../protocol';
import type { RunRecord } from '../../run/record';
import type { RunHistory, StoredRun } from '../../run/history';
import type { PortaServices } from '../services';
import { createNonce, dashboardHtml } from './html';
import { LogTail } from './log-tail';
import { readinessFromFindings } from './readiness';
import { BACKENDS } from '../../core/targets';

export const DASHBOARD_VIEW_TYPE = 'porta.dashboard';
const LOG_POLL_MS = 1000;
/** The most of a log the tail reads per poll. */
const LOG_TAIL_BYTES = 1 << 20;
const ACTIVE = new Set(['queued', 'running']);

/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const historyModule = (): typeof import('../../run/history') => require('../../run/history');

/** Drops host-only bookkeeping (pids, hosts) before a record crosses into the webview. */
function toRecord(stored: StoredRun): RunRecord {
  const { runtime: _runtime, ...record } = stored;
  void _runtime;
  return record;
}

function workspaceFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // Only the bundle and the stylesheet; no retainContextWhenHidden: state comes back through getState/setState.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    enableFindWidget: true,
  };
}

export class DashboardPanel implements vscode.Disposable {
  private static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private history: RunHistory | undefined;
  private watcher: { dispose(): void } | undefined;
  private logTimer: ReturnType<typeof setInterval> | undefined;
  /** What to show once the webview is ready (a run, or runs to compare). */
  private pendingFocus: HostMessage | undefined;
  private readinessTimer: ReturnType<typeof setTimeout> | undefined;

  /** Shows the dashboard, creating it if needed. */
  static show(extensionUri: vscode.Uri, services: PortaServices, focus?: HostMessage): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      if (focus) DashboardPanel.current.post(focus);
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Porta Dashboard', vscode.ViewColumn.Active, panelOptions(extensionUri));
    const dashboard = new DashboardPanel(panel, extensionUri, services);
    dashboard.pendingFocus = focus;
    return dashboard;
  }

  /** Restores a panel after a reload (WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: PortaServices): DashboardPanel {
    DashboardPanel.current?.dispose();
    return new DashboardPanel(panel, extensionUri, services);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly services: PortaServices,
  ) {
    DashboardPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.svg');
    panel.webview.options = panelOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      services.findings.onDidChange(() => this.readinessSoon()),
    );
  }

  private html(): string {
    const webview = this.panel.webview;
    return dashboardHtml({
      cspSource: webview.cspSource,
      nonce: createNonce((n) => randomBytes(n)),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'dashboard.css')).toString(),
    });
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** Every message from the webview is validated; anything malformed is logged and dropped. */
  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`dashboard: rejected a malformed webview message: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.services.log.error(`dashboard: ${parsed.message.type} failed: ${text}`);
      this.post({ type: 'notice', level: 'error', text });
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.sendInit();
      case 'refresh':
        return this.post({ type: 'runs', runs: await this.listRuns() });
      case 'refreshReadiness':
        await vscode.commands.executeCommand('porta.scanWorkspace');
        return this.post({ type: 'readiness', readiness: await this.readiness() });
      case 'cancelRun':
        await vscode.commands.executeCommand('porta.runs.cancel', message.runId);
        return this.post({ type: 'runs', runs: await this.listRuns() });
      case 'rerun':
        return this.rerun(message.runId);
      case 'watchLog':
        return this.watchLog(message.runId);
      case 'openLocation':
        return this.openLocation(message.path, message.line, message.column);
      case 'export':
        return this.export(message);
    }
  }

  private getHistory(): RunHistory | undefined {
    const folder = workspaceFolder();
    if (!folder) return undefined;
    if (!this.history || this.history.workspaceRoot !== folder.uri.fsPath) {
      this.watcher?.dispose();
      this.history = new (historyModule().RunHistory)(folder.uri.fsPath);
      this.watcher = this.history.watch((record) => this.post({ type: 'runUpdated', run: toRecord(record) }));
    }
    return this.history;
  }

  private async listRuns(): Promise<RunRecord[]> {
    const history = this.getHistory();
    return history ? (await history.list()).map(toRecord) : [];
  }

  private async sendInit(): Promise<void> {
    const folder = workspaceFolder();
    this.post({
      type: 'init',
      protocol: PROTOCOL_VERSION,
      workspaceName: folder?.name ?? 'no folder',
      runs: await this.listRuns(),
      readiness: await this.readiness(),
      readinessError: folder ? undefined : 'Open a folder to scan it.',
    });
    if (this.pendingFocus) {
      this.post(this.pendingFocus);
      this.pendingFocus = undefined;
    }
  }

  /** Findings of open files come from live diagnostics, whose fixes are resolved here so fixability matches porta scan. */
  private async readiness() {
    const files = await this.services.findings.allWithFixes();
    if (files.length === 0) return null;
    const folder = workspaceFolder();
    const targets = folder ? this.services.settings(folder.uri).targets : undefined;
    return readinessFromFindings(
      files.map((f) => ({ path: vscode.workspace.asRelativePath(f.uri, false), findings: f.findings })),
      targets && targets.length ? targets : BACKENDS,
      new Date().toISOString(),
    );
  }

  private readinessSoon(): void {
    if (this.readinessTimer) clearTimeout(this.readinessTimer);
    this.readinessTimer = setTimeout(() => {
      void this.readiness().then((readiness) => this.post({ type: 'readiness', readiness }));
    }, 500);
  }

  private async rerun(runId: string): Promise<void> {
    const record = await this.getHistory()?.get(runId);
    if (!record) throw new Error(`run ${runId} is not in the history`);
    if (record.kind !== 'script') {
      this.post({ type: 'notice', level: 'info', text: `Re-run a benchmark from the terminal: ${record.command.join(' ')}` });
      return;
    }
    this.post({ type: 'notice', level: 'info', text: `Re-running ${record.entry} on ${record.target}…` });
    await vscode.commands.executeCommand('porta.runs.rerun', runId);
  }

  /** Sends the log's last lines now and, while the run is active, what it appends. */
  private async watchLog(runId: string | null): Promise<void> {
    if (this.logTimer) clearInterval(this.logTimer);
    this.logTimer = undefined;
    const history = this.getHistory();
    if (!runId || !history) return;
    const tail = new LogTail();
    let offset = 0;
    const read = async (): Promise<boolean> => {
      // Only the end of what was appended is read: the tail shows the last lines, never a whole 200 MB log.
      const chunk = await history.readLog(runId, offset, LOG_TAIL_BYTES).catch(() => ({ text: '', size: offset }));
      if (chunk.size - offset > LOG_TAIL_BYTES) tail.gap();
      offset = chunk.size;
      tail.push(chunk.text);
      this.post({ type: 'logTail', runId, lines: tail.snapshot(), truncated: tail.dropped });
      const record = await history.get(runId);
      return !!record && ACTIVE.has(record.status);
    };
    if (!(await read())) return;
    let busy = false;
    this.logTimer = setInterval(() => {
      if (busy) return;
      busy = true;
      void read()
        .then((active) => {
          if (!active && this.logTimer) clearInterval(this.logTimer);
        })
        .finally(() => (busy = false));
    }, LOG_POLL_MS);
  }

  private async openLocation(relative: string, line: number, column: number): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const folder of folders) {
      const root = folder.uri.fsPath;
      const target = path.resolve(root, relative);
      if (target !== root && !target.startsWith(root + path.sep)) continue; // never leave the workspace
      const uri = vscode.Uri.file(target);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        continue;
      }
      const position = new vscode.Position(line - 1, column - 1);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
      return;
    }
    throw new Error(`${relative} is not in this workspace`);
  }

  private async export(message: Extract<WebviewMessage, { type: 'export' }>): Promise<void> {
    if (message.action === 'copy') {
      await vscode.env.clipboard.writeText(message.content);
      this.post({ type: 'notice', level: 'info', text: `Copied the comparison as ${message.format === 'markdown' ? 'a markdown table' : message.format.toUpperCase()}.` });
      return;
    }
    const folder = workspaceFolder();
    const filters: Record<string, string[]> = { markdown: { Markdown: ['md'] }, csv: { CSV: ['csv'] }, json: { JSON: ['json'] } }[message.format];
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder.uri, message.fileName) : undefined,
      filters,
      saveLabel: 'Export comparison',
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(message.content));
    this.post({ type: 'notice', level: 'info', text: `Saved ${vscode.workspace.asRelativePath(uri)}.` });
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    if (this.logTimer) clearInterval(this.logTimer);
    if (this.readinessTimer) clearTimeout(this.readinessTimer);
    this.watcher?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

import * as vscode from 'vscode';
import type { StoredRun } from '../../run/history';
import type { RunStatus } from '../../run/record';
import { runTooltipLines } from './tooltip';

const ICONS: Record<RunStatus, [string, string | undefined]> = {
  queued: ['clock', undefined],
  running: ['sync~spin', 'charts.blue'],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
  lost: ['debug-disconnect', 'list.warningForeground'],
};

export class RunItem extends vscode.TreeItem {
  constructor(readonly record: StoredRun) {
    super(record.entry || record.id, vscode.TreeItemCollapsibleState.None);
    const [icon, color] = ICONS[record.status];
    this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const backend = record.resolvedBackend && record.resolvedBackend !== record.backend ? `${record.backend}→${record.resolvedBackend}` : record.backend;
    this.description = `${record.target} · ${backend} · ${record.status}${typeof record.exitCode === 'number' && record.exitCode !== 0 ? ` (exit ${record.exitCode})` : ''}`;
    this.tooltip = new vscode.MarkdownString(runTooltipLines(record).join('  \n'));
    this.contextValue = `porta.run.${record.status === 'queued' || record.status === 'running' ? 'active' : 'done'}`;
    this.id = record.id;
    this.command = { command: 'porta.runs.openLog', title: 'Open Log', arguments: [this] };
  }
}

/** The Runs view: the run history of the first workspace folder, refreshed when any process writes a record. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly list: () => Promise<StoredRun[]>) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: RunItem): Promise<RunItem[]> {
    if (item) return [];
    return (await this.list()).slice(0, 200).map((record) => new RunItem(record));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

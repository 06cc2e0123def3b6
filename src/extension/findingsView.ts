import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import { BACKEND_LABELS, type Backend } from '../core/targets';
import type { FindingsStore } from './findingsStore';
import { toVsRange } from './textMap';

export type GroupBy = 'file' | 'rule' | 'target';

interface GroupNode {
  kind: 'group';
  id: string;
  label: string;
  description?: string;
  resourceUri?: vscode.Uri;
  items: LeafNode[];
}

interface LeafNode {
  kind: 'finding';
  uri: vscode.Uri;
  finding: Finding;
  /** What the group already says, so the leaf does not repeat it. */
  groupedBy: GroupBy;
}

type Node = GroupNode | LeafNode;

const NOT_OK = new Set(['shim', 'guarded', 'degraded', 'breaks']);

/** The Porta activity-bar view: findings grouped by file, rule or target, with counts. */
export class FindingsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private groupBy: GroupBy = 'file';
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: FindingsStore,
    private readonly targets: () => readonly Backend[],
    /** Whether a finding's rule has rewrites (live findings carry no fix until one is asked for). */
    private readonly ruleFixable: (ruleId: string) => boolean = () => false,
  ) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  get grouping(): GroupBy {
    return this.groupBy;
  }

  setGrouping(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    void vscode.commands.executeCommand('setContext', 'porta.groupBy', groupBy);
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (node) return node.kind === 'group' ? node.items : [];
    return this.groups();
  }

  /** The root groups, each with its findings (exported for tests through the extension API). */
  groups(): GroupNode[] {
    const groups = new Map<string, GroupNode>();
    const add = (id: string, make: () => Omit<GroupNode, 'items' | 'kind' | 'id'>, leaf: LeafNode) => {
      let g = groups.get(id);
      if (!g) {
        g = { kind: 'group', id, items: [], ...make() };
        groups.set(id, g);
      }
      g.items.push(leaf);
    };
    for (const file of this.store.all()) {
      for (const finding of file.findings) {
        const leaf: LeafNode = { kind: 'finding', uri: file.uri, finding, groupedBy: this.groupBy };
        if (this.groupBy === 'file') {
          add(file.uri.toString(), () => ({ label: vscode.workspace.asRelativePath(file.uri), resourceUri: file.uri }), leaf);
        } else if (this.groupBy === 'rule') {
          add(finding.rule, () => ({ label: finding.rule }), leaf);
        } else {
          for (const target of this.targets()) {
            const verdict = finding.targets[target];
            if (NOT_OK.has(verdict)) add(target, () => ({ label: BACKEND_LABELS[target] }), leaf);
          }
        }
      }
    }
    const sorted = [...groups.values()].sort((a, b) => b.items.length - a.items.length || a.label.localeCompare(b.label));
    for (const g of sorted) {
      g.items.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.finding.range.start.line - b.finding.range.start.line);
      g.description = `${g.items.length}`;
    }
    return sorted;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${this.groupBy}:${node.id}`;
      item.description = node.description;
      item.resourceUri = node.resourceUri;
      item.iconPath = node.resourceUri ? vscode.ThemeIcon.File : new vscode.ThemeIcon(this.groupBy === 'rule' ? 'law' : 'server-environment');
      item.contextValue = 'porta.group';
      return item;
    }
    const { finding, uri } = node;
    const label = node.groupedBy === 'rule' ? finding.message : `${finding.rule}  ${finding.message}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    const where = node.groupedBy === 'file' ? '' : `${vscode.workspace.asRelativePath(uri)}:`;
    item.description = `${where}${finding.range.start.line}`;
    item.tooltip = `${finding.rule}: ${finding.message}`;
    item.iconPath = new vscode.ThemeIcon(finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info');
    item.contextValue = finding.fix || this.ruleFixable(finding.rule) ? 'porta.finding.fixable' : 'porta.finding';
    item.command = {
      command: 'vscode.open',
      title: 'Open',
      arguments: [uri, { selection: finding.cell === undefined && !uri.path.endsWith('.ipynb') ? toVsRange(finding.range) : undefined }],
    };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

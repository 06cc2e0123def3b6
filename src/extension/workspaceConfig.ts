import * as vscode from 'vscode';
import type { ResolvedConfig } from '../core/config';
import type { Severity } from '../core/model';
import type { Logger } from './logging';
import { cachedSettings, type PortaSettings } from './settings';

/**
 * porta.toml + settings, combined predictably: a `porta.*` setting the user set (user, workspace or
 * folder scope) replaces the porta.toml value of the same key; `exclude` lists are combined; severity
 * overrides merge rule by rule with the setting winning. Unset settings leave porta.toml alone.
 */
export function mergeConfig(base: ResolvedConfig, settings: PortaSettings): ResolvedConfig {
  const severity: Record<string, Severity> = { ...base.severity };
  for (const [rule, level] of Object.entries(settings.severity)) if (level !== 'off') severity[rule] = level;
  return {
    ...base,
    targets: settings.explicit.has('targets') && settings.targets.length > 0 ? settings.targets : base.targets,
    select: settings.explicit.has('select') ? settings.select : base.select,
    ignore: settings.explicit.has('ignore') ? settings.ignore : base.ignore,
    severity,
    exclude: [...new Set([...base.exclude, ...settings.exclude])],
  };
}

/** Loads porta.toml / pyproject.toml per workspace folder (cached, reloaded when they change). */
export class WorkspaceConfigs implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ResolvedConfig>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly reported = new Set<string>();

  constructor(private readonly log: Logger) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/{porta.toml,pyproject.toml}');
    const reload = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
    this.watcher.onDidDelete(reload);
  }

  /** Folder -> the torch version declared nearest it (see src/workspace/torchVersion.ts); emptied when a manifest changes. */
  private readonly torchVersions = new Map<string, string | undefined>();
  private manifestWatcher: vscode.FileSystemWatcher | undefined;

  /**
   * The torch version a project declares for a file, as `porta fix` reads it (requirements*.txt, pyproject.toml,
   * environment.yml nearest it). Cached per folder: quick fixes and notebook analyses ask often.
   */
  torchVersionFor(uri: vscode.Uri): Promise<string | undefined> {
    if (uri.scheme !== 'file') return Promise.resolve(undefined);
    if (!this.manifestWatcher) {
      // Created on first use, not at activation.
      this.manifestWatcher = vscode.workspace.createFileSystemWatcher('**/{requirements*.txt,pyproject.toml,environment.yml,environment.yaml}');
      const forget = () => this.torchVersions.clear();
      this.manifestWatcher.onDidChange(forget);
      this.manifestWatcher.onDidCreate(forget);
      this.manifestWatcher.onDidDelete(forget);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { declaredTorchVersion } = require('../workspace/torchVersion') as typeof import('../workspace/torchVersion');
    return declaredTorchVersion(uri.fsPath, this.torchVersions);
  }

  /** The configuration that applies to a file: its folder's porta.toml merged with settings. */
  async forUri(uri: vscode.Uri): Promise<ResolvedConfig> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const base = folder ? await this.forFolder(folder) : await defaults();
    return mergeConfig(base, cachedSettings(uri));
  }

  private forFolder(folder: vscode.WorkspaceFolder): Promise<ResolvedConfig> {
    const key = folder.uri.toString();
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.load(folder);
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async load(folder: vscode.WorkspaceFolder): Promise<ResolvedConfig> {
    if (folder.uri.scheme !== 'file') return defaults(); // virtual workspaces: settings only
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadConfig } = require('../workspace/config') as typeof import('../workspace/config');
      const { config, file } = await loadConfig(folder.uri.fsPath);
      if (file) this.log.info(`configuration: ${file}`);
      return config;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`configuration ignored: ${message}`);
      if (!this.reported.has(message)) {
        this.reported.add(message);
        void vscode.window.showWarningMessage(`Porta: ${message} — using defaults until it is fixed.`);
      }
      return defaults();
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.manifestWatcher?.dispose();
    this.changed.dispose();
  }
}

async function defaults(): Promise<ResolvedConfig> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DEFAULT_CONFIG } = require('../core/config') as typeof import('../core/config');
  return DEFAULT_CONFIG;
}

import * as vscode from 'vscode';
import type { Severity } from '../core/model';
import { type Backend, isBackend } from '../core/targets';

export type RunOn = 'type' | 'save';
export type LogLevelSetting = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The `porta.*` settings, validated. Settings override porta.toml key by key (see README "Configuration"). */
export interface PortaSettings {
  enable: boolean;
  /** Backends the user cares about; the language status shows the first as the active target. */
  targets: Backend[];
  select: string[];
  ignore: string[];
  /** Rule id (or id prefix such as "PT-DEV") → severity, or "off" to hide it. */
  severity: Record<string, Severity | 'off'>;
  exclude: string[];
  runOn: RunOn;
  debounceMs: number;
  logLevel: LogLevelSetting;
  /** Whether "fix all" and fix-on-save also apply unsafe fixes. */
  unsafeFixes: boolean;
  /** Keys the user set (any scope): only these override porta.toml. */
  explicit: ReadonlySet<string>;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isSet(inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown; globalValue?: unknown } | undefined): boolean {
  return inspected !== undefined && [inspected.workspaceFolderValue, inspected.workspaceValue, inspected.globalValue].some((v) => v !== undefined);
}

/** Reads settings for a resource (folder-level settings win in multi-root workspaces). */
export function readSettings(scope?: vscode.ConfigurationScope): PortaSettings {
  const c = vscode.workspace.getConfiguration('porta', scope);
  const targets = stringList(c.get('targets')).filter(isBackend);
  const severity: Record<string, Severity | 'off'> = {};
  const rawSeverity = c.get<Record<string, unknown>>('severity') ?? {};
  for (const [rule, level] of Object.entries(rawSeverity)) {
    if (typeof level === 'string' && SEVERITIES.has(level)) severity[rule] = level as Severity | 'off';
  }
  return {
    enable: c.get<boolean>('enable') ?? true,
    targets,
    select: stringList(c.get('select')),
    ignore: stringList(c.get('ignore')),
    severity,
    exclude: stringList(c.get('exclude')),
    runOn: c.get<string>('runOn') === 'save' ? 'save' : 'type',
    debounceMs: Math.max(0, c.get<number>('debounceMs') ?? 250),
    logLevel: (c.get<string>('logLevel') as LogLevelSetting | undefined) ?? 'info',
    unsafeFixes: c.get<boolean>('unsafeFixes') ?? false,
    explicit: new Set(['targets', 'select', 'ignore', 'severity', 'exclude'].filter((key) => isSet(c.inspect(key)))),
  };
}

/** The severity a rule gets after overrides: exact id first, then the longest matching prefix. */
export function severityFor(rule: string, base: Severity, overrides: Record<string, Severity | 'off'>): Severity | 'off' {
  if (overrides[rule]) return overrides[rule];
  let best: string | undefined;
  for (const key of Object.keys(overrides)) {
    if (rule.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  return best ? overrides[best] : base;
}

/** Ruff-style selection: a rule is on when it matches select (or select is empty) and no ignore prefix. */
export function ruleEnabled(rule: string, select: string[], ignore: string[]): boolean {
  const selected = select.length === 0 || select.some((p) => rule.startsWith(p));
  return selected && !ignore.some((p) => rule.startsWith(p));
}

const cache = new Map<string, PortaSettings>();

function cacheKey(scope: vscode.ConfigurationScope | undefined): string {
  if (!scope) return '';
  const uri = scope instanceof vscode.Uri ? scope : 'uri' in scope ? scope.uri : undefined;
  if (!uri) return '';
  // porta.* settings do not vary by language, only by folder: one entry per workspace folder.
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? uri.toString();
}

/** readSettings, cached per workspace folder until the next `porta.*` change (it is read on every keystroke). */
export function cachedSettings(scope?: vscode.ConfigurationScope): PortaSettings {
  const key = cacheKey(scope);
  let settings = cache.get(key);
  if (!settings) {
    settings = readSettings(scope);
    cache.set(key, settings);
  }
  return settings;
}

export function invalidateSettings(): void {
  cache.clear();
}

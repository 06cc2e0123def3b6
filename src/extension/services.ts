import type * as vscode from 'vscode';
import type { ResolvedConfig } from '../core/config';
import type { TrustGate } from './trust';
import type { Logger } from './logging';
import type { PortaSettings } from './settings';
import type { FindingsStore } from './findingsStore';
import type { AnalyzerHost } from './analyzerHost';

/**
 * What activate() hands every feature's `register...(context, services)`.
 * Everything here is cheap to create: nothing loads tree-sitter or ONNX Runtime until used.
 */
export interface PortaServices {
  /** The "Porta" log (a LogOutputChannel), filtered by porta.logLevel. */
  log: Logger;
  /** An output channel coloured by the run-log grammar (language `porta-log`), e.g. one per run. Dispose it yourself. */
  createRunOutput(name: string): vscode.OutputChannel;
  /** Guard for anything that executes code: `if (!services.trust.requireTrust('Run on target')) return;` */
  trust: TrustGate;
  /** Current `porta.*` settings for a resource; re-read on every call (cheap). */
  settings(scope?: vscode.ConfigurationScope): PortaSettings;
  /** Fires when any `porta.*` setting changes. */
  onDidChangeSettings: vscode.Event<void>;
  /** porta.toml (or [tool.porta]) of the file's workspace folder merged with settings (settings win; see README). */
  configFor(uri: vscode.Uri): Promise<ResolvedConfig>;
  /** The torch version the project declares nearest a file (what fixes write for), as `porta fix` reads it. */
  torchVersionFor(uri: vscode.Uri): Promise<string | undefined>;
  /** Fires when a porta.toml / pyproject.toml changes. */
  onDidChangeConfig: vscode.Event<void>;
  /** Findings from live diagnostics and workspace scans, per file. Read-only for other features. */
  findings: FindingsStore;
  /** The lazily loaded analyzer (first call loads tree-sitter). */
  analyzer: AnalyzerHost;
}

/** Builds the services object; cheap (no analyzer, no file reads). */
export function createServices(context: vscode.ExtensionContext): PortaServices {
  // Runtime imports kept local so that this file stays mostly types for the feature modules that import it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const vs = require('vscode') as typeof vscode;
  const { createLogger, LOG_LANGUAGE } = require('./logging') as typeof import('./logging');
  const { cachedSettings, invalidateSettings } = require('./settings') as typeof import('./settings');
  const { createTrustGate } = require('./trust') as typeof import('./trust');
  const { FindingsStore } = require('./findingsStore') as typeof import('./findingsStore');
  const { AnalyzerHost } = require('./analyzerHost') as typeof import('./analyzerHost');
  const { WorkspaceConfigs } = require('./workspaceConfig') as typeof import('./workspaceConfig');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const log = createLogger('Porta', () => cachedSettings().logLevel);
  const settingsChanged = new vs.EventEmitter<void>();
  const findings = new FindingsStore();
  const configs = new WorkspaceConfigs(log);
  const analyzer = new AnalyzerHost(context.extensionUri, log);
  context.subscriptions.push(
    analyzer,
    log.channel,
    settingsChanged,
    findings,
    configs,
    vs.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('porta')) return;
      invalidateSettings();
      settingsChanged.fire();
    }),
  );
  return {
    log,
    createRunOutput: (name) => vs.window.createOutputChannel(name, LOG_LANGUAGE),
    trust: createTrustGate(log),
    settings: (scope) => cachedSettings(scope),
    onDidChangeSettings: settingsChanged.event,
    configFor: (uri) => configs.forUri(uri),
    torchVersionFor: (uri) => configs.torchVersionFor(uri),
    onDidChangeConfig: configs.onDidChange,
    findings,
    analyzer,
  };
}

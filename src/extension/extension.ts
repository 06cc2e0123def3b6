import * as vscode from 'vscode';
import { createServices, type PortaServices } from './services';
import { registerEditorFeatures, type EditorFeatures } from './editorFeatures';
import { registerRuns } from './runs';
import { registerDashboard } from './dashboard';
import { registerDoctor } from './doctor';
import { registerBench } from './bench';

/** Taken when the host loads the bundle, so activationMs covers module evaluation plus activate(). */
const loadedAt = performance.now();

/** What activate() returns to other extensions and to the integration tests. */
export interface PortaApi {
  /** Milliseconds from loading the bundle to the end of activate(). */
  readonly activationMs: number;
  /** Milliseconds spent inside activate() alone (what Porta's own code costs; the rest is the host). */
  readonly activateMs: number;
  readonly services: PortaServices;
  readonly editor: EditorFeatures;
}

/**
 * Composes the extension. It registers and returns: no parsing, no I/O, no ONNX Runtime (see ARCHITECTURE.md).
 * Each feature adds ONE line: `registerX(context, services);` (see docs/dev/extension.md).
 */
export function activate(context: vscode.ExtensionContext): PortaApi {
  const entered = performance.now();
  const services = createServices(context);
  const editor = registerEditorFeatures(context, services);
  // Feature registrations (runs, bench, dashboard) go below, one line each.
  registerRuns(context, services);
  registerDashboard(context, services);
  registerDoctor(context, services);
  registerBench(context, services);

  const done = performance.now();
  const activationMs = done - loadedAt;
  services.log.info(`activated in ${activationMs.toFixed(1)} ms (activate() ${(done - entered).toFixed(1)} ms)`);
  return { activationMs, activateMs: done - entered, services, editor };
}

export function deactivate(): void {}

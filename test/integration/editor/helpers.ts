// Shared helpers for the editor integration tests (run inside the real extension host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PortaApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'porta-dev.porta';

/** A small Python file with three findings: PT-DEV-001 (.cuda()), PT-DEV-002 ("cuda:0"), PT-CUDA-002 (synchronize). */
export const DEVICE_PY = [
  'import torch',
  '',
  'model = torch.nn.Linear(4, 2)',
  'model = model.cuda()',
  'x = torch.randn(3, 4).to("cuda:0")',
  'torch.cuda.synchronize()',
  '',
].join('\n');


export async function porta(): Promise<PortaApi> {
  const extension = vscode.extensions.getExtension<PortaApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.isActive ? extension.exports : extension.activate();
}

export function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner opens the fixture workspace');
  return f;
}

/** Writes a file into the (temporary copy of the) fixture workspace. */
export async function writeFixture(relative: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder().uri, 'editor-fixtures', relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

export async function until<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function portaDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Porta');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Waits until the live analysis of `uri` covers the document's current version. */
export async function analysed(api: PortaApi, document: vscode.TextDocument, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  await until(() => api.editor.live.timing(document.uri)?.version === document.version, timeoutMs, `analysis of ${document.uri.path} v${document.version}`);
  return portaDiagnostics(document.uri);
}

/** Applies core edits (0-based offsets) to a text: the expected result of a fix, computed independently of the editor. */
export function applyCoreEdits(text: string, edits: readonly { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('porta').update(key, value, vscode.ConfigurationTarget.Workspace);
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

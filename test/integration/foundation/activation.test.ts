// The extension is installed in the host, activates when a Python file opens, and activation is cheap.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'porta-dev.porta';

interface PortaApi {
  readonly activationMs: number;
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens the fixture workspace');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('foundation: extension host', () => {
  it('has the Porta extension from the development folder', () => {
    const extension = vscode.extensions.getExtension<PortaApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    assert.equal(extension.packageJSON.name, 'porta');
    assert.ok(extension.packageJSON.activationEvents.includes('onLanguage:python'));
  });

  it('activates on a Python file and reports its activation time', async () => {
    const extension = vscode.extensions.getExtension<PortaApi>(EXTENSION_ID);
    assert.ok(extension);
    const document = await vscode.workspace.openTextDocument(workspaceFile('train.py'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'python');

    await until(() => (extension.isActive ? true : undefined), 20_000, 'the extension to activate');
    const api = extension.exports;
    assert.ok(api, 'activate() returns the API object');
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `activationMs = ${api.activationMs}`);
    console.log(`Porta activation time: ${api.activationMs.toFixed(2)} ms`);
  });

  it('registers its commands on activation', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('porta.showLogs'), 'porta.showLogs is registered');
    await vscode.commands.executeCommand('porta.showLogs');
  });
});

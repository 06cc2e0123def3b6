// porta.toml and settings together (settings win where set), and porta.runOn = save.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEVICE_PY, analysed, closeAll, codeOf, folder, porta, portaDiagnostics, setSetting, until, writeFixture } from './helpers';

describe('editor: configuration', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('porta.toml [scan] ignore applies live; a porta.ignore setting overrides it', async () => {
    const api = await porta();
    const toml = vscode.Uri.joinPath(folder().uri, 'porta.toml');
    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(toml));
    const uri = await writeFixture('toml.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const before = await analysed(api, document);
    assert.ok(before.some((d) => codeOf(d) === 'PT-CUDA-002'));
    try {
      const edited = original.replace('[scan]\n', '[scan]\nignore = ["PT-CUDA-002"]\n');
      assert.notEqual(edited, original, 'the fixture porta.toml has a [scan] table');
      await vscode.workspace.fs.writeFile(toml, new TextEncoder().encode(edited));
      await until(() => !portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-CUDA-002'), 20_000, 'porta.toml ignore to apply');
      assert.ok(portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-DEV-001'), 'other rules still report');

      await setSetting('ignore', []); // set explicitly (even empty): the setting replaces porta.toml's list
      await until(() => portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-CUDA-002'), 20_000, 'the setting to override porta.toml');
    } finally {
      await setSetting('ignore', undefined);
      await vscode.workspace.fs.writeFile(toml, new TextEncoder().encode(original));
    }
  });

  it('porta.runOn = save analyses on save, not while typing', async () => {
    const api = await porta();
    const uri = await writeFixture('runon.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    await analysed(api, document);
    await setSetting('runOn', 'save');
    try {
      const line = document.getText().split('\n').findIndex((l) => l.includes('torch.cuda.synchronize()'));
      await editor.edit((b) => b.delete(document.lineAt(line).rangeIncludingLineBreak));
      await new Promise((r) => setTimeout(r, api.services.settings(uri).debounceMs + 500));
      assert.ok(portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-CUDA-002'), 'typing did not re-analyse');
      await document.save();
      await until(() => !portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-CUDA-002'), 20_000, 'analysis on save');
    } finally {
      await setSetting('runOn', undefined);
    }
  });
});

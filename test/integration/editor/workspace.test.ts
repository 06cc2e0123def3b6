// The Porta view, workspace scan (excludes), Port Workspace's edit, language status, workspace trust.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, folder, porta, setSetting, until, writeFixture } from './helpers';
import { createTrustGate, untrustedReason } from '../../../src/extension/trust';
import { buildPortEdit } from '../../../src/extension/portCommand';
import { scanWorkspaceFolders } from '../../../src/extension/scanCommand';

describe('editor: workspace features', function () {
  this.timeout(120_000);
  afterEach(closeAll);

  it('Scan Workspace fills the Porta view (by file, rule and target) and honours excludes', async () => {
    const api = await porta();
    await writeFixture('scan/excluded/skip.py', 'import torch\nx = torch.zeros(1).cuda()\n');
    await writeFixture('scan/kept.py', 'import torch\ntorch.cuda.synchronize()\n');
    await setSetting('exclude', ['editor-fixtures/scan/excluded/**']);
    try {
      const results = await vscode.commands.executeCommand<unknown[]>('porta.scanWorkspace');
      assert.ok(Array.isArray(results) && results.length === 1, 'one scan per folder');
      const files = api.services.findings.all().map((f) => vscode.workspace.asRelativePath(f.uri));
      assert.ok(files.includes('train.py'), files.join(', '));
      assert.ok(files.includes('editor-fixtures/scan/kept.py'), files.join(', '));
      assert.ok(!files.includes('editor-fixtures/scan/excluded/skip.py'), 'excluded file not scanned');

      const view = api.editor.view;
      await until(() => view.groups().length > 0 || undefined, 5000, 'the view to fill');
      const byFile = view.groups();
      const train = byFile.find((g) => g.label === 'train.py');
      assert.ok(train && Number(train.description) === train.items.length && train.items.length > 0);
      view.setGrouping('rule');
      const byRule = view.groups();
      assert.ok(byRule.some((g) => g.label === 'PT-CUDA-002'), byRule.map((g) => g.label).join(', '));
      view.setGrouping('target');
      assert.ok(view.groups().length > 0, 'findings that break or degrade on some target');
      view.setGrouping('file');
      console.log(`editor: scan found ${api.services.findings.total()} findings in ${files.length} files`);
    } finally {
      await setSetting('exclude', undefined);
    }
  });

  it('a cancelled scan returns nothing and keeps the previous results', async () => {
    const api = await porta();
    const before = api.services.findings.total();
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const result = await scanWorkspaceFolders(api.services, source.token);
    assert.equal(result, undefined);
    assert.equal(api.services.findings.total(), before);
  });

  it('Port Workspace builds one confirmable edit across files for the chosen target', async () => {
    const api = await porta();
    const train = vscode.Uri.joinPath(folder().uri, 'train.py');
    const { edit, fixes, files } = await buildPortEdit(api.services, 'rocm', [train]);
    assert.ok(fixes > 0 && files === 1, `fixes=${fixes} files=${files}`);
    assert.ok(edit.has(train));
    assert.ok(edit.size >= 1);
  });

  it('the language status item and the logs command work', async () => {
    await porta();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder().uri, 'train.py'));
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('porta.showLogs');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['porta.scanWorkspace', 'porta.portWorkspace', 'porta.fixAll', 'porta.groupBy']) assert.ok(commands.includes(id), id);
  });

  it('Restricted Mode: requireTrust refuses and says why; trusted workspaces pass', async () => {
    const api = await porta();
    const shown: string[] = [];
    const restricted = createTrustGate(api.services.log, () => false, (reason) => shown.push(reason));
    assert.equal(restricted.requireTrust('Run on target'), false);
    assert.deepEqual(shown, [untrustedReason('Run on target')]);
    assert.match(shown[0], /Restricted Mode/);
    const trusted = createTrustGate(api.services.log, () => true, (reason) => shown.push(reason));
    assert.equal(trusted.requireTrust('Run on target'), true);
    assert.equal(shown.length, 1);
    // The runner opens a trusted workspace; the real gate follows VS Code's state.
    assert.equal(api.services.trust.isTrusted(), vscode.workspace.isTrusted);
  });
});

// Live diagnostics in the real extension host: ranges, codes, docs links, settings, close, notebooks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEVICE_PY, analysed, closeAll, codeOf, porta, portaDiagnostics, setSetting, until, writeFixture } from './helpers';


function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `fixture has ${needle}`);
  return line;
}

describe('editor: live diagnostics', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('shows findings for a Python file with the right ranges, codes and docs links', async () => {
    const api = await porta();
    const uri = await writeFixture('device.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await analysed(api, document);
    const codes = diagnostics.map(codeOf);
    assert.ok(codes.includes('PT-DEV-001'), `PT-DEV-001 in ${codes.join(', ')}`);
    assert.ok(codes.includes('PT-CUDA-002'), `PT-CUDA-002 in ${codes.join(', ')}`);

    const dev1 = diagnostics.find((d) => codeOf(d) === 'PT-DEV-001')!;
    const line = lineOf(DEVICE_PY, 'model.cuda()');
    assert.equal(dev1.range.start.line, line);
    assert.equal(dev1.range.start.character, DEVICE_PY.split('\n')[line].indexOf('model.cuda()'));
    assert.equal(document.getText(dev1.range), 'model.cuda()');

    const sync = diagnostics.find((d) => codeOf(d) === 'PT-CUDA-002')!;
    assert.equal(sync.range.start.line, lineOf(DEVICE_PY, 'torch.cuda.synchronize()'));
    assert.ok(document.getText(sync.range).startsWith('torch.cuda.synchronize'), document.getText(sync.range));

    assert.equal(typeof dev1.code, 'object');
    const target = (dev1.code as { target: vscode.Uri }).target;
    assert.ok(target.path.endsWith('/docs/rules/PT-DEV-001.md'), target.toString());
    assert.ok(dev1.message.length > 0);
    console.log(`editor: ${diagnostics.length} diagnostics on device.py: ${codes.join(', ')}`);
  });

  it('updates on edit and clears diagnostics when the file closes', async () => {
    const api = await porta();
    const uri = await writeFixture('edit.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const before = await analysed(api, document);
    const line = lineOf(DEVICE_PY, 'torch.cuda.synchronize()');
    await editor.edit((b) => b.delete(document.lineAt(line).rangeIncludingLineBreak));
    const after = await analysed(api, document);
    assert.equal(after.filter((d) => codeOf(d) === 'PT-CUDA-002').length, 0, 'the deleted line no longer reports');
    assert.equal(after.length, before.length - 1);
    assert.equal(api.editor.live.timing(document.uri)?.incremental, true, 'the edit re-parsed incrementally');

    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until(() => portaDiagnostics(uri).length === 0, 10_000, 'diagnostics to clear on close');
  });

  it('re-analyses when settings change (ignore, severity) and honours porta.enable', async () => {
    const api = await porta();
    const uri = await writeFixture('settings.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await analysed(api, document);
    try {
      await setSetting('ignore', ['PT-DEV-001']);
      await until(() => !portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-DEV-001'), 10_000, 'PT-DEV-001 to disappear');
      await setSetting('ignore', undefined);
      await setSetting('severity', { 'PT-CUDA': 'error' });
      await until(
        () => portaDiagnostics(uri).find((d) => codeOf(d) === 'PT-CUDA-002')?.severity === vscode.DiagnosticSeverity.Error,
        10_000,
        'PT-CUDA-002 to become an error',
      );
      assert.ok(portaDiagnostics(uri).some((d) => codeOf(d) === 'PT-DEV-001'), 'PT-DEV-001 back after un-ignoring');
      await setSetting('enable', false);
      await until(() => portaDiagnostics(uri).length === 0, 10_000, 'diagnostics to clear when disabled');
    } finally {
      await setSetting('ignore', undefined);
      await setSetting('severity', undefined);
      await setSetting('enable', undefined);
    }
    await until(() => portaDiagnostics(uri).length > 0, 10_000, 'diagnostics to come back when re-enabled');
  });

  it('analyses requirements files and Dockerfiles', async () => {
    const api = await porta();
    const req = await writeFixture('requirements.txt', 'torch==2.4.1+cu121\nnumpy\ncupy-cuda12x\n');
    const docker = await writeFixture('Dockerfile', 'FROM nvidia/cuda:12.1.0-runtime-ubuntu22.04\nRUN pip install torch\n');
    for (const uri of [req, docker]) {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const diagnostics = await analysed(api, document);
      assert.ok(diagnostics.length > 0, `${uri.path}: ${diagnostics.map(codeOf).join(', ')}`);
      console.log(`editor: ${uri.path.split('/').pop()} → ${diagnostics.map(codeOf).join(', ')}`);
    }
  });

  it('shows findings per notebook cell', async () => {
    const api = await porta();
    const cells = [
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import torch', 'python'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# Train', 'markdown'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'x = torch.zeros(2)\nx = x.cuda()', 'python'),
    ];
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData(cells));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(2).document;
    const diagnostics = await until(() => {
      const d = portaDiagnostics(cell.uri);
      return d.length > 0 ? d : undefined;
    }, 20_000, 'diagnostics on the notebook cell');
    const dev1 = diagnostics.find((d) => codeOf(d) === 'PT-DEV-001');
    assert.ok(dev1, diagnostics.map(codeOf).join(', '));
    assert.equal(dev1.range.start.line, 1, 'cell-relative line');
    assert.equal(cell.getText(dev1.range), 'x.cuda()');
    assert.equal(portaDiagnostics(notebook.cellAt(0).document.uri).length, 0);
    assert.ok(api.services.findings.get(notebook.uri));

    // The quick fix maps the core's edits (offsets into the joined cells) back onto the cells.
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', cell.uri, dev1.range)) ?? [];
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix?.edit, `a preferred fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(!cell.getText().includes('x.cuda()'), cell.getText());
    await until(() => !portaDiagnostics(cell.uri).some((d) => codeOf(d) === 'PT-DEV-001') || undefined, 20_000, 'the fixed cell to lose PT-DEV-001');
    console.log(`editor: notebook quick fix "${fix.title}": cell 3 is now ${JSON.stringify(cell.getText())}`);
  });

  it('"Fix all" in a notebook writes what porta fix writes into the .ipynb (magics kept, every pass, dead imports gone)', async () => {
    await porta();
    const sources = [
      '%matplotlib inline\nimport torch\nfrom torch.cuda.amp import autocast',
      'model = torch.nn.Linear(4, 2).cuda()\n!nvidia-smi',
      'with torch.autocast("cuda", dtype=torch.float16):\n    y = model(torch.randn(3, 4).cuda())\nwith autocast():\n    z = model(torch.randn(3, 4, device="cuda"))',
    ];
    const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData(
      sources.map((source) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'python')),
    ));
    await vscode.window.showNotebookDocument(notebook);
    const last = notebook.cellAt(2).document;
    await until(() => portaDiagnostics(last.uri).length > 0 || undefined, 20_000, 'diagnostics on the notebook');
    const { fixText } = await import('../../../src/core/fix');
    const ipynb = JSON.stringify({ cells: sources.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })), metadata: {}, nbformat: 4, nbformat_minor: 5 });
    const ported = await fixText('nb.ipynb', ipynb, { target: 'auto', unsafe: false });
    assert.equal(ported.error, undefined);
    const expected = (JSON.parse(ported.text) as { cells: { source: string[] | string }[] }).cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    assert.ok(await vscode.commands.executeCommand('porta.fixAll', last.uri));
    assert.deepEqual(notebook.getCells().map((c) => c.document.getText()), expected);
    assert.match(expected[0]!, /^%matplotlib inline\n/);
    assert.doesNotMatch(expected.join('\n'), /from torch\.cuda\.amp import|\.cuda\(\)/);
    console.log(`editor: notebook Fix all = porta fix (${ported.applied.length} fixes in ${ported.passes} passes)`);
  });
});

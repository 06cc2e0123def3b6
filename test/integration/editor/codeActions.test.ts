// Quick fixes, "disable for this line", source.fixAll.porta (also through editor.codeActionsOnSave), hovers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEVICE_PY, analysed, applyCoreEdits, closeAll, codeOf, porta, portaDiagnostics, until, writeFixture } from './helpers';

async function actionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
}

describe('editor: code actions and hovers', function () {
  this.timeout(60_000);
  afterEach(closeAll);

  it('offers the finding’s fix (preferred when safe) and applying it gives the core’s rewrite', async () => {
    const api = await porta();
    const uri = await writeFixture('quickfix.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await analysed(api, document);
    // Typing publishes diagnostics without fixes; fixes are computed when asked for.
    assert.ok(api.editor.live.locatedFor(uri).every((l) => !l.finding.fix), 'live diagnostics carry no fixes');
    const withFixes = await api.editor.live.fixesFor(document);
    const fixable = withFixes.find((l) => l.finding.fix && l.finding.fix.edits.length > 0);
    assert.ok(fixable, `a fixable finding among ${withFixes.map((l) => l.finding.rule).join(', ')}`);
    // Reports (the dashboard's Readiness) see the same findings with their fixes, as porta scan would.
    const reported = (await api.services.findings.allWithFixes()).find((f) => f.uri.toString() === uri.toString());
    assert.deepEqual(reported?.findings, withFixes.map((l) => l.finding));
    const fix = fixable.finding.fix!;
    const expected = applyCoreEdits(DEVICE_PY, fix.edits);

    const actions = await actionsAt(uri, fixable.diagnostic.range);
    const titles = actions.map((a) => a.title);
    const action = actions.find((a) => a.title === (fix.safe ? fix.title : `${fix.title} (unsafe)`));
    assert.ok(action, `fix action among ${titles.join(' | ')}`);
    assert.equal(action.isPreferred ?? false, fix.safe);
    assert.ok(titles.includes(`Disable ${fixable.finding.rule} for this line`), titles.join(' | '));
    // "Fix all" is listed too; it runs porta.fixAll on this file, which computes the edit when chosen.
    const fixAll = actions.find((a) => a.title === 'Fix all Porta issues in this file');
    assert.equal(fixAll?.command?.command, 'porta.fixAll', titles.join(' | '));
    assert.equal(String(fixAll.command.arguments?.[0]), uri.toString());
    assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
    assert.equal(document.getText(), expected);
    console.log(`editor: quick fix "${action.title}" (${fixable.finding.rule}) applied`);
  });

  it('"Disable RULE for this line" writes the suppression comment and the finding goes away', async () => {
    const api = await porta();
    const uri = await writeFixture('suppress.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await analysed(api, document);
    const dev1 = diagnostics.find((d) => codeOf(d) === 'PT-DEV-001');
    assert.ok(dev1);
    const action = (await actionsAt(uri, dev1.range)).find((a) => a.title === 'Disable PT-DEV-001 for this line');
    assert.ok(action?.edit);
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    assert.equal(document.lineAt(dev1.range.start.line).text, 'model = model.cuda()  # porta: ignore[PT-DEV-001]');
    const after = await analysed(api, document);
    assert.ok(!after.some((d) => codeOf(d) === 'PT-DEV-001'), after.map(codeOf).join(', '));
    assert.ok(after.some((d) => codeOf(d) === 'PT-CUDA-002'), 'other rules still report');
  });

  it('source.fixAll.porta applies every safe fix (what porta fix writes), also on save through editor.codeActionsOnSave', async () => {
    const api = await porta();
    const uri = await writeFixture('fixall.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await analysed(api, document);
    const { fixText } = await import('../../../src/core/fix');
    const ported = await fixText('fixall.py', DEVICE_PY, { target: 'auto', unsafe: false });
    const safe = ported.applied;
    assert.ok(safe.length > 0 && ported.changed, 'porta fix changes the file');
    const expected = ported.text;

    const actions = await actionsAt(uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.porta');
    assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
    assert.equal(actions[0].kind?.value, 'source.fixAll.porta');

    // The real fix-on-save path: the workbench runs source.fixAll.porta before writing the file.
    // The web workbench auto-saves after a second by default, and an auto-save racing the explicit one skips the
    // "explicit" code actions now and then: save as a user pressing Ctrl+S with auto-save off.
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
    const config = vscode.workspace.getConfiguration('editor', { languageId: 'python' });
    await config.update('codeActionsOnSave', { 'source.fixAll.porta': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    // The workbench must see the setting before the save (it reloads the settings file on its own schedule).
    await until(
      () => (vscode.workspace.getConfiguration('editor', { languageId: 'python' }).get<Record<string, string>>('codeActionsOnSave') ?? {})['source.fixAll.porta'] === 'explicit' || undefined,
      10_000,
      'the codeActionsOnSave setting to apply',
    );
    try {
      const editor = vscode.window.activeTextEditor!;
      await editor.edit((b) => b.insert(new vscode.Position(document.lineCount - 1, 0), '\n'));
      await document.save();
      await until(() => document.getText() === expected + '\n' || undefined, 10_000, 'the saved text to carry the fixes').catch((error: Error) => {
        throw new Error(`${error.message}; version ${document.version}, dirty ${document.isDirty}; the document reads:\n${document.getText()}\nexpected:\n${expected}\n`);
      });
    } finally {
      await config.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const remaining = portaDiagnostics(uri).length;
    console.log(`editor: fix-on-save applied ${safe.length} fixes; ${remaining} findings remain`);
  });

  it('"Fix all" gives exactly porta fix: cascading rewrites, dead imports removed, and the torch version the project declares', async () => {
    const api = await porta();
    // The autocast dtype rewrite needs its device string ported first (a second pass); the torch.cuda.amp import
    // is dead afterwards; requirements.txt declares torch 2.6, so the device comes from torch.accelerator.
    const text = [
      'import torch',
      'from torch.cuda.amp import autocast',
      '',
      'model = torch.nn.Linear(4, 2).cuda()',
      'with torch.autocast("cuda", dtype=torch.float16):',
      '    y = model(torch.randn(3, 4).cuda())',
      'with autocast():',
      '    z = model(torch.randn(3, 4, device="cuda"))',
      'torch.cuda.synchronize()',
      '',
    ].join('\n');
    await writeFixture('declared/requirements.txt', 'torch>=2.6\n');
    const uri = await writeFixture('declared/fixall_loop.py', text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await analysed(api, document);
    const { fixText } = await import('../../../src/core/fix');
    const ported = await fixText('fixall_loop.py', text, { target: 'auto', torchVersion: '2.6', unsafe: false });
    assert.ok(ported.passes > 1, 'the example needs more than one pass');
    assert.match(ported.text, /torch\.accelerator\.current_accelerator\(\)/);
    assert.doesNotMatch(ported.text, /from torch\.cuda\.amp import/);
    assert.ok(await vscode.commands.executeCommand('porta.fixAll', uri));
    assert.equal(document.getText(), ported.text);
    // Fixing again changes nothing; the quick fixes of another file there write for torch 2.6 too.
    assert.equal(await vscode.commands.executeCommand('porta.fixAll', uri), false);
    const other = await writeFixture('declared/quick.py', DEVICE_PY);
    const otherDocument = await vscode.workspace.openTextDocument(other);
    await vscode.window.showTextDocument(otherDocument);
    await analysed(api, otherDocument);
    const quick = (await api.editor.live.fixesFor(otherDocument)).find((l) => l.finding.rule === 'PT-DEV-001')?.finding.fix;
    assert.ok(quick && quick.edits.some((e) => e.text.includes('torch.accelerator')), JSON.stringify(quick));
    console.log(`editor: Fix all = porta fix (${ported.applied.length} fixes in ${ported.passes} passes, torch 2.6 declared)`);
  });

  it('"Fix all" on a CR-only file gives the lines porta fix writes (VS Code reads each lone CR as a line break)', async () => {
    const api = await porta();
    const text = ['import torch', '', 'model = torch.nn.Linear(4, 2).cuda()', 'torch.cuda.synchronize()', ''].join('\r');
    const uri = await writeFixture('cr_only/fixall_cr.py', text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await analysed(api, document);
    const { fixText } = await import('../../../src/core/fix');
    const ported = await fixText('fixall_cr.py', text, { target: 'auto', unsafe: false });
    assert.ok(ported.changed && !ported.text.includes('\n'), 'porta fix keeps the file CR-only');
    assert.ok(await vscode.commands.executeCommand('porta.fixAll', uri));
    const lines = (s: string) => s.split(/\r\n|\r|\n/);
    assert.deepEqual(lines(document.getText()), lines(ported.text));
  });

  it('hover on a finding shows the per-target verdict table and what to do', async () => {
    const api = await porta();
    const uri = await writeFixture('hover.py', DEVICE_PY);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const dev1 = (await analysed(api, document)).find((d) => codeOf(d) === 'PT-DEV-001');
    assert.ok(dev1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, dev1.range.start.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /PT-DEV-001/);
    assert.match(text, /\| target \| verdict \|/);
    assert.match(text, /AMD ROCm/);
    assert.match(text, /Apple MPS/);
    assert.match(text, /What to do:/);
    // The hover asks for this spot's fix, though the live diagnostics carry none.
    assert.match(text, /available as a quick fix/);
  });

  it('hover on a CUDA-only package names what each target uses instead', async () => {
    const api = await porta();
    const uri = await writeFixture('hover_lib.py', 'from flash_attn import flash_attn_func\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lib = (await analysed(api, document)).find((d) => codeOf(d) === 'LIB-006');
    assert.ok(lib);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, lib.range.start.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Instead:/);
    assert.match(text, /npu\\_fusion\\_attention/);
  });
});

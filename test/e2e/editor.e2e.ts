// The editor experience through the UI, with the packaged VSIX: squiggles, hover, a quick fix through the
// lightbulb menu, and the Porta view after Scan Workspace. Screenshots go to test-results/screenshots/editor-*.
import * as assert from 'node:assert/strict';
import { activeEditor, openFile, runCommand, screenshot, startWorkbench, waitForLanguage, type Workbench } from './harness';

describe('editor e2e: diagnostics, hover, quick fix, Porta view', () => {
  let wb: Workbench;
  before(async () => (wb = await startWorkbench()));
  after(async () => wb?.close());

  it('underlines CUDA-only code in train.py', async () => {
    await openFile(wb.page, 'train.py');
    await waitForLanguage(wb.page, 'Python');
    const squiggles = activeEditor(wb.page).locator('.squiggly-warning, .squiggly-error, .squiggly-info');
    await squiggles.first().waitFor({ timeout: 60_000 });
    assert.ok((await squiggles.count()) > 0);
    console.log(`    ${await screenshot(wb.page, 'editor-01-squiggles')}`);
  });

  it('hover on a finding shows the per-target verdict table', async () => {
    const page = wb.page;
    const target = activeEditor(page).locator('.view-line').filter({ hasText: 'model = model.cuda()' }).first();
    const box = await target.boundingBox();
    assert.ok(box, 'the line with model.cuda() is visible');
    // Hover over ".cuda" (the call's middle); the line starts with 4 spaces of indentation.
    const charWidth = box.width / (await target.innerText()).length;
    await page.mouse.move(box.x + charWidth * 16, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'verdict' });
    await hover.first().waitFor({ timeout: 30_000 });
    const text = await hover.first().innerText();
    assert.match(text, /AMD ROCm/);
    assert.match(text, /PT-DEV-001/);
    console.log(`    ${await screenshot(page, 'editor-02-hover')}`);
    await page.keyboard.press('Escape');
  });

  it('applies "Disable PT-DEV-001 for this line" through the lightbulb menu', async () => {
    const page = wb.page;
    const line = activeEditor(page).locator('.view-line').filter({ hasText: 'model = model.cuda()' }).first();
    const box = await line.boundingBox();
    assert.ok(box);
    const charWidth = box.width / (await line.innerText()).length;
    await page.mouse.click(box.x + charWidth * 16, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 30_000 });
    const item = menu.locator('.monaco-list-row').filter({ hasText: 'Disable PT-DEV-001 for this line' }).first();
    await item.waitFor({ timeout: 15_000 });
    console.log(`    ${await screenshot(page, 'editor-03-lightbulb')}`);
    await item.click();
    await activeEditor(page).locator('.view-line').filter({ hasText: 'porta: ignore[PT-DEV-001]' }).first().waitFor({ timeout: 15_000 });
    console.log(`    ${await screenshot(page, 'editor-04-suppressed')}`);
  });

  it('Scan Workspace fills the Porta view', async () => {
    const page = wb.page;
    await runCommand(page, 'Porta: Scan Workspace');
    await runCommand(page, 'Porta: Focus on Findings View');
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Findings' }) });
    const row = view.locator('.monaco-list-row').filter({ hasText: 'train.py' }).first();
    await row.waitFor({ timeout: 60_000 });
    console.log(`    ${await screenshot(page, 'editor-05-porta-view')}`);
  });
});

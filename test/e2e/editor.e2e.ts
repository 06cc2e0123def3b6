// The editor experience through the UI, with the packaged VSIX: squiggles, hover, a quick fix through the
// lightbulb menu, and the Porta view after Scan Workspace. Screenshots go to test-results/screenshots/editor-*.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { activeEditor, openFile, runCommand, screenshot, startWorkbench, waitForLanguage, type Workbench } from './harness';

/** A point inside `model.cuda()` on its line (same-coloured tokens merge into one span, so aim at its end). */
async function cudaPoint(page: Page): Promise<{ x: number; y: number }> {
  const line = activeEditor(page).locator('.view-line').filter({ hasText: 'model = model.cuda()' }).first();
  const box = await line.locator('span > span').filter({ hasText: 'cuda' }).last().boundingBox();
  assert.ok(box, 'the span with .cuda is visible');
  return { x: box.x + box.width - 4, y: box.y + box.height / 2 };
}

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
    // The token "cuda" of `model = model.cuda()` (tokens are spans inside the line).
    const at = await cudaPoint(page);
    await page.mouse.move(at.x, at.y);
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
    const at = await cudaPoint(page);
    await page.mouse.click(at.x, at.y);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 30_000 });
    const wanted = 'Disable PT-DEV-001 for this line';
    await menu.locator('.monaco-list-row').filter({ hasText: wanted }).first().waitFor({ timeout: 15_000 });
    console.log(`    ${await screenshot(page, 'editor-03-lightbulb')}`);
    // The menu is keyboard-driven (a pointer block covers the editor): move the focus to the entry, then Enter.
    for (let i = 0; i < 10 && !((await menu.locator('.monaco-list-row.focused').first().innerText().catch(() => '')).includes(wanted)); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
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

  it('applies "Fix all Porta issues in this file" through the lightbulb (it runs porta.fixAll, which computes the edit)', async () => {
    const page = wb.page;
    await openFile(page, 'train.py');
    const line = activeEditor(page).locator('.view-line').filter({ hasText: 'torch.cuda.synchronize()' }).first();
    const box = await line.locator('span > span').filter({ hasText: 'synchronize' }).last().boundingBox();
    assert.ok(box, 'the synchronize call is visible');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 30_000 });
    const wanted = 'Fix all Porta issues in this file';
    await menu.locator('.monaco-list-row').filter({ hasText: wanted }).first().waitFor({ timeout: 15_000 });
    for (let i = 0; i < 10 && !((await menu.locator('.monaco-list-row.focused').first().innerText().catch(() => '')).includes(wanted)); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    // The whole file is ported: the device definition is inserted after the imports, the training loop uses it.
    const lines = activeEditor(page).locator('.view-line');
    await page.keyboard.press('Control+Home');
    await lines.filter({ hasText: 'DEVICE = _porta_pick_device()' }).first().waitFor({ timeout: 15_000 });
    console.log(`    ${await screenshot(page, 'editor-06-fixed-all')}`);
    await page.keyboard.press('Control+End');
    await lines.filter({ hasText: 'x.to(DEVICE, non_blocking=True)' }).first().waitFor({ timeout: 15_000 });
  });
});

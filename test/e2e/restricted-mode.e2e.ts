// Workspace trust through the UI (issues 5 and 7): code-server runs WITH workspace trust, the folder opens
// untrusted, we answer VS Code's trust dialog with "No", and the packaged extension must still analyse (squiggles)
// while refusing everything that executes code (runs, ONNX benchmarks) with a message that says why, writing no
// run record. Screenshots go to test-results/screenshots/restricted-*.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { activeEditor, openFile, paletteEntries, runCommand, screenshot, startWorkbench, waitForLanguage, type Workbench } from './harness';

/** VS Code 1.100's trust dialog for a folder ("Do you trust the authors of the files in this folder?"). */
function trustDialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box').filter({ hasText: /trust the authors/i });
}

/** Answers the trust dialog with "No, I don't trust the authors" (Restricted Mode). */
async function declineTrust(page: Page): Promise<void> {
  const dialog = trustDialog(page);
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  console.log(`    ${await screenshot(page, 'restricted-01-trust-dialog')}`);
  await dialog.getByRole('button', { name: /No, I don.t trust the authors/i }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** The notification toasts currently shown, as text. */
async function notificationTexts(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits for a toast containing `text` and returns its full text. */
async function waitForNotification(page: Page, text: RegExp): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForTimeout(500); // let the toast's fade-in finish so the screenshot shows it (not an assertion)
  return (await toast.innerText()).replace(/\s+/g, ' ').trim();
}

async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** Run records in the workspace copy's history (.porta/runs/*.json). */
function runRecords(workspace: string): string[] {
  const dir = path.join(workspace, '.porta', 'runs');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
}

describe('Restricted Mode e2e: analysis on, runs and benchmarks refused', () => {
  let wb: Workbench;
  before(async () => {
    wb = await startWorkbench({ trust: false });
    await declineTrust(wb.page);
  });
  after(async () => wb?.close());

  it('opens the folder in Restricted Mode', async () => {
    const page = wb.page;
    // After "No", VS Code shows the Restricted Mode banner (the status bar item alone shows while the dialog is open too).
    await page.locator('.part.banner').filter({ hasText: /Restricted Mode is intended for safe code browsing/ }).waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item').filter({ hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    console.log(`    ${await screenshot(page, 'restricted-02-restricted-mode')}`);
  });

  it('still underlines CUDA-only code in train.py (analysis needs no trust)', async () => {
    await openFile(wb.page, 'train.py');
    await waitForLanguage(wb.page, 'Python');
    const squiggles = activeEditor(wb.page).locator('.squiggly-warning, .squiggly-error, .squiggly-info');
    await squiggles.first().waitFor({ timeout: 60_000 });
    assert.ok((await squiggles.count()) > 0);
    console.log(`    ${await screenshot(wb.page, 'restricted-03-squiggles')}`);
  });

  it('"Porta: Run on…" is refused with the reason, and records no run', async () => {
    const page = wb.page;
    await clearNotifications(page);
    assert.ok((await paletteEntries(page, 'Porta: Run on')).some((l) => l.includes('Porta: Run on')), 'Run on… is in the palette for a Python editor');
    await runCommand(page, 'Porta: Run on…');
    const text = await waitForNotification(page, /Restricted Mode/);
    console.log(`    notification: ${text}`);
    assert.match(text, /Run on target is disabled in Restricted Mode/);
    assert.match(text, /executes code/);
    assert.match(text, /Manage Workspace Trust/);
    console.log(`    ${await screenshot(page, 'restricted-04-run-refused')}`);
    // No target picker appeared, and nothing was launched or recorded.
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no target picker after the refusal');
    assert.deepEqual(runRecords(wb.workspace), []);
    assert.equal((await notificationTexts(page)).some((t) => /run .* (failed|succeeded)/i.test(t)), false);
  });

  it('"Porta: Benchmark on…" is refused with the reason, and records no run', async () => {
    const page = wb.page;
    await clearNotifications(page);
    const entries = await paletteEntries(page, 'Porta: Benchmark on');
    assert.ok(entries.some((l) => l.includes('Porta: Benchmark on')), `Benchmark on… is in the palette (got ${JSON.stringify(entries)})`);
    await runCommand(page, 'Porta: Benchmark on…');
    const text = await waitForNotification(page, /Restricted Mode/);
    console.log(`    notification: ${text}`);
    assert.match(text, /Benchmark a model is disabled in Restricted Mode/);
    assert.match(text, /executes code/);
    console.log(`    ${await screenshot(page, 'restricted-05-bench-refused')}`);
    assert.deepEqual(runRecords(wb.workspace), []);
  });
});

// Drives the VS Code workbench the way a user does: explorer clicks, the command palette, panels.
// Selectors are VS Code 1.100's DOM (stable for years: .monaco-workbench, .quick-input-widget, ...).
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { screenshotDir } from './paths';
import { type CodeServer, workbenchUrl } from './server';

/** Opens the workbench on a folder and waits until the explorer lists its files. */
export async function openWorkbench(page: Page, server: CodeServer, folder: string): Promise<void> {
  await page.goto(workbenchUrl(server, folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const firstRow = page.locator('.explorer-folders-view .monaco-list-row').first();
  if (!(await firstRow.waitFor({ timeout: 30_000 }).then(() => true, () => false))) await showExplorer(page);
  await firstRow.waitFor({ timeout: 30_000 });
}

/** Makes sure the explorer view is visible (Ctrl+Shift+E toggles focus, so use the command). */
export async function showExplorer(page: Page): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view').waitFor({ timeout: 30_000 });
}

/** A file or folder row in the explorer tree. */
export function explorerItem(page: Page, name: string): Locator {
  return page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
}

/** Opens a workspace file by clicking it in the explorer (nested paths expand their folders). */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const parts = relativePath.split('/');
  if (!(await page.locator('.explorer-folders-view').isVisible())) await showExplorer(page);
  for (const folder of parts.slice(0, -1)) {
    const row = explorerItem(page, folder);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  const name = parts[parts.length - 1];
  await explorerItem(page, name).click();
  await page.locator(`.tabs-container .tab[data-resource-name="${name}"]`).waitFor({ timeout: 30_000 });
  await activeEditor(page).waitFor({ timeout: 30_000 });
}

/** Waits until the status bar shows the active editor's language (e.g. "Python"), i.e. it is tokenized. */
export async function waitForLanguage(page: Page, language: string): Promise<void> {
  await page.locator('[id="status.editor.mode"]').filter({ hasText: language }).waitFor({ timeout: 30_000 });
}

/** The text area of the active editor. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

async function openPalette(page: Page, query: string): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: 10_000 });
  const input = widget.locator('input.input');
  await input.fill(`>${query}`);
  return widget;
}

/** The titles the command palette lists for a query ("Category: Title"). */
export async function paletteEntries(page: Page, query: string): Promise<string[]> {
  const widget = await openPalette(page, query);
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  const labels = (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent ?? ''))).map((l) => l.trim());
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  return labels;
}

/** Runs a command by its palette title (e.g. "Porta: Show Logs"); fails if the palette has no such entry. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = await openPalette(page, title);
  const row = widget.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Waits until the Output panel shows the given channel (e.g. after "Porta: Show Logs"). */
export async function waitForOutputChannel(page: Page, channel: string): Promise<void> {
  const panel = page.locator('.part.panel');
  await panel.waitFor({ state: 'visible', timeout: 15_000 });
  await panel.locator('.monaco-select-box, select').filter({ hasText: channel }).first().waitFor({ timeout: 15_000 });
}

/** Names of the output channels the Output view offers (an extension's channel appears once it activated). */
export async function outputChannels(page: Page): Promise<string[]> {
  const panel = page.locator('.part.panel');
  if (!(await panel.locator('select').first().isVisible().catch(() => false))) await runCommand(page, 'View: Toggle Output');
  const select = panel.locator('select').first();
  await select.waitFor({ state: 'attached', timeout: 15_000 });
  return (await select.locator('option').allTextContents()).map((t) => t.trim());
}

/** Saves a full-page screenshot as test-results/screenshots/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

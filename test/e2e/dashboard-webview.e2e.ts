/**
 * Browser tier, standalone: the real dashboard bundle in headless Chromium, under the extension's strict CSP,
 * with an acquireVsCodeApi stand-in that records what the webview posts. Screenshots of every page in light and
 * dark land in test-results/screenshots/. (dashboard-workbench.e2e.ts proves the same inside code-server.)
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../src/protocol';
import { chooseTarget } from '../../src/run/choose';
import { compareRuns } from '../../src/run/compare';
import { formatComparison } from '../../src/run/compareFormat';
import { launchBrowser, repoRoot, screenshotDir } from './harness';
import { fixtureReadiness, fixtureRuns, manyRuns, pricedFixtureRuns } from './dashboard/data';
import { startStandaloneHost, type StandaloneHost } from './dashboard/standalone-host';
import { themeBodyClass, themeCss, type ThemeName } from './dashboard/themes';

declare global {
  interface Window {
    __posted: WebviewMessage[];
    __cspViolations: string[];
  }
}

async function posted(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => window.__posted);
}

async function lastPosted<T extends WebviewMessage['type']>(page: Page, type: T): Promise<Extract<WebviewMessage, { type: T }>> {
  await page.waitForFunction((t) => window.__posted.some((m) => m.type === t), type);
  const all = await posted(page);
  return all.filter((m) => m.type === type).pop() as Extract<WebviewMessage, { type: T }>;
}

async function send(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  await page.evaluate(
    ([css, cls]) => {
      document.getElementById('theme')!.textContent = css;
      document.body.className = cls;
    },
    [themeCss(theme), themeBodyClass(theme)],
  );
  await page.waitForTimeout(150); // the toolkit re-reads the theme on the body class change
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`      screenshot ${file}`);
}

async function shootBothThemes(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await shoot(page, `dashboard-${name}-${theme}`);
  }
}

describe('dashboard webview (standalone Chromium, strict CSP)', function () {
  let browser: Browser;
  let host: StandaloneHost;
  let page: Page;
  let buildDir: string;
  const errors: string[] = [];

  before(async () => {
    buildDir = mkdtempSync(join(tmpdir(), 'porta-dashboard-'));
    await esbuild.build({
      entryPoints: [join(repoRoot, 'webview/main.ts')],
      outfile: join(buildDir, 'webview.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      tsconfig: join(repoRoot, 'webview/tsconfig.json'),
      logLevel: 'warning',
    });
    host = await startStandaloneHost({ webviewJs: join(buildDir, 'webview.js'), css: join(repoRoot, 'media/dashboard.css') });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });

  async function open(runs = fixtureRuns(), theme: ThemeName = 'dark'): Promise<void> {
    await page.goto(`${host.url}?theme=${theme}`);
    await lastPosted(page, 'ready');
    await send(page, { type: 'init', protocol: 1, workspaceName: 'resnet-demo', runs, readiness: fixtureReadiness() });
  }

  it('Runs page: lists fixture runs, filters, shows details and a live log, cancels and re-runs', async () => {
    await open();
    const rows = page.locator('.run-list-rows .run-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 11);
    assert.equal(await page.locator('.runs-page .count').textContent(), '11 of 11 runs · 2 active');
    assert.match((await rows.first().textContent()) ?? '', /queued.*cluster.*cuda.*models\/bert-tiny\.onnx/);

    // Filter by target through the toolkit dropdown.
    await page.locator('vscode-dropdown[aria-label="Target"]').click();
    await page.locator('vscode-dropdown[aria-label="Target"] vscode-option', { hasText: 'gpu-box' }).click();
    await page.waitForFunction(() => document.querySelector('.runs-page .count')?.textContent?.startsWith('4 of 11'));
    assert.deepEqual(await rows.locator('span:nth-child(3)').allTextContents(), ['gpu-box', 'gpu-box', 'gpu-box', 'gpu-box']);

    // Keyboard: focus the list, Home selects the first row (the running one); its log is followed.
    await page.locator('.run-list').focus();
    await page.keyboard.press('Home');
    await page.locator('.run-details h2', { hasText: 'train.py' }).waitFor();
    const watch = await lastPosted(page, 'watchLog');
    assert.equal(watch.runId, '20261130-015000-d0f9ba');
    await send(page, { type: 'logTail', runId: watch.runId!, lines: ['[epoch 1] step  395/800 loss=0.5320 it/s=27.4'], truncated: true });
    await page.locator('pre.log', { hasText: 'step  395/800' }).waitFor();
    await page.locator('.run-details vscode-button', { hasText: 'Cancel run' }).click();
    assert.deepEqual(await lastPosted(page, 'cancelRun'), { type: 'cancelRun', runId: '20261130-015000-d0f9ba' });

    // Live update: the run finishes; the list and the details follow.
    const finished = { ...fixtureRuns().find((r) => r.id === watch.runId)!, status: 'cancelled' as const, endedAt: '2026-11-30T02:00:00.000Z' };
    await send(page, { type: 'runUpdated', run: finished });
    await page.locator('.run-details vscode-button', { hasText: 'Re-run' }).click();
    assert.deepEqual(await lastPosted(page, 'rerun'), { type: 'rerun', runId: '20261130-015000-d0f9ba' });

    // A failed run shows why.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.locator('.run-details .error-text', { hasText: 'Connection timed out' }).waitFor({ state: 'detached', timeout: 100 }).catch(() => undefined);
    await page.locator('vscode-dropdown[aria-label="Target"]').click();
    await page.locator('vscode-dropdown[aria-label="Target"] vscode-option', { hasText: 'All targets' }).click();
    await page.waitForFunction(() => document.querySelector('.runs-page .count')?.textContent?.startsWith('11 of 11'));
    await page.locator('.run-row', { hasText: 'train.py' }).filter({ hasText: 'failed' }).click();
    await page.locator('.run-details .error-text', { hasText: 'no kernel image is available' }).waitFor();
    await shootBothThemes(page, 'runs');
    // A panel beside the explorer is narrower: the details move below the list, nothing overlaps.
    await page.setViewportSize({ width: 1000, height: 900 });
    const list = await page.locator('.run-list-wrap').boundingBox();
    const details = await page.locator('.run-details').boundingBox();
    assert.ok(list && details && details.y >= list.y + list.height, 'details below the list');
    await shoot(page, 'dashboard-runs-narrow-dark');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('Compare page: default pick, best target, drift against tolerance, charts', async () => {
    await page.locator('vscode-panel-tab#tab-compare').click();
    const callout = page.locator('.callout.best .callout-summary');
    await callout.waitFor();
    // With nothing picked, the entry that ran on the most targets is compared: train.py on local, gpu-box, ascend.
    assert.match((await callout.textContent()) ?? '', /^gpu-box · rocm wins on latency: p50 38\.5 ms, 10\.70× faster than local · cpu; no price; outputs match the reference within tolerance/);
    assert.equal(await page.locator('.picker input:checked').count(), 3);
    await page.locator('vscode-dropdown.reference').click();
    await page.locator('vscode-dropdown.reference vscode-option', { hasText: 'Reference: local · cpu' }).click();
    await page.locator('.excluded li', { hasText: 'ascend · npu' }).waitFor();
    assert.match((await page.locator('.excluded').textContent()) ?? '', /ascend · npu: outputs drift from the reference beyond tolerance/);
    assert.equal(await page.locator('svg.chart').count(), 4, 'latency, throughput, memory, drift');
    assert.equal(await page.locator('svg.chart line.marker').count(), 1, 'the tolerance is marked on the drift chart');
    assert.equal(await page.locator('svg.chart rect.over').count(), 1, 'ascend drifts');
    await shootBothThemes(page, 'compare-scripts');

    // Switch to the ONNX benchmarks: untick the scripts, tick the three resnet benchmarks.
    for (const id of ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3']) await page.locator(`input[data-run-id="${id}"]`).check();
    for (const id of ['20261129-110200-d4f3b4', '20261129-112000-e5a4c5', '20261129-113100-f6b5d6']) await page.locator(`input[data-run-id="${id}"]`).uncheck();
    // The script reference is gone, so the benchmarks' own parity (vs their CPU provider) is used.
    await page.locator('vscode-dropdown.reference').click();
    await page.locator('vscode-dropdown.reference vscode-option', { hasText: 'Reference: automatic' }).click();
    await page.waitForFunction(() => document.querySelector('.callout-summary')?.textContent?.startsWith('cluster · CUDA wins'));
    // Default tolerance atol 1e-4, rtol 1e-3 (as porta compare): MIGraphX (abs 8.9e-4, rel 2.7e-3) and TensorRT drift.
    assert.match((await callout.textContent()) ?? '', /^cluster · CUDA wins on latency: p50 1\.87 ms, 1\.67× faster than gpu-box · ROCM; no price; outputs match its own CPU provider within tolerance/);
    assert.match((await page.locator('.excluded').textContent()) ?? '', /cluster · Tensorrt: outputs drift from the reference beyond tolerance/);
    assert.match((await page.locator('.excluded').textContent()) ?? '', /gpu-box · MIGraphX: outputs drift from the reference beyond tolerance/);
    assert.equal(await page.locator('.compare-table tbody tr').count(), 8);
    await shootBothThemes(page, 'compare-bench');

    // A tighter tolerance changes the verdict; the state keeps it.
    for (const field of ['atol', 'rtol']) {
      const tol = page.locator(`vscode-text-field.${field} input`);
      await tol.fill('1e-5');
      await tol.press('Enter');
      await tol.blur();
    }
    await page.waitForFunction(() => document.querySelector('.callout-summary')?.textContent?.startsWith('cluster · CPU wins'));
  });

  it('exports exactly what porta compare prints for the same runs and reference', async () => {
    for (const field of ['atol', 'rtol']) {
      await page.locator(`vscode-text-field.${field} input`).fill('0.001');
      await page.locator(`vscode-text-field.${field} input`).blur();
    }
    await page.waitForFunction(() => document.querySelector('.callout-summary')?.textContent?.includes('faster than gpu-box · MIGraphX'));
    const benches = ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3'].map((id) => fixtureRuns().find((r) => r.id === id)!);
    const expected = compareRuns(benches, { reference: '20261129-091002-a1c0e1/CPUExecutionProvider', tolerance: { atol: 0.001, rtol: 0.001 } });
    expected.choice = chooseTarget(expected); // porta compare's default objective: latency
    await page.locator('vscode-button.export-copy').click();
    const md = await lastPosted(page, 'export');
    assert.equal(md.format, 'markdown');
    assert.equal(md.action, 'copy');
    assert.equal(md.fileName, 'porta-comparison.md');
    assert.equal(md.content, formatComparison(expected, 'markdown'));

    for (const [label, format] of [['CSV', 'csv'], ['JSON', 'json']] as const) {
      await page.locator('vscode-dropdown.export-format').click();
      await page.locator('vscode-dropdown.export-format vscode-option', { hasText: label }).click();
      await page.locator('vscode-button.export-save').click();
      await page.waitForFunction((f) => window.__posted.filter((m) => m.type === 'export').pop()?.format === f, format);
      const out = await lastPosted(page, 'export');
      assert.equal(out.action, 'save');
      assert.equal(out.content, formatComparison(expected, format));
    }
  });

  it('Compare page with prices: latency–cost chart with the Pareto front, objective picker, banner, cost in the table and exports', async () => {
    await send(page, { type: 'runs', runs: pricedFixtureRuns() });
    for (const field of ['atol', 'rtol']) {
      await page.locator(`vscode-text-field.${field} input`).fill(field === 'atol' ? '0.0001' : '0.001');
      await page.locator(`vscode-text-field.${field} input`).blur();
    }
    const chart = page.locator('svg.chart.latency-cost');
    await chart.waitFor();
    // Eight provider rows, one unavailable: seven points; the front is local CPU, gpu-box ROCm and cluster CUDA.
    assert.equal(await chart.locator('g.point').count(), 7);
    assert.deepEqual((await chart.locator('g.point.front text').allTextContents()).sort(), ['cluster · CUDA', 'gpu-box · ROCM', 'local · CPU']);
    assert.equal(await chart.locator('path.pareto').count(), 1);
    assert.equal(await chart.locator('g.point.left-out').count(), 2, 'TensorRT and MIGraphX drift: drawn hollow');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /cluster · CUDA: 1\.87 ms, 0\.0042 USD, on the Pareto front/);
    assert.equal(await page.locator('.compare-table tr.best th').textContent(), '★ cluster');
    assert.match((await page.locator('.callout-cost').textContent()) ?? '', /^Cost: 0\.0042 USD per 1,000 inferences\.$/);
    assert.equal(await chart.locator('g.point.winner text').textContent(), 'cluster · CUDA');
    await shootBothThemes(page, 'compare-cost-latency');

    const pick = async (label: string) => {
      await page.locator('vscode-dropdown.objective').click();
      await page.locator('vscode-dropdown.objective vscode-option', { hasText: label }).click();
    };
    await pick('Best: cheapest');
    await page.waitForFunction(() => document.querySelector('.callout-summary')?.textContent?.startsWith('local · CPU wins on cost'));
    assert.match((await page.locator('.callout-summary').textContent()) ?? '', /^local · CPU wins on cost: 0\.0021 USD per 1,000 inferences, 1\.06× cheaper than gpu-box · ROCM; p50 18\.4 ms; it is the parity reference/);
    assert.equal(await page.locator('.callout-title').textContent(), '★ Best target · cheapest');
    assert.equal(await page.locator('svg.chart.latency-cost g.point.winner text').textContent(), 'local · CPU');
    await pick('Best: balanced');
    await page.waitForFunction(() => document.querySelector('.callout-summary')?.textContent?.startsWith('gpu-box · ROCM wins on balance'));
    assert.match((await page.locator('.callout-summary').textContent()) ?? '', /the lowest latency × cost of the 3 targets on the latency–cost Pareto front/);
    assert.equal(await page.locator('.compare-table tr.best th').textContent(), '★ gpu-box');
    assert.match((await page.locator('.compare-table tr.best').textContent()) ?? '', /0\.036 USD.*0\.0022 USD/);
    await shootBothThemes(page, 'compare-cost-balanced');

    // The export carries the same choice and cost figures `porta compare --objective balanced` prints.
    await page.locator('vscode-dropdown.export-format').click();
    await page.locator('vscode-dropdown.export-format vscode-option', { hasText: 'Markdown table' }).click();
    await page.locator('vscode-button.export-copy').click();
    await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'export').pop()?.format === 'markdown');
    const md = await lastPosted(page, 'export');
    const benches = ['20261129-091002-a1c0e1', '20261129-093210-b2d1f2', '20261129-101500-c3e2a3'].map((id) => pricedFixtureRuns().find((r) => r.id === id)!);
    const expected = compareRuns(benches, { reference: '20261129-091002-a1c0e1/CPUExecutionProvider' });
    expected.choice = chooseTarget(expected, 'balanced');
    assert.equal(md.content, formatComparison(expected, 'markdown'));
    assert.match(md.content, /\*\*Best target \(objective balanced\): gpu-box\/ROCMExecutionProvider\./);

    // The Runs page: the benchmark's cost and basis, and each provider's cost per 1,000 inferences.
    await page.locator('vscode-panel-tab#tab-runs').click();
    await page.locator('.run-row', { hasText: 'resnet18.onnx' }).filter({ hasText: 'cluster' }).click();
    const fields = page.locator('.run-details dl.fields');
    await fields.locator('dt', { hasText: 'Cost' }).waitFor();
    assert.match((await fields.textContent()) ?? '', /Cost0\.33 USD \(elapsed 150 s × 1 GPU × 8\.00 USD\/GPU-h\)/);
    assert.match((await page.locator('.run-details table.data tbody tr', { hasText: 'CUDA' }).textContent()) ?? '', /0\.0042 USD/);
    await page.locator('.run-row', { hasText: 'train.py' }).filter({ hasText: 'ascend' }).click();
    await page.locator('.run-details dd', { hasText: 'no price' }).waitFor();
    await shoot(page, 'dashboard-runs-cost-dark');
    await page.locator('vscode-panel-tab#tab-compare').click();

    await pick('Best: fastest');
    await page.waitForFunction(() => document.querySelector('.callout-summary')?.textContent?.startsWith('cluster · CUDA wins'));
    await send(page, { type: 'runs', runs: fixtureRuns() });
    await page.locator('.cost-note', { hasText: 'No compared run has a price' }).waitFor();
  });

  it('Readiness page: per-target blockers, effort and click-through to code', async () => {
    await page.locator('vscode-panel-tab#tab-readiness').click();
    const table = page.locator('.readiness-table tbody tr');
    await table.first().waitFor();
    assert.deepEqual(await table.locator('th').allTextContents(), ['NVIDIA CUDA', 'AMD ROCm', 'Ascend NPU', 'Intel XPU', 'Apple MPS', 'CPU']);
    assert.deepEqual(await table.nth(0).locator('td').allTextContents(), ['none', '0', '0', '0', '0']);
    assert.deepEqual(await table.nth(2).locator('td').allTextContents(), ['medium ~10.5 h', '8', '3', '3', '9']);
    await page.locator('button.disclosure[aria-controls="ready-npu"]').press('Enter');
    const link = page.locator('#ready-npu .items.breaks a.location').first();
    await link.waitFor();
    assert.equal(await link.textContent(), 'Dockerfile:1:1');
    await page.locator('#ready-npu a.location', { hasText: 'train.py:40:20' }).click();
    assert.deepEqual(await lastPosted(page, 'openLocation'), { type: 'openLocation', path: 'train.py', line: 40, column: 20 });
    await shootBothThemes(page, 'readiness');
    await setTheme(page, 'high-contrast');
    await shoot(page, 'dashboard-readiness-high-contrast');
    await setTheme(page, 'dark');
  });

  it('restores its state after a reload (getState/setState) and ignores malformed host messages', async () => {
    await page.reload();
    await lastPosted(page, 'ready');
    await send(page, { type: 'bogus' } as unknown as HostMessage);
    await page.evaluate(() => window.postMessage('not an object', '*'));
    await send(page, { type: 'init', protocol: 1, workspaceName: 'resnet-demo', runs: fixtureRuns(), readiness: null, readinessError: 'porta scan failed: no workspace folder' });
    // The Readiness tab and the picked benchmarks come back.
    await page.locator('.readiness-page .empty', { hasText: 'porta scan failed' }).waitFor();
    await page.locator('vscode-panel-tab#tab-compare').click();
    await page.locator('.callout-summary', { hasText: 'cluster · CUDA wins' }).waitFor();
    assert.equal(await page.locator('.picker input:checked').count(), 3);
  });

  it('1,000 runs: renders and filters without a stall (timings printed)', async () => {
    await page.locator('vscode-panel-tab#tab-runs').click();
    const runs = manyRuns(1000);
    const renderMs = await page.evaluate(async (m) => {
      const t0 = performance.now();
      window.postMessage(m, '*');
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - t0;
    }, { type: 'init', protocol: 1, workspaceName: 'bulk', runs, readiness: null } as HostMessage);
    await page.waitForFunction(() => document.querySelector('.runs-page .count')?.textContent?.startsWith('1000 of 1000'));
    const rendered = await page.locator('.run-list-rows .run-row').count();
    assert.ok(rendered > 10 && rendered < 80, `only the visible window is in the DOM (${rendered} rows)`);

    const filterMs = await page.evaluate(async () => {
      const field = document.querySelector('vscode-text-field.filter-text') as HTMLElement & { value: string };
      const t0 = performance.now();
      field.value = 'resnet';
      field.dispatchEvent(new Event('input'));
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - t0;
    });
    const count = (await page.locator('.runs-page .count').textContent()) ?? '';
    const expected = runs.filter((r) => /resnet/i.test(`${r.id} ${r.entry} ${r.command.join(' ')}`)).length;
    assert.ok(count.startsWith(`${expected} of 1000`), count);

    const scrollMs = await page.evaluate(async () => {
      const list = document.querySelector('.run-list') as HTMLElement;
      const t0 = performance.now();
      list.scrollTop = list.scrollHeight;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
      return performance.now() - t0;
    });
    const last = await page.locator('.run-list-rows .run-row').last().getAttribute('aria-posinset');
    assert.equal(last, String(expected));
    console.log(`      1,000 runs: first render ${renderMs.toFixed(1)} ms, filter ${filterMs.toFixed(1)} ms, scroll to end ${scrollMs.toFixed(1)} ms (${rendered} rows in the DOM)`);
    await shoot(page, 'dashboard-runs-1000-dark');
  });

  it('ran under the strict CSP without violations or page errors', async () => {
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
    assert.deepEqual(errors, []);
  });
});

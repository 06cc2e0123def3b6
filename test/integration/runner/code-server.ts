// Runs the integration tier inside a real VS Code extension host: code-server 4.100.3 serves the
// workbench, headless Chromium opens it with VS Code's test payload (extensionDevelopmentPath +
// extensionTestsPath), the host runs out/test/integration/index.js and the workbench reports the
// exit code through window.codeAutomationExit. See docs/dev/testing.md.
//
//   npm run test:integration            (builds first)
//   PORTA_TEST_GREP=activation npx tsx test/integration/runner/code-server.ts
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { OUTPUT_BEGIN, OUTPUT_END, type IntegrationResults } from '../index';
import { launchBrowser } from '../../e2e/harness/browser';
import { repoRoot, testResultsDir } from '../../e2e/harness/paths';
import { copyWorkspace, remoteUri, startCodeServer, workbenchUrl } from '../../e2e/harness/server';

const TIMEOUT_MS = Number(process.env.PORTA_INTEGRATION_TIMEOUT_MS ?? 300_000);
const testEntry = path.join(repoRoot, 'out/test/integration/index.js');
const summaryFile = path.join(testResultsDir, 'integration.json');

/** Relays what the extension host printed between the markers (VS Code forwards it as INFO logs). */
function relayHostOutput(text: string, state: { inside: boolean }): void {
  const prefix = /^%c\s*\w+\s+color:\s*#\w+\s?/;
  if (!prefix.test(text)) return; // the browser's own warnings (iframes, service worker), not the host's
  const line = text.replace(prefix, '');
  if (line === OUTPUT_BEGIN) state.inside = true;
  else if (line === OUTPUT_END) state.inside = false;
  else if (state.inside) console.log(line);
}

async function main(): Promise<number> {
  for (const needed of [path.join(repoRoot, 'dist/extension.js'), testEntry]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run npm run build && node scripts/build-tests.mjs`);
  }
  mkdirSync(testResultsDir, { recursive: true });
  rmSync(summaryFile, { force: true });
  const workspace = copyWorkspace();
  const resultsFile = path.join(workspace, '..', `${path.basename(workspace)}-results.json`);
  const env: Record<string, string> = { TEST_RESULTS_FILE: resultsFile };
  if (process.env.PORTA_TEST_GREP) env.PORTA_TEST_GREP = process.env.PORTA_TEST_GREP;
  if (process.env.PORTA_PERF_DETAIL) env.PORTA_PERF_DETAIL = process.env.PORTA_PERF_DETAIL;

  const started = Date.now();
  const server = await startCodeServer({ env });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const relay = { inside: false };
    page.on('console', (msg) => relayHostOutput(msg.text(), relay));
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const url = workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['extensionTestsPath', remoteUri(server, testEntry)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(url);
    const outcome = await Promise.race([
      exitCode.then((code) => ({ kind: 'exit' as const, code })),
      server.exited.then((code) => ({ kind: 'server-died' as const, code })),
      new Promise<{ kind: 'timeout' }>((r) => setTimeout(() => r({ kind: 'timeout' }), TIMEOUT_MS)),
    ]);
    if (outcome.kind === 'server-died') {
      console.error(`code-server exited early (code ${outcome.code})\n${server.output()}`);
      return 1;
    }
    if (outcome.kind === 'timeout') {
      console.error(`integration tests did not finish within ${TIMEOUT_MS} ms\n${server.output()}`);
      return 1;
    }
    if (!existsSync(resultsFile)) {
      console.error(`the extension host wrote no results (exit code ${outcome.code})\n${server.output()}`);
      return 1;
    }
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as IntegrationResults;
    writeFileSync(summaryFile, JSON.stringify(results, null, 2));
    const s = results.stats;
    console.log(`integration: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return outcome.code === 0 && s.failures === 0 && s.tests > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(resultsFile, { force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);

// Runs the same integration suite in VS Code desktop via @vscode/test-electron. It downloads VS Code
// from update.code.visualstudio.com, so it needs internet (CI here has none: it uses code-server,
// see code-server.ts). Usage: npm run test:electron  [VSCODE_VERSION=1.100.3|stable]
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import type { IntegrationResults } from '../index';
import { repoRoot } from '../../e2e/harness/paths';
import { copyWorkspace } from '../../e2e/harness/server';

async function main(): Promise<number> {
  const workspace = copyWorkspace();
  const resultsFile = `${workspace}-results.json`;
  try {
    // Minimum supported engine by default; VSCODE_VERSION=stable tests the newest too.
    const exitCode = await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out/test/integration/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: { TEST_RESULTS_FILE: resultsFile, PORTA_TEST_GREP: process.env.PORTA_TEST_GREP ?? '' },
    });
    const { stats } = JSON.parse(readFileSync(resultsFile, 'utf8')) as IntegrationResults;
    console.log(`integration (electron): ${stats.passes} passed, ${stats.failures} failed`);
    return exitCode === 0 && stats.failures === 0 ? 0 : 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(resultsFile, { force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('test-electron failed (it needs internet to download VS Code):', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

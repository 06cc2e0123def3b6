// Paths shared by the integration runner and the e2e harness.
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const codeServerBin = path.join(repoRoot, '.vscode-test/code-server/node_modules/.bin/code-server');
export const workspaceTemplate = path.join(repoRoot, 'test/integration/workspace');
export const testResultsDir = path.join(repoRoot, 'test-results');
export const screenshotDir = path.join(testResultsDir, 'screenshots');
export const defaultVsixPath = path.join(repoRoot, 'porta-linux-x64.vsix');

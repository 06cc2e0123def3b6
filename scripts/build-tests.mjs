// Bundles the integration tests for the extension host: test/integration/index.ts (the Mocha
// entry run()) and every test/integration/**/*.test.ts into out/test/integration/.
// vscode comes from the host; mocha and onnxruntime-node load from node_modules at run time.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const root = 'test/integration';
const skip = new Set(['workspace', 'runner']);

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) && dir === root ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const entryPoints = [path.join(root, 'index.ts'), ...testFiles(root)];
rmSync('out/test/integration', { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outbase: root,
  outdir: 'out/test/integration',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'onnxruntime-node'],
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length - 1} integration test file(s) into out/test/integration`);

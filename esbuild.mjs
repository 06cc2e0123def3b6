// Bundles the extension host, the CLI and the dashboard. vscode and onnxruntime-node stay external:
// the first is provided by the host, the second ships native binaries that cannot be bundled.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of the `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * JSON modules become `JSON.parse('...')` instead of object literals: V8 scans a string literal and parses JSON
 * several times faster than it compiles the same data as JavaScript (the CUDA→HIP tables are ~700 kB of a CLI
 * bundle, and their compile cost showed in every `porta fix` process). Same value, same module semantics.
 */
const jsonAsParse = {
  name: 'json-as-parse',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, (args) => {
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

/**
 * hipify's tables (tables/packed.json, ~550 kB) stay out of the bundles: `require` loads them from dist/ beside the
 * bundle, and only when a CUDA file is rewritten; every other command no longer reads and scans them at start.
 */
const hipTablesBeside = {
  name: 'hip-tables-beside',
  setup(build) {
    build.onResolve({ filter: /[\\/]map[\\/]tables[\\/]packed\.json$/ }, () => ({ path: './hip-tables.json', external: true }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher, hipTablesBeside, jsonAsParse] : [hipTablesBeside, jsonAsParse],
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'onnxruntime-node'] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'onnxruntime-node'], banner: { js: '#!/usr/bin/env node' } },
  // The ONNX benchmark worker: a separate entry, forked by dist/cli.js and dist/extension.js (src/run/onnx/spawn.ts).
  { ...common, entryPoints: ['src/run/onnx/worker.ts'], outfile: 'dist/onnx-worker.js', platform: 'node', format: 'cjs', target: 'node20', external: ['onnxruntime-node'] },
  // Workspace-scan analysis workers (worker_threads), started by src/workspace/scan.ts from dist/.
  { ...common, entryPoints: ['src/workspace/worker.ts'], outfile: 'dist/scan-worker.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The editor's live-analysis worker (incremental documents off the extension host thread), started from dist/.
  { ...common, entryPoints: ['src/extension/worker/analysisWorker.ts'], outfile: 'dist/analysis-worker.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The dashboard webview (toolkit bundled in); loaded from dist/ through asWebviewUri.
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome120', tsconfig: 'webview/tsconfig.json' },
];

function copyAssets() {
  // tree-sitter's runtime finds its .wasm files next to the bundle that loads it.
  mkdirSync('dist/wasm', { recursive: true });
  // Not tree-sitter-cpp.wasm (5 MB): CUDA and C++ files parse with tree-sitter-cuda, a superset of C++.
  for (const name of ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-bash.wasm']) {
    cpSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${name}`, `dist/wasm/${name}`);
  }
  cpSync('node_modules/tree-sitter-cuda/tree-sitter-cuda.wasm', 'dist/wasm/tree-sitter-cuda.wasm');
  cpSync('src/core/cuda/map/tables/packed.json', 'dist/hip-tables.json');
  // The Python run harness (and the porta_shim package beside it) ships as files: runs copy it to targets.
  cpSync('src/run/harness', 'dist/harness', { recursive: true, filter: (path) => !path.includes('__pycache__') });
}

copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

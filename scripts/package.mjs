// npm run package: production bundles + a linux-x64 VSIX that carries onnxruntime-node with only
// this platform's native binaries. onnxruntime-node stays external to the bundle, so it is staged
// under dist/node_modules/, where require('onnxruntime-node') from dist/extension.js resolves.
// Usage: node scripts/package.mjs [--target linux-x64] [--out file.vsix]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const MAX_BYTES = 20 * 1024 * 1024;
const { values } = parseArgs({ options: { target: { type: 'string', default: 'linux-x64' }, out: { type: 'string' } } });
const [platform, arch] = values.target.split('-');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.resolve(values.out ?? path.join(root, `porta-${values.target}.vsix`));
const staged = path.join(root, 'dist/node_modules');

function run(cmd, args) {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  } catch {
    console.error(`package: '${path.basename(cmd)} ${args.join(' ')}' failed (see above)`);
    process.exit(1);
  }
}

/** Copies a package's runtime files (package.json, license, files matching keep) into dist/node_modules. */
function stagePackage(name, keep) {
  const from = path.join(root, 'node_modules', name);
  const to = path.join(staged, name);
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const relPath = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(relPath);
      else if (keep(relPath.split(path.sep).join('/'))) {
        mkdirSync(path.dirname(path.join(to, relPath)), { recursive: true });
        cpSync(path.join(from, relPath), path.join(to, relPath));
      }
    }
  };
  walk('');
}

const isLicense = (f) => /^(LICENSE|README)/i.test(f);
const started = Date.now();
run(process.execPath, ['esbuild.mjs', '--production']);

rmSync(staged, { recursive: true, force: true });
stagePackage('onnxruntime-node', (f) =>
  f === 'package.json' || isLicense(f) || (/^dist\/[^/]+\.js$/.test(f)) || f.startsWith(`bin/napi-v6/${platform}/${arch}/`),
);
stagePackage('onnxruntime-common', (f) => f === 'package.json' || isLicense(f) || (f.startsWith('dist/cjs/') && !f.endsWith('.map') && !f.endsWith('.d.ts')));

// The staged copy must load from where the bundle sits, exactly as the installed extension will.
const requireFromDist = createRequire(path.join(root, 'dist/extension.js'));
const resolved = requireFromDist.resolve('onnxruntime-node');
if (!resolved.startsWith(staged)) throw new Error(`onnxruntime-node resolves outside dist/node_modules: ${resolved}`);
if (`${process.platform}-${process.arch}` === values.target) {
  const ort = requireFromDist('onnxruntime-node');
  if (typeof ort.InferenceSession?.create !== 'function') throw new Error('staged onnxruntime-node does not load');
}

// vsce runs vscode:prepublish (the same production build) again; esbuild.mjs leaves dist/node_modules alone.
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
rmSync(out, { force: true });
// Relative README links stay relative: the repository URL is not a GitHub/GitLab one vsce could rewrite to.
run(process.execPath, [vsce, 'package', '--target', values.target, '--no-dependencies', '--no-rewrite-relative-links', '--out', out]);

// Another platform's binaries must not shadow this machine's for the dev build and tests.
if (`${process.platform}-${process.arch}` !== values.target) rmSync(staged, { recursive: true, force: true });

const bytes = statSync(out).size;
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
console.log(`VSIX ${path.relative(process.cwd(), out)} (porta ${version}, ${values.target}): ${(bytes / 1024 / 1024).toFixed(2)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (!existsSync(out) || bytes > MAX_BYTES) {
  console.error(`VSIX is over the ${MAX_BYTES / 1024 / 1024} MB limit`);
  process.exit(1);
}

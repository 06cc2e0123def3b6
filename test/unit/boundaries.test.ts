// Architecture boundaries (docs: ARCHITECTURE.md): src/core and src/run never reach `vscode` or
// src/extension; webview/ never reaches Node built-ins (it runs in a browser iframe) or `vscode`.
// Imports are followed transitively through relative paths, so a helper that leaks counts too.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const repoRoot = path.resolve(__dirname, '../..');

interface Rule {
  /** Files whose import graph is checked. */
  roots: string[];
  /** Why a specifier is forbidden, or undefined when it is allowed. */
  forbid(specifier: string, resolved: string | undefined): string | undefined;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** import/export/require/import() specifiers of one file, via the TypeScript pre-processor. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, ...['.ts', '.tsx', '.js', '.mjs', '.cjs'].map((ext) => base + ext), path.join(base, 'index.ts'), path.join(base, 'index.js')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Walks the relative-import graph from the roots; returns "chain: reason" for every forbidden import. */
export function findViolations(rule: Rule, root: string = repoRoot): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  const queue: Array<{ file: string; chain: string[] }> = rule.roots.map((file) => ({ file, chain: [path.relative(root, file)] }));
  while (queue.length > 0) {
    const { file, chain } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      const resolved = specifier.startsWith('.') ? resolveRelative(file, specifier) : undefined;
      const reason = rule.forbid(specifier, resolved);
      if (reason) violations.push(`${chain.join(' -> ')} imports '${specifier}': ${reason}`);
      if (resolved && /\.(ts|tsx|js|mjs|cjs)$/.test(resolved)) queue.push({ file: resolved, chain: [...chain, path.relative(root, resolved)] });
    }
  }
  return violations;
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || nodeBuiltins.has(specifier) || nodeBuiltins.has(specifier.split('/')[0]);
}

function vscodeFreeRule(root: string): Rule {
  const extensionDir = path.join(root, 'src/extension') + path.sep;
  return {
    roots: [...sourceFiles(path.join(root, 'src/core')), ...sourceFiles(path.join(root, 'src/run'))],
    forbid: (specifier, resolved) => {
      if (specifier === 'vscode' || specifier.startsWith('vscode/')) return 'core and run must not use the VS Code API';
      if (resolved?.startsWith(extensionDir)) return 'core and run must not depend on the extension';
      return undefined;
    },
  };
}

function browserOnlyRule(root: string): Rule {
  return {
    roots: sourceFiles(path.join(root, 'webview')),
    forbid: (specifier) => {
      if (isNodeBuiltin(specifier)) return 'the webview runs in a browser: no Node built-ins';
      if (specifier === 'vscode') return 'the webview talks to the host through messages, not the VS Code API';
      return undefined;
    },
  };
}

describe('architecture boundaries', () => {
  it('src/core and src/run never import vscode or src/extension', () => {
    const rule = vscodeFreeRule(repoRoot);
    assert.ok(rule.roots.length > 0, 'found files under src/core and src/run');
    assert.deepEqual(findViolations(rule), []);
  });

  it('webview/ never imports Node built-ins or vscode', () => {
    assert.deepEqual(findViolations(browserOnlyRule(repoRoot)), []);
  });

  describe('the checker itself', () => {
    let tmp: string;
    before(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'porta-boundaries-'));
      const write = (rel: string, text: string): void => {
        mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
        writeFileSync(path.join(tmp, rel), text);
      };
      write('src/core/clean.ts', "import { leak } from '../shared/leak';\nexport const y = leak;\n");
      write('src/shared/leak.ts', "export { window as leak } from 'vscode';\n");
      write('src/core/util.ts', "import { helper } from '../extension/helper';\nexport const x = helper;\n");
      write('src/extension/helper.ts', "import * as vscode from 'vscode';\nexport const helper = vscode;\n");
      write('src/run/direct.ts', "const vscode = require('vscode');\nexport default vscode;\n");
      write('webview/main.ts', "import { readFileSync } from 'node:fs';\nimport './view';\nexport const r = readFileSync;\n");
      write('webview/view.ts', "export const p = import('path');\n");
    });
    after(() => rmSync(tmp, { recursive: true, force: true }));

    it('catches direct, required and transitive vscode/extension imports', () => {
      const violations = findViolations(vscodeFreeRule(tmp), tmp);
      assert.ok(violations.some((v) => v.includes("src/run/direct.ts imports 'vscode'")), violations.join('\n'));
      assert.ok(violations.some((v) => v.includes("src/core/util.ts imports '../extension/helper'")), violations.join('\n'));
      assert.ok(violations.some((v) => v.includes("src/core/clean.ts -> src/shared/leak.ts imports 'vscode'")), violations.join('\n'));
    });

    it('catches node: and bare Node built-ins in the webview, also through dynamic import()', () => {
      const violations = findViolations(browserOnlyRule(tmp), tmp);
      assert.ok(violations.some((v) => v.includes("imports 'node:fs'")), violations.join('\n'));
      assert.ok(violations.some((v) => v.includes("webview/view.ts imports 'path'")), violations.join('\n'));
    });
  });
});

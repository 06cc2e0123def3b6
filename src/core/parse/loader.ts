import * as path from 'node:path';
import * as fs from 'node:fs';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import { installNodeCache } from './nodeCache';

/**
 * Grammars Porta parses with. WASM files come from @vscode/tree-sitter-wasm (the parsers VS Code itself ships) and
 * tree-sitter-cuda. `cpp` is only for tests that show why CUDA needs its own grammar: the bundles do not ship it.
 */
export type GrammarId = 'python' | 'bash' | 'cpp' | 'cuda';

export type { TreeSitter };

let wasmDirectory: string | undefined;
let runtime: Promise<typeof TreeSitter> | undefined;
const languages = new Map<GrammarId, Promise<TreeSitter.Language>>();

/**
 * The bundles copy the WASM files to dist/wasm (next to dist/*.js); tests and tsx run from source and read
 * them from node_modules. Callers may also set the folder explicitly (the extension passes its install path).
 */
export function setWasmDirectory(directory: string): void {
  wasmDirectory = directory;
}

function resolveWasmDirectory(): string {
  if (wasmDirectory) return wasmDirectory;
  const candidates = [path.join(__dirname, 'wasm'), path.join(__dirname, '..', 'wasm')];
  try {
    candidates.push(path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm')));
  } catch {
    // not resolvable from a bundle; the dist/wasm candidates cover that case
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'tree-sitter.wasm')));
  if (!found) throw new Error(`tree-sitter WASM files not found (looked in ${candidates.join(', ')})`);
  wasmDirectory = found;
  return found;
}

function loadRuntime(): Promise<typeof TreeSitter> {
  runtime ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
    const dir = resolveWasmDirectory();
    await ts.Parser.init({ locateFile: (name: string) => path.join(dir, name) });
    installNodeCache(ts);
    return ts;
  })();
  return runtime;
}

/** The CUDA grammar comes from the tree-sitter-cuda package; bundles copy it to dist/wasm like the others. */
function grammarWasmPath(id: GrammarId): string {
  const bundled = path.join(resolveWasmDirectory(), `tree-sitter-${id}.wasm`);
  if (id !== 'cuda' || fs.existsSync(bundled)) return bundled;
  try {
    return require.resolve('tree-sitter-cuda/tree-sitter-cuda.wasm');
  } catch {
    return bundled; // not resolvable from a bundle: Language.load then reports the missing file
  }
}

export function loadLanguage(id: GrammarId): Promise<TreeSitter.Language> {
  let language = languages.get(id);
  if (!language) {
    language = loadRuntime().then((ts) => ts.Language.load(grammarWasmPath(id)));
    languages.set(id, language);
  }
  return language;
}

/** Whether a grammar has been asked for in this process (its WebAssembly compiled or compiling). */
export function isLanguageRequested(id: GrammarId): boolean {
  return languages.has(id);
}

/** A fresh parser for one grammar. Parsers are cheap; reuse one per language per thread. */
export async function createParser(id: GrammarId): Promise<TreeSitter.Parser> {
  const ts = await loadRuntime();
  const parser = new ts.Parser();
  parser.setLanguage(await loadLanguage(id));
  return parser;
}

import { parse as parseToml } from 'smol-toml';
import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

/**
 * The packages a project declares in pyproject.toml or setup.py, for projects whose package folders have no
 * `__init__.py` (namespace packages, `src/` layouts): folders relative to the project folder. No I/O: the caller
 * checks which exist.
 */
export interface PackageDeclarations {
  /** Top-level package folders (`dschat`, `src/mypkg`). */
  roots: string[];
  /** Folders each of whose sub-folders named like a Python package is one (`src` of a src-layout). */
  searchIn: string[];
}

const NAME = /^[A-Za-z_]\w*$/;

/** `a.b.*` → `a`: the top-level package a name or pattern is in, when that part is a plain name. */
function topLevel(name: string): string | undefined {
  const first = name.split('.')[0] ?? '';
  return NAME.test(first) ? first : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

function join(base: string, name: string): string {
  return base === '' || base === '.' ? name : `${base.replace(/\/+$/, '')}/${name}`;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** From pyproject.toml: setuptools' packages / packages.find / package-dir, Poetry's and Hatch's package lists. */
export function packagesFromPyproject(text: string): PackageDeclarations {
  const out: PackageDeclarations = { roots: [], searchIn: [] };
  let toml: Record<string, unknown>;
  try {
    toml = parseToml(text) as Record<string, unknown>;
  } catch {
    return out;
  }
  const tool = record(toml.tool);
  const setuptools = record(tool.setuptools);
  const packageDir = record(setuptools['package-dir']);
  const base = typeof packageDir[''] === 'string' ? packageDir[''] : '.';
  const packages = setuptools.packages;
  for (const name of strings(packages)) {
    const top = topLevel(name);
    if (top) out.roots.push(typeof packageDir[top] === 'string' ? (packageDir[top] as string) : join(base, top));
  }
  const find = record(record(packages).find);
  if (Object.keys(find).length > 0) {
    const where = strings(find.where);
    for (const folder of where.length ? where : [base]) {
      const include = strings(find.include);
      if (include.length === 0) out.searchIn.push(folder);
      for (const pattern of include) {
        const top = topLevel(pattern);
        if (top) out.roots.push(join(folder, top));
      }
    }
  }
  for (const entry of Array.isArray(record(tool.poetry).packages) ? (record(tool.poetry).packages as unknown[]) : []) {
    const { include, from } = record(entry);
    if (typeof include === 'string' && NAME.test(include)) out.roots.push(join(typeof from === 'string' ? from : '.', include));
  }
  const hatch = record(record(record(record(tool.hatch).build).targets).wheel);
  for (const folder of strings(hatch.packages)) if (NAME.test(folder.split('/').pop() ?? '')) out.roots.push(folder.replace(/\/+$/, ''));
  return out;
}

/** From setup.py's `setup(...)` call: `packages=[...]`, `find_packages(include=[...], where=...)`, `find_namespace_packages`, `package_dir`. */
export function packagesFromSetupPy(root: Node): PackageDeclarations {
  const out: PackageDeclarations = { roots: [], searchIn: [] };
  for (const call of root.descendantsOfType('call')) {
    if (!call || !/(^|\.)setup$/.test(call.childForFieldName('function')?.text ?? '')) continue;
    const keywords = keywordsOf(call);
    const packageDir = keywords.get('package_dir');
    let base = '.';
    for (const pair of packageDir?.type === 'dictionary' ? packageDir.namedChildren : []) {
      if (pair?.type === 'pair' && stringOf(pair.childForFieldName('key')) === '') base = stringOf(pair.childForFieldName('value')) ?? base;
    }
    const packages = keywords.get('packages');
    if (packages?.type === 'list' || packages?.type === 'tuple') {
      for (const item of packages.namedChildren) {
        const top = topLevel(stringOf(item) ?? '');
        if (top) out.roots.push(join(base, top));
      }
    } else if (packages?.type === 'call') {
      const finder = packages.childForFieldName('function')?.text ?? '';
      if (!/(^|\.)find_(namespace_)?packages$/.test(finder)) continue;
      const args = keywordsOf(packages);
      const firstPositional = packages.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'keyword_argument');
      const where = stringOf(args.get('where') ?? firstPositional ?? null) ?? base;
      const include = args.get('include');
      const patterns = include?.type === 'list' || include?.type === 'tuple' ? include.namedChildren.map((n) => stringOf(n)) : [stringOf(include ?? null)];
      for (const pattern of patterns) {
        const top = topLevel(pattern ?? '');
        if (top) out.roots.push(join(where, top));
      }
      // Without include, find_packages finds folders with __init__.py (found without this); find_namespace_packages all.
      if (!include && finder.endsWith('find_namespace_packages')) out.searchIn.push(where);
    }
  }
  return out;
}

function keywordsOf(call: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const name = arg?.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    const value = arg?.childForFieldName('value');
    if (name && value) out.set(name, value);
  }
  return out;
}

/** A plain string literal's value (no f-string, no concatenation). */
function stringOf(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string' || node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  const content = node.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
  return /\\/.test(content) ? undefined : content;
}

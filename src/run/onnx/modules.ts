/**
 * Finds the torch `nn.Module` subclasses in Python source, for the "Export & benchmark" CodeLens. Walks the
 * tree-sitter syntax tree (so classes in strings and comments do not count) and resolves how the file names torch:
 * `nn.Module`, `torch.nn.Module`, `Module` imported from torch.nn, aliases (`import torch.nn as nn2`,
 * `from torch.nn import Module as Base`), and classes that derive from a Module class of the same file.
 * Pure apart from loading the parser: text in, class names and lines out.
 */
import { createParser, type TreeSitter } from '../../core/parse/loader';

export interface ModuleClass {
  name: string;
  /** 0-based line of the `class` keyword (below any decorators). */
  line: number;
}

type Node = TreeSitter.Node;

const TORCH_NN_MODULES = new Set(['torch.nn', 'torch.nn.modules', 'torch.nn.modules.module']);

/** What the file's imports bind: names for the torch package, for torch.nn, and for the Module class itself. */
interface TorchNames {
  torch: Set<string>;
  nn: Set<string>;
  module: Set<string>;
}

const named = (nodes: (Node | null)[]): Node[] => nodes.filter((n): n is Node => n !== null);

function readImports(root: Node): TorchNames {
  // The usual spellings count even without a visible import (star imports, snippets, re-exports).
  const names: TorchNames = { torch: new Set(['torch']), nn: new Set(['nn']), module: new Set() };
  for (const stmt of named(root.descendantsOfType('import_statement'))) {
    for (const item of named(stmt.childrenForFieldName('name'))) {
      const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
      if (!dotted) continue;
      if (dotted === 'torch' && alias) names.torch.add(alias);
      if (dotted === 'torch.nn' && alias) names.nn.add(alias);
      // `import torch.nn` without an alias binds `torch`, which the defaults cover.
    }
  }
  for (const stmt of named(root.descendantsOfType('import_from_statement'))) {
    const from = stmt.childForFieldName('module_name')?.text;
    if (!from) continue;
    const items = named(stmt.childrenForFieldName('name'));
    for (const item of items) {
      const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
      const bound = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
      if (!name || !bound) continue;
      if (from === 'torch' && name === 'nn') names.nn.add(bound);
      if (TORCH_NN_MODULES.has(from) && name === 'Module') names.module.add(bound);
    }
    if (TORCH_NN_MODULES.has(from) && stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) names.module.add('Module');
  }
  return names;
}

/** `a.b.c` for identifiers and attribute chains; undefined for calls, subscripts and the like. */
function dottedName(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  const head = object ? dottedName(object) : undefined;
  return head && attribute ? `${head}.${attribute.text}` : undefined;
}

function isTorchModule(base: string, names: TorchNames): boolean {
  if (names.module.has(base)) return true;
  const parts = base.split('.');
  if (parts.length === 2) return parts[1] === 'Module' && names.nn.has(parts[0]);
  if (parts.length === 3) return parts[1] === 'nn' && parts[2] === 'Module' && names.torch.has(parts[0]);
  return false;
}

interface ClassInfo {
  name: string;
  line: number;
  bases: string[];
}

function readClasses(root: Node): ClassInfo[] {
  return named(root.descendantsOfType('class_definition')).flatMap((node) => {
    const name = node.childForFieldName('name')?.text;
    if (!name) return [];
    const superclasses = node.childForFieldName('superclasses');
    // keyword arguments (metaclass=...) are not bases
    const bases = named(superclasses?.namedChildren ?? []).flatMap((b) => dottedName(b) ?? []);
    return [{ name, line: node.startPosition.row, bases }];
  });
}

/** Module classes in source order: direct subclasses, then classes deriving from them in the same file. */
export function moduleClassesInTree(root: Node): ModuleClass[] {
  const names = readImports(root);
  const classes = readClasses(root);
  const modules = new Set<string>();
  // Repeat until stable: a subclass may be defined before its base (e.g. inside a function).
  for (let changed = true; changed;) {
    changed = false;
    for (const c of classes) {
      if (modules.has(c.name)) continue;
      if (c.bases.some((b) => isTorchModule(b, names) || modules.has(b))) {
        modules.add(c.name);
        changed = true;
      }
    }
  }
  return classes.filter((c) => modules.has(c.name)).map(({ name, line }) => ({ name, line }));
}

let parser: Promise<TreeSitter.Parser> | undefined;

/** Parses `source` as Python and lists its nn.Module subclasses (0-based lines, source order). */
export async function findModuleClasses(source: string): Promise<ModuleClass[]> {
  parser ??= createParser('python').catch((error: unknown) => {
    parser = undefined; // let a later call retry (e.g. after setWasmDirectory)
    throw error;
  });
  const tree = (await parser).parse(source);
  if (!tree) return [];
  try {
    return moduleClassesInTree(tree.rootNode);
  } finally {
    tree.delete();
  }
}

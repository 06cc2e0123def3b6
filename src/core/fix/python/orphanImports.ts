import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import { applyEdits } from '../edits';

type Node = TreeSitter.Node;

/** Modules whose names the fixes replace everywhere (`autocast` -> `torch.amp.autocast`, ...). */
const REPLACED_MODULES = new Set(['torch.cuda.amp']);

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * Where each name is used in the module: identifiers outside import statements, not an attribute's member (`x.torch`)
 * nor a keyword argument's name. Strings and comments are no use (`from torch import Tensor` neither).
 */
function identifierUses(root: Node): Map<string, number[]> {
  const uses = new Map<string, number[]>();
  // One walk down with an explicit stack, carrying "inside an import": climbing from each identifier to the root
  // was quadratic in a deep expression (a 2,000-long .cuda() chain took two minutes).
  const stack: Array<{ node: Node; inImport: boolean }> = [{ node: root, inImport: false }];
  while (stack.length > 0) {
    const { node, inImport } = stack.pop()!;
    if (node.type === 'identifier') {
      if (inImport) continue;
      const list = uses.get(node.text) ?? [];
      list.push(node.startIndex);
      uses.set(node.text, list);
      continue;
    }
    // `obj.name` and `f(name=...)`: the name is not a use of a binding.
    const notAUse = node.type === 'attribute' ? node.childForFieldName('attribute')?.id
      : node.type === 'keyword_argument' ? node.childForFieldName('name')?.id : undefined;
    const childInImport = inImport || IMPORTS.has(node.type);
    for (const child of node.children) {
      if (child && child.id !== notAUse) stack.push({ node: child, inImport: childInImport });
    }
  }
  return uses;
}

function usedOutside(uses: Map<string, number[]>, name: string, skip: Array<[number, number]>): boolean {
  return (uses.get(name) ?? []).some((at) => !skip.some(([start, end]) => at >= start && at < end));
}

/** Local names a module-level import binds: `import torch.nn` binds torch; `from m import a as b` binds b. */
function boundNames(statement: Node): Array<{ name: string; node: Node }> {
  if (statement.type === 'import_from_statement') {
    return statement.childrenForFieldName('name').filter((n): n is Node => !!n)
      .map((n) => ({ name: (n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text) ?? '', node: n }));
  }
  return statement.namedChildren.filter((n): n is Node => !!n && (n.type === 'dotted_name' || n.type === 'aliased_import'))
    .map((n) => ({ name: (n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text.split('.')[0]) ?? '', node: n }));
}

/**
 * Which module-level imports the fixes may have made dead: `from torch.cuda.amp import ...` (its names are replaced
 * everywhere) and `import torch` (a removed CUDA guard may have been its only use).
 */
function candidate(statement: Node): boolean {
  if (statement.type === 'import_from_statement') return REPLACED_MODULES.has(statement.childForFieldName('module_name')?.text ?? '');
  return statement.type === 'import_statement' && boundNames(statement).every(({ node }) => /^torch(\.|$)/.test(node.type === 'aliased_import' ? node.childForFieldName('name')?.text ?? '' : node.text));
}

/**
 * Module-level imports (see `candidate`) with names the original used and the fixed text no longer uses: the fixes
 * made them dead, so they go; a whole statement with its line, or only the dead names of a `from` import whose other
 * names are still used (`from torch.cuda.amp import GradScaler, autocast` once every autocast is torch.amp's).
 * Returns the text, the edits on `fixed` and the lines changed.
 */
export function dropOrphanedImports(originalRoot: Node, fixed: string, root: Node): { text: string; edits: TextEdit[]; lines: number[] } {
  const edits: Array<TextEdit & { line: number }> = [];
  const helpers: Array<[number, number]> = root.namedChildren
    .filter((c): c is Node => c?.type === 'function_definition' && !!c.childForFieldName('name')?.text.startsWith('_porta_'))
    .map((c) => [c.startIndex, c.endIndex]);
  const before = identifierUses(originalRoot);
  const after = identifierUses(root);
  for (const statement of root.namedChildren) {
    if (!statement || !candidate(statement)) continue;
    const names = boundNames(statement);
    if (names.length === 0 || names.some(({ name }) => !name)) continue;
    const usedBefore = (name: string): boolean => usedOutside(before, name, []);
    // Porta's helpers name torch themselves; they never use the replaced modules' bare names.
    const usedAfter = (name: string): boolean => usedOutside(after, name, statement.type === 'import_statement' ? [] : helpers);
    const dead = names.filter(({ name }) => usedBefore(name) && !usedAfter(name));
    if (dead.length === 0) continue;
    const line = statement.startPosition.row + 1;
    if (dead.length < names.length) {
      if (statement.type !== 'import_from_statement') continue; // `import torch, torch.nn as nn`: left whole
      const kept = names.filter((n) => !dead.includes(n));
      edits.push({ start: names[0]!.node.startIndex, end: names[names.length - 1]!.node.endIndex, text: kept.map((n) => n.node.text).join(', '), line });
      continue;
    }
    const start = fixed.lastIndexOf('\n', statement.startIndex - 1) + 1;
    const newline = fixed.indexOf('\n', statement.endIndex);
    const end = newline === -1 ? fixed.length : newline + 1;
    if (fixed.slice(start, statement.startIndex).trim() !== '' || fixed.slice(statement.endIndex, end).trim() !== '') continue;
    edits.push({ start, end, text: '', line });
  }
  return { text: applyEdits(fixed, edits), edits: edits.map(({ start, end, text }) => ({ start, end, text })), lines: edits.map((e) => e.line) };
}

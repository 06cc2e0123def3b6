import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import { applyEdits } from '../edits';

type Node = TreeSitter.Node;

/** Modules whose names the fixes replace everywhere (`autocast` -> `torch.amp.autocast`, ...). */
const REPLACED_MODULES = new Set(['torch.cuda.amp']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Occurrences of `name` as a bare word outside the `skip` ranges (the import itself, Porta's helpers). */
function uses(text: string, name: string, skip: Array<[number, number]>): number {
  let count = 0;
  for (const m of text.matchAll(new RegExp(`(?<![\\w."'])${escapeRegExp(name)}\\b`, 'g'))) {
    if (!skip.some(([start, end]) => m.index! >= start && m.index! < end)) count++;
  }
  return count;
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
export function dropOrphanedImports(original: string, fixed: string, root: Node): { text: string; edits: TextEdit[]; lines: number[] } {
  const edits: Array<TextEdit & { line: number }> = [];
  const helpers: Array<[number, number]> = root.namedChildren
    .filter((c): c is Node => c?.type === 'function_definition' && !!c.childForFieldName('name')?.text.startsWith('_porta_'))
    .map((c) => [c.startIndex, c.endIndex]);
  for (const statement of root.namedChildren) {
    if (!statement || !candidate(statement)) continue;
    const names = boundNames(statement);
    if (names.length === 0 || names.some(({ name }) => !name)) continue;
    const span: [number, number] = [statement.startIndex, statement.endIndex];
    const before = original.indexOf(statement.text);
    if (before === -1) continue;
    const usedBefore = (name: string): boolean => uses(original, name, [[before, before + statement.text.length]]) > 0;
    // Porta's helpers name torch themselves; they never use the replaced modules' bare names.
    const usedAfter = (name: string): boolean => uses(fixed, name, statement.type === 'import_statement' ? [span] : [span, ...helpers]) > 0;
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

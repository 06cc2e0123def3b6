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

/**
 * `from torch.cuda.amp import GradScaler, autocast` at module level, whose names the fixed text no longer uses although
 * the original did: the fixes made the import dead, so it goes (with its line). Returns the text, the edits on `fixed`
 * and the removed lines.
 */
export function dropOrphanedImports(original: string, fixed: string, root: Node): { text: string; edits: TextEdit[]; lines: number[] } {
  const removals: Array<[number, number, number]> = [];
  const helpers: Array<[number, number]> = root.namedChildren
    .filter((c): c is Node => c?.type === 'function_definition' && !!c.childForFieldName('name')?.text.startsWith('_porta_'))
    .map((c) => [c.startIndex, c.endIndex]);
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_from_statement') continue;
    if (!REPLACED_MODULES.has(statement.childForFieldName('module_name')?.text ?? '')) continue;
    const names = statement.childrenForFieldName('name').filter((n): n is Node => !!n)
      .map((n) => (n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text) ?? '');
    const span: [number, number] = [statement.startIndex, statement.endIndex];
    if (names.length === 0 || names.some((name) => !name || uses(fixed, name, [span, ...helpers]) > 0)) continue;
    const before = original.indexOf(statement.text);
    if (before === -1 || !names.every((name) => uses(original, name, [[before, before + statement.text.length]]) > 0)) continue;
    const start = fixed.lastIndexOf('\n', statement.startIndex - 1) + 1;
    const newline = fixed.indexOf('\n', statement.endIndex);
    const end = newline === -1 ? fixed.length : newline + 1;
    if (fixed.slice(start, statement.startIndex).trim() !== '' || fixed.slice(statement.endIndex, end).trim() !== '') continue;
    removals.push([start, end, statement.startPosition.row + 1]);
  }
  const edits = removals.map(([start, end]) => ({ start, end, text: '' }));
  return { text: applyEdits(fixed, edits), edits, lines: removals.map((r) => r[2]) };
}

/** Edits to an open document, kept in step with its syntax tree so that the next parse is incremental. */
import type { TreeSitter } from './loader';

/** [start, end) in 0-based UTF-16 offsets. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** A replacement of [start, end) in 0-based UTF-16 offsets of the text at the time the edit is applied. */
export interface DocumentEdit {
  start: number;
  end: number;
  text: string;
}

function point(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** The text after `edit`; the tree (when there is one) is told about the edit, as tree-sitter's incremental parse needs. */
export function applyEdit(text: string, edit: DocumentEdit, tree: TreeSitter.Tree | null): string {
  const next = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  if (tree) {
    const newEnd = edit.start + edit.text.length;
    tree.edit({
      startIndex: edit.start,
      oldEndIndex: edit.end,
      newEndIndex: newEnd,
      startPosition: point(text, edit.start),
      oldEndPosition: point(text, edit.end),
      newEndPosition: point(next, newEnd),
    });
  }
  return next;
}

/** The single edit turning `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): DocumentEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, text: after.slice(start, endAfter) };
}

/** Normalises an update (edit list or whole new text) to edits, dropping no-ops. */
export function editsOf(text: string, change: readonly DocumentEdit[] | string): DocumentEdit[] {
  const edits = typeof change === 'string' ? [diffEdit(text, change)] : change;
  return edits.filter((e) => !(e.start === e.end && e.text === ''));
}

/**
 * Items of a whole-file pass grouped by the top-level range (statement, declaration) their start falls in. Ranges
 * are in order and do not overlap; the extra last bucket holds items outside every range.
 */
export function bucketByRange<T>(items: readonly T[], startOf: (item: T) => number, ranges: readonly OffsetRange[]): T[][] {
  const buckets: T[][] = ranges.map(() => []);
  const outside: T[] = [];
  for (const item of items) {
    const at = startOf(item);
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ranges[mid]!.start <= at) lo = mid;
      else hi = mid - 1;
    }
    const range = ranges[lo];
    (range && range.start <= at && at < range.end ? buckets[lo]! : outside).push(item);
  }
  buckets.push(outside);
  return buckets;
}

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

/**
 * Where tree-sitter may build another tree incrementally than fresh: error recovery (ERROR and MISSING nodes), and
 * a `*`/`**` splat where Python allows none, which the grammar reads by precedence (`*` then a new line and
 * `torch.f(x)` is a splat of the call incrementally, a call on `*torch` fresh).
 */
const AMBIGUOUS = ['list_splat', 'dictionary_splat'];

/** The range the edits since the last parse touched, in offsets of the text after `edit` (the new text's). */
export function coverEdit(touched: OffsetRange | undefined, edit: DocumentEdit): OffsetRange {
  const delta = edit.text.length - (edit.end - edit.start);
  const inserted = { start: edit.start, end: edit.start + edit.text.length };
  if (!touched) return inserted;
  const move = (offset: number): number => (offset <= edit.start ? offset : offset >= edit.end ? offset + delta : inserted.end);
  return { start: Math.min(move(touched.start), inserted.start), end: Math.max(move(touched.end), inserted.end) };
}

/** The top-level statement (child of the root) at `offset`, or the root itself. */
function topLevelAt(root: TreeSitter.Node, offset: number): TreeSitter.Node {
  let node: TreeSitter.Node | null = root.descendantForIndex(offset);
  while (node && node.parent && node.parent.id !== root.id) node = node.parent;
  return node ?? root;
}

function editMayParseDifferently(next: TreeSitter.Tree, touched: OffsetRange | undefined): boolean {
  const root = next.rootNode;
  if (root.hasError) return true;
  if (!touched) return false;
  const first = topLevelAt(root, Math.max(0, touched.start - 1));
  const last = topLevelAt(root, touched.end);
  return root.descendantsOfType(AMBIGUOUS, first.startPosition, last.endPosition).length > 0;
}

/**
 * The tree of `text` after edits were applied to `previous` (which is consumed); `touched` covers those edits
 * (coverEdit). An open document must see the tree `porta scan` sees: only a tree without syntax errors is reused,
 * and an incremental result that may differ from a fresh parse (see AMBIGUOUS) is parsed afresh. A document that
 * stays broken costs one fresh parse per analysis, not two.
 */
export function parseEdited(parser: TreeSitter.Parser, text: string, previous: TreeSitter.Tree | null, touched?: OffsetRange): TreeSitter.Tree | null {
  const reusable = previous && !previous.rootNode.hasError ? previous : null;
  let next = parser.parse(text, reusable);
  if (reusable && next && editMayParseDifferently(next, touched)) {
    next.delete();
    next = parser.parse(text);
  }
  previous?.delete();
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

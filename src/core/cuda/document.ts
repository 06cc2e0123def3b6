/**
 * An open CUDA C++ document for live diagnostics: edits reach tree-sitter as tree.edit() so each analysis re-parses
 * incrementally, and the hits of every top-level declaration are cached by its text, so an edit re-analyses only
 * the declarations it touched. Declarations with syntax errors (typing in progress) are analysed afresh every time.
 */
import type { AnalysisResult, LanguageDocument } from '../model';
import type { TreeSitter } from '../parse/loader';
import { applyEdit, bucketByRange, coverEdit, editsOf, parseEdited, type DocumentEdit, type OffsetRange } from '../parse/incremental';
import { LineIndex } from '../text';
import { cudaFindings, cudaHits, shiftFix, syntaxNotes, type CudaHit, type PlacedHit } from './analyzer';

/** A hit moved by `by` characters (cached hits are stored relative to their declaration's start). */
function shiftHit(hit: CudaHit, by: number): CudaHit {
  return { ...hit, start: hit.start + by, end: hit.end + by, fix: hit.fix && shiftFix(hit.fix, by) };
}

/**
 * When the declarations to analyse hold more than this share of the text (the first analysis, a big paste), one
 * pass over the whole file is cheaper than a pass per declaration (each pass has a fixed cost of ~30 µs).
 */
const WHOLE_FILE_SHARE = 0.5;

/**
 * What the text before a declaration decides: the character before it, and whether the line break there is escaped
 * (`int q; \\` then `#include <...>`: one logical line, so that `#include` is no directive).
 */
function lineStartKey(text: string, start: number): string {
  const before = text.charAt(start - 1);
  if (before !== '\n') return before;
  const escaped = text.charAt(start - 2) === '\\' || (text.charAt(start - 2) === '\r' && text.charAt(start - 3) === '\\');
  return escaped ? '\\\n' : before;
}

export class CudaDocument implements LanguageDocument {
  private tree: TreeSitter.Tree | null = null;
  /** What the edits since the last parse touched: the reused tree is checked there (parseEdited). */
  private touched: OffsetRange | undefined;
  private dirty = true;
  /** Hits per top-level declaration text, relative to the declaration's start. */
  private cache = new Map<string, CudaHit[]>();

  constructor(
    readonly path: string,
    public text: string,
    private readonly parser: TreeSitter.Parser,
    private readonly ts: typeof TreeSitter,
  ) {}

  update(change: readonly DocumentEdit[] | string): void {
    for (const edit of editsOf(this.text, change)) {
      this.text = applyEdit(this.text, edit, this.tree);
      this.touched = coverEdit(this.touched, edit);
      this.dirty = true;
    }
  }

  /** withFixes false: the same findings without their fixes (live typing; less to send to the editor). */
  analyze(withFixes = true): AnalysisResult {
    if (this.dirty || !this.tree) {
      this.tree = parseEdited(this.parser, this.text, this.tree, this.touched);
      this.touched = undefined;
      this.dirty = false;
    }
    const tree = this.tree;
    if (!tree) return { findings: [], notes: [{ path: this.path, kind: 'unreadable', message: 'tree-sitter could not parse the file' }] };
    const text = this.text;
    const lines = new LineIndex(text);
    // A declaration with a syntax error (typing in progress) is analysed afresh each time and never cached (key undefined).
    // So is every declaration when the grammar gave up on the whole file (an ERROR root): it is inside that error.
    // The character before a declaration is part of its key: an #include's prerequisite goes at its line's start.
    const rootInError = tree.rootNode.type === 'ERROR';
    const declarations = tree.rootNode.children
      .filter((d): d is TreeSitter.Node => d !== null)
      .map((node) => ({ node, start: node.startIndex, key: rootInError || node.hasError || node.isMissing ? undefined : lineStartKey(text, node.startIndex) + node.type + '\0' + text.slice(node.startIndex, node.endIndex) }));
    let freshLength = 0;
    for (const d of declarations) if (d.key === undefined || !this.cache.has(d.key)) freshLength += d.node.endIndex - d.start;
    const wholeFile = freshLength > WHOLE_FILE_SHARE * text.length ? bucketByRange(cudaHits(tree, text, this.ts), (hit) => hit.start, declarations.map((d) => ({ start: d.start, end: d.node.endIndex }))) : undefined;
    const next = new Map<string, CudaHit[]>();
    const placed: PlacedHit[] = [];
    declarations.forEach(({ node, start, key }, index) => {
      const own = () => wholeFile?.[index] ?? cudaHits(tree, text, this.ts, node);
      if (key === undefined) {
        for (const hit of own()) placed.push([hit, 0]);
        return;
      }
      let relative = next.get(key) ?? this.cache.get(key);
      if (!relative) relative = own().map((hit) => shiftHit(hit, -start));
      next.set(key, relative);
      for (const hit of relative) placed.push([hit, start]);
    });
    if (wholeFile) for (const hit of wholeFile[declarations.length]!) placed.push([hit, 0]);
    this.cache = next;
    return { findings: cudaFindings(this.path, placed, lines, withFixes), notes: syntaxNotes(this.path, tree, lines) };
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
  }
}

import type { AnalysisResult } from '../model';
import type { FixOptions } from '../fix/types';
import type { TreeSitter } from '../parse/loader';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config';
import { analyzePythonTree } from './analyzer';

/** A replacement of [start, end) in 0-based UTF-16 offsets of the text at the time the edit is applied. */
export interface DocumentEdit {
  start: number;
  end: number;
  text: string;
}

type PostProcess = (result: AnalysisResult, text: string, config: ResolvedConfig) => AnalysisResult;

/** An open Python document: edits go to tree-sitter as tree.edit(), and analyze() re-parses with the old tree. */
export class PythonDocument {
  private tree: TreeSitter.Tree | null = null;
  private dirty = true;

  constructor(
    readonly path: string,
    public text: string,
    private readonly parser: TreeSitter.Parser,
    private readonly post: PostProcess,
  ) {}

  update(change: DocumentEdit[] | string): void {
    const edits = typeof change === 'string' ? [diff(this.text, change)] : change;
    for (const edit of edits) {
      if (edit.start === edit.end && edit.text === '') continue;
      if (this.tree) {
        const newEnd = edit.start + edit.text.length;
        const startPosition = point(this.text, edit.start);
        const oldEndPosition = point(this.text, edit.end);
        const next = this.text.slice(0, edit.start) + edit.text + this.text.slice(edit.end);
        this.tree.edit({ startIndex: edit.start, oldEndIndex: edit.end, newEndIndex: newEnd, startPosition, oldEndPosition, newEndPosition: point(next, newEnd) });
        this.text = next;
      } else {
        this.text = this.text.slice(0, edit.start) + edit.text + this.text.slice(edit.end);
      }
      this.dirty = true;
    }
  }

  analyze(config: ResolvedConfig = DEFAULT_CONFIG, fixOptions?: FixOptions): AnalysisResult {
    if (this.dirty || !this.tree) {
      const next = this.parser.parse(this.text, this.tree);
      this.tree?.delete();
      this.tree = next;
      this.dirty = false;
    }
    if (!this.tree) return { findings: [], notes: [] };
    return this.post(analyzePythonTree(this.path, this.text, this.tree, fixOptions ?? { target: config.fixTarget }), this.text, config);
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
  }
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

/** The single edit turning `before` into `after` (common prefix and suffix kept). */
function diff(before: string, after: string): DocumentEdit {
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

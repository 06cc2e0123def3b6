import * as vscode from 'vscode';
import type { Range as CoreRange, TextEdit as CoreEdit } from '../core/model';
import { diffEdit } from '../core/parse/incremental';

/** Line starts of a text snapshot: converts core 1-based ranges and 0-based offsets to VS Code positions. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line0: number): number {
    return this.starts[Math.min(Math.max(line0, 0), this.starts.length - 1)];
  }

  positionAt(offset: number): vscode.Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, clamped - this.starts[lo]);
  }
}

/** Core positions are 1-based lines and columns (UTF-16 code units); VS Code's are 0-based. */
export function toVsRange(range: CoreRange, lineOffset = 0): vscode.Range {
  return new vscode.Range(
    Math.max(range.start.line - 1 - lineOffset, 0),
    Math.max(range.start.column - 1, 0),
    Math.max(range.end.line - 1 - lineOffset, 0),
    Math.max(range.end.column - 1, 0),
  );
}

/**
 * Where an analysed snapshot lives in the editor. A text file maps onto one document; a notebook's code
 * cells are analysed as one text (cells joined by newlines) and mapped back per cell.
 */
export interface SnapshotMap {
  /** The document location of a core range, or undefined when it spans cells. */
  locate(range: CoreRange, cell?: number): { uri: vscode.Uri; range: vscode.Range } | undefined;
  /** Adds core edits (offsets into the analysed text) to a WorkspaceEdit; false when one cannot be mapped. */
  addEdits(target: vscode.WorkspaceEdit, edits: readonly CoreEdit[], metadata?: vscode.WorkspaceEditEntryMetadata): boolean;
}

export class DocumentMap implements SnapshotMap {
  private readonly index: LineIndex;

  constructor(
    private readonly uri: vscode.Uri,
    text: string,
  ) {
    this.index = new LineIndex(text);
  }

  locate(range: CoreRange): { uri: vscode.Uri; range: vscode.Range } {
    return { uri: this.uri, range: toVsRange(range) };
  }

  addEdits(target: vscode.WorkspaceEdit, edits: readonly CoreEdit[], metadata?: vscode.WorkspaceEditEntryMetadata): boolean {
    for (const e of edits) {
      const range = new vscode.Range(this.index.positionAt(e.start), this.index.positionAt(e.end));
      target.replace(this.uri, range, e.text, metadata);
    }
    return true;
  }
}

export interface CellSlice {
  uri: vscode.Uri;
  /** Offset and 0-based line of the cell's first character in the joined text. */
  offset: number;
  line: number;
  length: number;
}

export class NotebookMap implements SnapshotMap {
  private readonly index: LineIndex;

  constructor(
    readonly cells: readonly CellSlice[],
    text: string,
  ) {
    this.index = new LineIndex(text);
  }

  /** Joins code cells; the analyser sees one Python module, as the kernel would run it top to bottom. */
  static join(cells: readonly { uri: vscode.Uri; text: string }[]): { text: string; map: NotebookMap } {
    const slices: CellSlice[] = [];
    let text = '';
    let line = 0;
    for (const cell of cells) {
      if (text.length > 0) {
        text += '\n';
        line += 1;
      }
      slices.push({ uri: cell.uri, offset: text.length, line, length: cell.text.length });
      text += cell.text;
      for (let i = 0; i < cell.text.length; i++) if (cell.text.charCodeAt(i) === 10) line++;
    }
    return { text, map: new NotebookMap(slices, text) };
  }

  private sliceAtLine(line0: number): CellSlice | undefined {
    let found: CellSlice | undefined;
    for (const s of this.cells) if (s.line <= line0) found = s;
    return found;
  }

  private sliceAtOffset(offset: number): CellSlice | undefined {
    let found: CellSlice | undefined;
    for (const s of this.cells) if (s.offset <= offset) found = s;
    return found;
  }

  locate(range: CoreRange, cell?: number): { uri: vscode.Uri; range: vscode.Range } | undefined {
    // A finding that already names its cell (an .ipynb analysed by the core) is cell-relative.
    if (cell !== undefined) {
      const s = this.cells[cell];
      return s ? { uri: s.uri, range: toVsRange(range) } : undefined;
    }
    const start = this.sliceAtLine(range.start.line - 1);
    const end = this.sliceAtLine(range.end.line - 1);
    if (!start || start !== end) return undefined;
    return { uri: start.uri, range: toVsRange(range, start.line) };
  }

  addEdits(target: vscode.WorkspaceEdit, edits: readonly CoreEdit[], metadata?: vscode.WorkspaceEditEntryMetadata): boolean {
    const mapped: { uri: vscode.Uri; range: vscode.Range; text: string }[] = [];
    for (const e of edits) {
      const s = this.sliceAtOffset(e.start);
      if (!s || e.end > s.offset + s.length) return false;
      const startLine = this.index.positionAt(e.start);
      const endLine = this.index.positionAt(e.end);
      mapped.push({
        uri: s.uri,
        range: new vscode.Range(startLine.line - s.line, startLine.character, endLine.line - s.line, endLine.character),
        text: e.text,
      });
    }
    for (const m of mapped) target.replace(m.uri, m.range, m.text, metadata);
    return true;
  }
}

/** Each changed cell rewritten to its new text, as one minimal edit per cell (common prefix and suffix kept). */
export function addCellRewrites(target: vscode.WorkspaceEdit, cells: readonly { uri: vscode.Uri; text: string }[], sources: readonly string[]): void {
  cells.forEach((cell, i) => {
    const next = sources[i];
    if (next === undefined || next === cell.text) return;
    const change = diffEdit(cell.text, next);
    const index = new LineIndex(cell.text);
    target.replace(cell.uri, new vscode.Range(index.positionAt(change.start), index.positionAt(change.end)), change.text);
  });
}

import { shiftGuard } from '../guarded';
import type { AnalysisResult, FileNote, Finding } from '../model';
import type { FixOptions } from '../fix/types';
import type { TreeSitter } from '../parse/loader';
import { analyzePythonTree } from '../python/analyzer';
import { findingFromRange } from '../findings';
import { parseSuppressions } from '../suppress';
import { LineIndex } from '../text';
import { shellWordHits } from './docker';
import { cellSource, parseNotebook } from './notebookShape';

interface CellSpan {
  cell: number;
  /** 1-based line in the combined text where the cell starts. */
  firstLine: number;
  lineCount: number;
  /** 1-based line of the cell's "source" key in the raw .ipynb, when found. */
  rawLine?: number;
}

/**
 * Jupyter notebooks: code cells are joined into one Python text (magics and `!` shell lines blanked out and checked
 * as shell), analysed once, and every finding is mapped back to its cell (cell-relative range) plus the raw JSON line.
 */
export function analyzeNotebook(path: string, raw: string, parse: (text: string) => TreeSitter.Tree, fixOptions?: FixOptions | null): AnalysisResult {
  const parsed = parseNotebook(raw);
  if ('error' in parsed) return { findings: [], notes: [{ path, kind: 'skipped', message: `Not a valid notebook: ${parsed.error}` }] };
  const doc = parsed.notebook;
  const spans: CellSpan[] = [];
  const parts: string[] = [];
  const shellFindings: Finding[] = [];
  const rawLines = findSourceLines(raw);
  let line = 1;
  let codeCell = 0;
  doc.cells.forEach((cell, cellIndex) => {
    const rawLine = rawLines[cellIndex];
    if (cell.cell_type !== 'code') return;
    codeCell++;
    const source = cellSource(cell);
    const lines = source.split('\n');
    let continued = false;
    const python = lines.map((text, i) => {
      // A magic line ending in `\` goes on over the next line, as in IPython: that line is shell too.
      const continuation = continued;
      const magic = continuation ? /^()()(.*)$/.exec(text) : /^(\s*)(!|%%?)(.*)$/.exec(text);
      if (!magic) return text;
      continued = text.endsWith('\\');
      const command = magic[2] === '!' || continuation ? magic[3] : magic[3].replace(/^(?:env|system|sx|sh|bash)\s+/, '');
      const offset = magic[1].length + magic[2].length + (magic[3].length - command.length);
      for (const hit of shellWordHits(command.replace(/^env\s+/, ''))) {
        const range = { start: { line: i + 1, column: offset + hit.start + 1 }, end: { line: i + 1, column: offset + hit.end + 1 } };
        const finding = findingFromRange(path, hit.ruleId, range, command.slice(hit.start, hit.end));
        finding.cell = cellIndex;
        if (rawLine) finding.related = [{ path, range: { start: { line: rawLine + 1 + i, column: 1 }, end: { line: rawLine + 1 + i, column: 1 } }, message: `notebook JSON (cell ${codeCell})` }];
        shellFindings.push(finding);
      }
      // IPython runs a magic as a statement, so one stands in its place (same length): a block holding only magics
      // (`for f in files:` then `!wget $f`) still parses.
      return continuation ? ' '.repeat(text.length) : `${magic[1]}0`.padEnd(text.length, ' ');
    });
    spans.push({ cell: cellIndex, firstLine: line, lineCount: lines.length, rawLine });
    parts.push(python.join('\n'));
    line += lines.length;
  });
  const combined = parts.join('\n');
  const tree = parse(combined);
  let result: AnalysisResult;
  try {
    result = analyzePythonTree(path, combined, tree, fixOptions);
  } finally {
    tree.delete();
  }
  const suppress = parseSuppressions(combined);
  const findings: Finding[] = [];
  for (const finding of result.findings) {
    if (suppress.isSuppressed(finding.rule, finding.range.start.line)) continue;
    const span = spans.find((s) => finding.range.start.line >= s.firstLine && finding.range.start.line < s.firstLine + s.lineCount);
    if (!span) continue;
    const shift = span.firstLine - 1;
    const mapped: Finding = {
      ...finding,
      cell: span.cell,
      range: { start: { line: finding.range.start.line - shift, column: finding.range.start.column }, end: { line: finding.range.end.line - shift, column: finding.range.end.column } },
      // The guarding construct sits in the same cell: its line is cell-relative too.
      ...(finding.guard ? { guard: shiftGuard(finding.guard, -shift) } : {}),
      // Edits are offsets into the combined cell text: they cannot be applied to the raw JSON, so they are dropped.
      fix: undefined,
    };
    if (span.rawLine) {
      const rawAt = span.rawLine + mapped.range.start.line;
      mapped.related = [{ path, range: { start: { line: rawAt, column: 1 }, end: { line: rawAt, column: 1 } }, message: `notebook JSON (cell ${spans.indexOf(span) + 1})` }];
    }
    findings.push(mapped);
  }
  const notes: FileNote[] = result.notes.map((note) => ({ ...note, message: `${note.message} (in a code cell)`, range: undefined }));
  for (const f of shellFindings) if (!parseSuppressions(combined).isSuppressed(f.rule, -1)) findings.push(f);
  return { findings, notes };
}

/** The raw line of each cell's "source" key (nbformat writes one key per line). */
function findSourceLines(raw: string): number[] {
  const index = new LineIndex(raw);
  const lines: number[] = [];
  for (const m of raw.matchAll(/"source"\s*:/g)) lines.push(index.position(m.index).line);
  return lines;
}

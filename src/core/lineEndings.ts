import type { AnalysisResult, TextEdit } from './model';

/**
 * Files with lone CR line endings (classic Mac OS, some generators): Python reads a lone CR as a newline, but the
 * tree-sitter grammars and the line index do not, so such a file would parse as one long line with a syntax error.
 * The analyzer and the fixer work on a copy with each lone CR turned into LF: the same length, so every offset (and
 * therefore every edit) holds for the real file, and its lines are the lines an editor shows.
 */
const LONE_CR = /\r(?!\n)/g;

export function hasLoneCR(text: string): boolean {
  return /\r(?!\n)/.test(text);
}

/** `text` with lone CRs as LFs (CRLF pairs are left alone: tree-sitter and the line index read them correctly). */
export function normalizeLoneCR(text: string): string {
  return hasLoneCR(text) ? text.replace(LONE_CR, '\n') : text;
}

/** The newline inserted text should use in `original`: CR for a file that uses only lone CRs, else LF. */
function insertedNewline(original: string): '\n' | '\r' {
  return hasLoneCR(original) && !original.includes('\n') ? '\r' : '\n';
}

/** Edits computed on the normalised text, with their newlines written as `original` writes them. */
export function editsForFile(original: string, edits: readonly TextEdit[]): TextEdit[] {
  const eol = insertedNewline(original);
  if (eol === '\r') return edits.map((edit) => ({ ...edit, text: edit.text.replace(/\n/g, eol) }));
  if (!hasLoneCR(original)) return [...edits];
  // Mixed endings: an LF written (or brought) right after a lone CR would join it into one CRLF line break, and a
  // line the fix meant would be lost. Such an edit takes the CR in and writes it as LF (what the analysis read).
  let previousEnd = 0;
  return [...edits].sort((a, b) => a.start - b.start).map((edit) => {
    const afterLoneCR = edit.start > previousEnd && original[edit.start - 1] === '\r' && original[edit.start] !== '\n';
    previousEnd = edit.end;
    const joins = edit.text.startsWith('\n') || (edit.text === '' && original[edit.end] === '\n');
    return afterLoneCR && joins ? { ...edit, start: edit.start - 1, text: `\n${edit.text}` } : edit;
  });
}

/** An analysis of the normalised text, with its fixes' edits written for the real file. */
export function resultForFile(original: string, result: AnalysisResult): AnalysisResult {
  if (insertedNewline(original) === '\n') return result;
  return {
    ...result,
    findings: result.findings.map((finding) => (finding.fix ? { ...finding, fix: { ...finding.fix, edits: editsForFile(original, finding.fix.edits) } } : finding)),
  };
}

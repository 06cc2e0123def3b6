/**
 * Notebooks are fixed as one Python program: code cells joined with a marker comment (comments are never
 * edited), IPython magics masked as comments of the same length, then split back into cells.
 */
import { cellSource, parseNotebook } from '../formats/notebookShape';
import { jsonSpans } from './jsonSpans';
import { sourceJson } from './notebookSource';

const MARKER = '# %%porta-cell-boundary%%';

export function isNotebook(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
}

const MAGIC = /^(\s*)([%!?])/;

/** IPython magic lines (`%time`, `%%capture`, `!pip`, `?obj`) as comments of the same length, so the program parses. */
function maskMagics(text: string): { text: string; lines: number[] } {
  const lines: number[] = [];
  const out = text.split('\n').map((line, n) => {
    const m = MAGIC.exec(line);
    if (!m) return line;
    lines.push(n);
    return m[1] + '#' + line.slice(m[0].length);
  });
  return { text: out.join('\n'), lines };
}

/**
 * Code cells' sources fixed as one program by `fixPython` (what `porta fix` does to an .ipynb, and the editor's Fix All
 * to an open notebook). Returns the new sources, the same strings where a cell did not change.
 */
export function fixCellSources(sources: readonly string[], fixPython: (program: string) => string): string[] {
  const masked: Array<Map<number, string>> = [];
  const parts = sources.map((source, index) => {
    const { text, lines } = maskMagics(source);
    const original = source.split('\n');
    masked[index] = new Map(lines.map((n) => [n, original[n]!]));
    return text;
  });
  const program = parts.join(`\n${MARKER}\n`);
  const fixed = fixPython(program);
  if (fixed === program) return [...sources];
  const fixedParts = fixed.split(`\n${MARKER}\n`);
  if (fixedParts.length !== sources.length) throw new Error('cell boundaries moved during the rewrite');
  return sources.map((source, index) => {
    const magics = masked[index]!;
    let text = fixedParts[index]!;
    if (text === parts[index]) return source;
    if (magics.size > 0) text = restoreMagics(parts[index]!, text, magics);
    return text;
  });
}

/**
 * Puts the masked magic lines back. Fixes never edit comments, so each masked line is still there, wherever code was
 * inserted or wrapped around it: the k-th copy of its masked text in the fixed cell is the k-th in the masked cell.
 */
function restoreMagics(masked: string, fixed: string, magics: Map<number, string>): string {
  const before = masked.split('\n');
  const lines = fixed.split('\n');
  const wanted = new Set([...magics.keys()].map((n) => before[n]!));
  const where = new Map<string, number[]>();
  lines.forEach((line, i) => {
    if (!wanted.has(line)) return;
    const list = where.get(line);
    if (list) list.push(i);
    else where.set(line, [i]);
  });
  const seen = new Map<string, number>();
  const places: Array<[number, string]> = [];
  before.forEach((text, n) => {
    if (!wanted.has(text)) return;
    const copy = seen.get(text) ?? 0;
    seen.set(text, copy + 1);
    const line = magics.get(n);
    if (line === undefined) return;
    const at = where.get(text)?.[copy];
    if (at === undefined) throw new Error('a magic line moved during the rewrite');
    places.push([at, line]);
  });
  for (const [at, line] of places) lines[at] = line;
  return lines.join('\n');
}

/**
 * Rewrites the code cells of a notebook's JSON with `fixPython`. Only the `source` values of the cells that change are
 * replaced, each in its own form (string or list of lines); every other byte of the file stays as it was.
 */
export function fixNotebookJson(json: string, fixPython: (program: string) => string): { json: string; changed: boolean } {
  const parsed = parseNotebook(json);
  if ('error' in parsed) throw new Error(`not a valid notebook: ${parsed.error}`);
  const notebook = parsed.notebook;
  const codeIndexes = notebook.cells.flatMap((cell, index) => (cell.cell_type === 'code' ? [index] : []));
  const sources = codeIndexes.map((index) => cellSource(notebook.cells[index]!));
  const fixed = fixCellSources(sources, fixPython);
  if (fixed.every((text, i) => text === sources[i])) return { json, changed: false };
  const cellSpans = jsonSpans(json).members?.get('cells')?.items ?? [];
  const indentUnit = /^\{\r?\n([ \t]+)"/.exec(json)?.[1] ?? ' ';
  const replacements = codeIndexes.flatMap((cellIndex, i) => {
    if (fixed[i] === sources[i]) return [];
    const span = cellSpans[cellIndex]?.members?.get('source');
    if (!span || (span.kind !== 'string' && span.kind !== 'array')) throw new Error(`cell ${cellIndex + 1} has no source to rewrite`);
    return [{ span, text: sourceJson(json, span, fixed[i]!, indentUnit) }];
  });
  let out = json;
  for (const { span, text } of replacements.reverse()) out = out.slice(0, span.start) + text + out.slice(span.end);
  return { json: out, changed: true };
}

/**
 * Notebooks are fixed as one Python program: code cells joined with a marker comment (comments are never
 * edited), IPython magics masked as comments of the same length, then split back into cells.
 */
const MARKER = '# %%porta-cell-boundary%%';

interface NotebookCell {
  cell_type: string;
  source: string | string[];
}
interface Notebook {
  cells: NotebookCell[];
}

export function isNotebook(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
}

function sourceText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

function toSourceLines(text: string): string[] {
  const lines = text.split('\n').map((line, i, all) => (i < all.length - 1 ? line + '\n' : line));
  return lines.length > 0 && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
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

/** Rewrites the code cells of a notebook's JSON with `fixPython`; other cells and metadata are kept. */
export function fixNotebookJson(json: string, fixPython: (program: string) => string): { json: string; changed: boolean } {
  const notebook = JSON.parse(json) as Notebook;
  if (!Array.isArray(notebook.cells)) throw new Error('not a Jupyter notebook (no "cells" array)');
  const codeCells = notebook.cells.filter((c) => c.cell_type === 'code');
  const sources = codeCells.map(sourceText);
  const fixed = fixCellSources(sources, fixPython);
  if (fixed.every((text, i) => text === sources[i])) return { json, changed: false };
  codeCells.forEach((cell, index) => {
    if (fixed[index] !== sources[index]) cell.source = toSourceLines(fixed[index]!);
  });
  const indent = /^\{\n( +)"/.exec(json)?.[1]?.length ?? 1;
  return { json: JSON.stringify(notebook, null, indent) + (json.endsWith('\n') ? '\n' : ''), changed: true };
}

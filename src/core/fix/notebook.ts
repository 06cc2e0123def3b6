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

/** Rewrites the code cells of a notebook's JSON with `fixPython`; other cells and metadata are kept. */
export function fixNotebookJson(json: string, fixPython: (program: string) => string): { json: string; changed: boolean } {
  const notebook = JSON.parse(json) as Notebook;
  if (!Array.isArray(notebook.cells)) throw new Error('not a Jupyter notebook (no "cells" array)');
  const codeCells = notebook.cells.filter((c) => c.cell_type === 'code');
  const masked: Array<Map<number, string>> = [];
  const parts = codeCells.map((cell, index) => {
    const magics = new Map<number, string>();
    const lines = sourceText(cell).split('\n').map((line, n) => {
      const m = MAGIC.exec(line);
      if (!m) return line;
      magics.set(n, line);
      return m[1] + '#' + line.slice(m[0].length);
    });
    masked[index] = magics;
    return lines.join('\n');
  });
  const program = parts.join(`\n${MARKER}\n`);
  const fixed = fixPython(program);
  if (fixed === program) return { json, changed: false };
  const fixedParts = fixed.split(`\n${MARKER}\n`);
  if (fixedParts.length !== codeCells.length) throw new Error('cell boundaries moved during the rewrite');
  codeCells.forEach((cell, index) => {
    const magics = masked[index]!;
    let text = fixedParts[index]!;
    if (magics.size > 0) {
      // Magic lines keep their position relative to the end of the cell when code was inserted above them.
      const original = parts[index]!.split('\n');
      const lines = text.split('\n');
      const shift = lines.length - original.length;
      for (const [n, line] of magics) {
        const at = n + (lines[n] === original[n] ? 0 : shift);
        if (lines[at] !== undefined) lines[at] = line;
      }
      text = lines.join('\n');
    }
    cell.source = toSourceLines(text);
  });
  const indent = /^\{\n( +)"/.exec(json)?.[1]?.length ?? 1;
  return { json: JSON.stringify(notebook, null, indent) + (json.endsWith('\n') ? '\n' : ''), changed: true };
}

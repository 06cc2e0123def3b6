/**
 * Notebooks are fixed as one Python program: code cells joined with a marker comment (comments are never
 * edited), IPython magics masked as comments of the same length, then split back into cells.
 */
import { cellSource, parseNotebook } from '../formats/notebookShape';

const MARKER = '# %%porta-cell-boundary%%';

export function isNotebook(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
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
    return text;
  });
}

/** Rewrites the code cells of a notebook's JSON with `fixPython`; other cells and metadata are kept. */
export function fixNotebookJson(json: string, fixPython: (program: string) => string): { json: string; changed: boolean } {
  const parsed = parseNotebook(json);
  if ('error' in parsed) throw new Error(`not a valid notebook: ${parsed.error}`);
  const notebook = parsed.notebook;
  const codeCells = notebook.cells.filter((c) => c.cell_type === 'code');
  const sources = codeCells.map(cellSource);
  const fixed = fixCellSources(sources, fixPython);
  if (fixed.every((text, i) => text === sources[i])) return { json, changed: false };
  codeCells.forEach((cell, index) => {
    if (fixed[index] !== sources[index]) cell.source = toSourceLines(fixed[index]!);
  });
  const indent = /^\{\n( +)"/.exec(json)?.[1]?.length ?? 1;
  return { json: JSON.stringify(notebook, null, indent) + (json.endsWith('\n') ? '\n' : ''), changed: true };
}

/**
 * The shape of a Jupyter notebook's JSON, checked once before anyone walks its cells: a hand-edited or generated
 * .ipynb can hold a `null` cell, `cells` as an object or a numeric `source`, and each of those must become a clear
 * reason to skip the file, not a TypeError in the analyzer or in `porta fix`.
 */
export interface NotebookCell {
  cell_type?: string;
  source?: string | string[];
  [key: string]: unknown;
}

export interface NotebookDocument {
  cells: NotebookCell[];
  [key: string]: unknown;
}

export type ParsedNotebook = { notebook: NotebookDocument } | { error: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Why `value` is not a notebook document, or undefined when its cells can be walked safely. */
export function notebookProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `the top level is ${describe(value)}, not an object`;
  const cells = (value as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) return `"cells" is ${cells === undefined ? 'missing' : describe(cells)}, not a list`;
  for (let i = 0; i < cells.length; i++) {
    const cell: unknown = cells[i];
    const where = `cell ${i + 1}`;
    if (cell === null || typeof cell !== 'object' || Array.isArray(cell)) return `${where} is ${describe(cell)}, not an object`;
    const { cell_type: type, source } = cell as { cell_type?: unknown; source?: unknown };
    if (type !== undefined && typeof type !== 'string') return `${where}: "cell_type" is ${describe(type)}, not a string`;
    if (source === undefined || typeof source === 'string') continue;
    if (!Array.isArray(source)) return `${where}: "source" is ${describe(source)}, not a string or a list of strings`;
    const bad = source.findIndex((line) => typeof line !== 'string');
    if (bad >= 0) return `${where}: "source" line ${bad + 1} is ${describe(source[bad])}, not a string`;
  }
  return undefined;
}

/** Parses and checks a notebook's JSON; the error says what is wrong in words a user can act on. */
export function parseNotebook(raw: string): ParsedNotebook {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problem = notebookProblem(value);
  return problem ? { error: problem } : { notebook: value as NotebookDocument };
}

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
}

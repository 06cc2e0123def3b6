import type { Random } from './random';
import { mutateText } from './mutate';

/** Notebooks for the fuzz test: built from Python fixtures, mutated as JSON text or through their cell sources. */

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}

function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function codeCell(source: string, asList: boolean): Cell {
  return { cell_type: 'code', metadata: {}, source: asList ? sourceLines(source) : source, outputs: [], execution_count: null };
}

function serialise(cells: Cell[]): string {
  return JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
}

/** A notebook whose code cells are the blank-line-separated top-level blocks of a Python file. */
export function notebookFromPython(python: string): string {
  const blocks = python.split(/\n\n+(?=\S)/).filter((block) => block.trim() !== '');
  const cells: Cell[] = [{ cell_type: 'markdown', metadata: {}, source: ['# Built from a Python fixture\n'] }];
  blocks.forEach((block, i) => cells.push(codeCell(i === 0 ? `%matplotlib inline\n${block}` : block, i % 2 === 0)));
  return serialise(cells);
}

/** What the parse checks read: the code cells as one program, IPython magics as comments (as `porta fix` masks them). */
export function notebookProgram(json: string): string | undefined {
  let notebook: { cells?: unknown };
  try {
    notebook = JSON.parse(json) as { cells?: unknown };
  } catch {
    return undefined;
  }
  if (!notebook || !Array.isArray(notebook.cells)) return undefined;
  const sources: string[] = [];
  for (const cell of notebook.cells as Array<Partial<Cell> | null>) {
    if (!cell || cell.cell_type !== 'code') continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    if (typeof source !== 'string') return undefined;
    sources.push(source.replace(/^(\s*)[%!?]/gm, '$1#'));
  }
  return sources.join('\n');
}

/**
 * Mutates a notebook: half the time its raw JSON text (broken JSON, odd escapes), otherwise the sources of its code
 * cells (kept valid JSON), sometimes adding a cell made of another fixture or switching between string and list sources.
 */
export function mutateNotebook(json: string, random: Random, donors: readonly string[]): string {
  let notebook: { cells?: Cell[] };
  try {
    notebook = JSON.parse(json) as { cells?: Cell[] };
  } catch {
    return mutateText(json, random, donors);
  }
  const cells = notebook.cells;
  if (random.chance(0.35) || !Array.isArray(cells)) return mutateText(json, random, donors);
  const code = cells.filter((cell) => cell.cell_type === 'code');
  if (code.length === 0 || random.chance(0.15)) {
    const donor = random.pick(donors);
    cells.splice(random.int(0, cells.length), 0, codeCell(donor.slice(0, 2000), random.chance(0.5)));
  } else {
    const cell = random.pick(code);
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const mutated = mutateText(source, random, donors);
    cell.source = random.chance(0.5) ? sourceLines(mutated) : mutated;
  }
  if (random.chance(0.1)) {
    const cell = random.pick(cells);
    cell.cell_type = cell.cell_type === 'code' ? 'markdown' : 'code';
  }
  const indent = random.pick([1, 2, 4]);
  return JSON.stringify(notebook, null, indent) + (random.chance(0.8) ? '\n' : '');
}

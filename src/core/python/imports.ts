import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

export interface ImportedModule {
  /** Fully qualified module or member, e.g. "numba.cuda" for `from numba import cuda`. */
  module: string;
  statement: Node;
  start: number;
  end: number;
}

/** Local names bound by imports (and simple alias assignments) to qualified names. */
export class Bindings {
  private readonly names = new Map<string, string>();

  bind(local: string, qualified: string): void {
    this.names.set(local, qualified);
  }

  has(local: string): boolean {
    return this.names.has(local);
  }

  localNames(): string[] {
    return [...this.names.keys()];
  }

  /** "T.cuda.synchronize" -> "torch.cuda.synchronize" when `import torch as T`; undefined when the root is not imported. */
  qualify(dotted: string): string | undefined {
    const dot = dotted.indexOf('.');
    const head = dot === -1 ? dotted : dotted.slice(0, dot);
    const bound = this.names.get(head) ?? (head === 'torch' ? 'torch' : undefined);
    if (bound === undefined) return undefined;
    return dot === -1 ? bound : bound + dotted.slice(dot);
  }
}

const IMPORT_RE = /\bimport\b/g;

/** Finds every import statement (also nested in functions/try blocks) through the `import` keyword. */
export function collectImports(root: Node, text: string, bindings: Bindings): ImportedModule[] {
  const modules: ImportedModule[] = [];
  const seen = new Set<number>();
  IMPORT_RE.lastIndex = 0;
  for (let m = IMPORT_RE.exec(text); m; m = IMPORT_RE.exec(text)) {
    const leaf = root.descendantForIndex(m.index);
    const statement = leaf?.parent;
    if (!leaf || leaf.type !== 'import' || !statement || seen.has(statement.id)) continue;
    seen.add(statement.id);
    const before = modules.length;
    if (statement.type === 'import_statement') readImport(statement, bindings, modules);
    else if (statement.type === 'import_from_statement') readFromImport(statement, bindings, modules);
    const start = statement.startIndex;
    const end = statement.endIndex;
    for (let i = before; i < modules.length; i++) Object.assign(modules[i], { start, end });
  }
  return modules;
}

function readImport(statement: Node, bindings: Bindings, out: ImportedModule[]): void {
  for (const name of statement.childrenForFieldName('name')) {
    if (!name) continue;
    if (name.type === 'aliased_import') {
      const dotted = name.childForFieldName('name')?.text;
      const alias = name.childForFieldName('alias')?.text;
      if (!dotted) continue;
      if (alias) bindings.bind(alias, dotted);
      out.push({ module: dotted, statement, start: 0, end: 0 });
    } else {
      const dotted = name.text;
      const head = dotted.split('.')[0];
      bindings.bind(head, head);
      out.push({ module: dotted, statement, start: 0, end: 0 });
    }
  }
}

function readFromImport(statement: Node, bindings: Bindings, out: ImportedModule[]): void {
  const moduleNode = statement.childForFieldName('module_name');
  if (!moduleNode || moduleNode.type === 'relative_import') return;
  const module = moduleNode.text;
  out.push({ module, statement, start: 0, end: 0 });
  for (const name of statement.childrenForFieldName('name')) {
    if (!name) continue;
    if (name.type === 'aliased_import') {
      const member = name.childForFieldName('name')?.text;
      const alias = name.childForFieldName('alias')?.text;
      if (!member || !alias) continue;
      bindings.bind(alias, `${module}.${member}`);
      out.push({ module: `${module}.${member}`, statement, start: 0, end: 0 });
    } else {
      bindings.bind(name.text, `${module}.${name.text}`);
      out.push({ module: `${module}.${name.text}`, statement, start: 0, end: 0 });
    }
  }
}

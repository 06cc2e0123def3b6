import type { TreeSitter } from '../../parse/loader';

type Node = TreeSitter.Node;

/** Local names bound by the module's imports, mapped to what they refer to ("th" -> "torch", "autocast" -> "torch.cuda.amp.autocast"). */
export interface ImportMap {
  names: Map<string, string>;
  /** The local name bound to the torch module itself, when one is. */
  torchAlias?: string;
}

function dottedText(node: Node | null): string {
  return node ? node.text.replace(/\s+/g, '') : '';
}

const IMPORT_KEYWORD = /\bimport\b/g;

/**
 * Import statements in document order, found from the `import` keywords in the text (each statement has exactly
 * one) instead of a walk over the whole tree.
 */
function importStatements(root: Node): Node[] {
  const statements: Node[] = [];
  const base = root.startIndex; // the module node starts at its first token
  for (const m of root.text.matchAll(IMPORT_KEYWORD)) {
    const keyword = root.descendantForIndex(base + m.index, base + m.index + 6);
    if (keyword?.type !== 'import') continue;
    const stmt = keyword.parent;
    if (stmt && (stmt.type === 'import_statement' || stmt.type === 'import_from_statement')) statements.push(stmt);
  }
  return statements;
}

/** Reads every import in the file (any depth: imports inside functions or try blocks still bind names). */
export function readImports(root: Node): ImportMap {
  const names = new Map<string, string>();
  // A name two imports bind to different things (`from torch_musa.core.amp import autocast` in one branch,
  // `from torch.cuda.amp import autocast` in the other) means what the platform picked at run time: it resolves to
  // nothing, so no fix rewrites it as if it were the CUDA one.
  const ambiguous = new Set<string>();
  const bind = (local: string, target: string): void => {
    const before = names.get(local);
    if (before !== undefined && before !== target) ambiguous.add(local);
    names.set(local, target);
  };
  for (const stmt of importStatements(root)) {
    if (stmt.type === 'import_statement') {
      for (const child of stmt.namedChildren) {
        if (!child) continue;
        if (child.type === 'aliased_import') {
          bind(child.childForFieldName('alias')!.text, dottedText(child.childForFieldName('name')));
        } else if (child.type === 'dotted_name') {
          const full = dottedText(child);
          const first = full.split('.')[0]!;
          // `import torch.nn` binds "torch" to the torch package.
          if (!names.has(first)) names.set(first, first);
        }
      }
    } else {
      const module = dottedText(stmt.childForFieldName('module_name'));
      for (const child of stmt.childrenForFieldName('name')) {
        if (!child) continue;
        if (child.type === 'aliased_import') {
          bind(child.childForFieldName('alias')!.text, `${module}.${dottedText(child.childForFieldName('name'))}`);
        } else {
          bind(child.text, `${module}.${dottedText(child)}`);
        }
      }
    }
  }
  for (const local of ambiguous) names.delete(local);
  let torchAlias: string | undefined;
  for (const [local, target] of names) if (target === 'torch' && (!torchAlias || local === 'torch')) torchAlias = local;
  return { names, torchAlias };
}

/** The alias-resolved dotted name of an identifier/attribute chain, e.g. `th.cuda.synchronize` -> "torch.cuda.synchronize". */
const PLAIN_DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

export function qualifiedName(node: Node, imports: ImportMap): string | undefined {
  if (node.type !== 'attribute' && node.type !== 'identifier') return undefined;
  // A chain written without spaces or comments is its own dotted name: one text read instead of a node walk.
  const text = node.text;
  if (PLAIN_DOTTED.test(text)) {
    const dot = text.indexOf('.');
    const resolved = imports.names.get(dot === -1 ? text : text.slice(0, dot));
    return resolved && (dot === -1 ? resolved : resolved + text.slice(dot));
  }
  const parts: string[] = [];
  let current: Node | null = node;
  while (current && current.type === 'attribute') {
    parts.unshift(current.childForFieldName('attribute')!.text);
    current = current.childForFieldName('object');
  }
  if (!current || current.type !== 'identifier') return undefined;
  const resolved = imports.names.get(current.text);
  if (!resolved) return undefined;
  return [resolved, ...parts].join('.');
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** `try: import fused_ops` / `except ImportError: ...`: an optional import belongs to the import block. */
function isGuardedImport(node: Node): boolean {
  if (node.type !== 'try_statement') return false;
  const body = node.childForFieldName('body')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
  const handlers = node.namedChildren.filter((c) => c?.type === 'except_clause');
  return body.length > 0 && body.every((c) => !!c && IMPORT_TYPES.has(c.type)) && handlers.length > 0 &&
    handlers.every((h) => /^except\s*(?:\(?\s*(?:ImportError|ModuleNotFoundError)\b)/.test(h?.text ?? ''));
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildCount === 1 && node.namedChild(0)?.type === 'string';
}

/**
 * Offset where module-level definitions go: the start of the line after the leading block of imports
 * (after the module docstring and comments). When `import torch` itself comes later at top level,
 * after that import, so that generated code can use torch.
 */
export function insertionOffset(root: Node, text: string): number {
  let anchor: Node | undefined;
  let torchImport: Node | undefined;
  let leading = true;
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (child.type === 'comment') continue;
    const isImport = IMPORT_TYPES.has(child.type) || isGuardedImport(child);
    // The first import that binds torch: a later `import torch.optim as optim` must not move the support code below
    // module-level code that already uses the device (a notebook-style script imports as it goes).
    if (isImport && !torchImport && bindsTorch(child)) torchImport = child;
    if (leading && (isImport || (!anchor && isDocstring(child)))) {
      anchor = child;
      continue;
    }
    leading = false;
  }
  // A module whose first statement is not an import (`sys.path.insert(...)`, then `import torch`): after that import.
  let chosen = torchImport && (!anchor || torchImport.endIndex > anchor.endIndex) ? torchImport : anchor;
  if (!chosen) return firstStatementLine(root, text);
  // A late `import torch` (after `os.environ[...] = ...`): the support code goes after the whole import block it starts.
  for (let next = chosen.nextNamedSibling; chosen === torchImport && next && IMPORT_TYPES.has(next.type); next = next.nextNamedSibling) chosen = torchImport = next;
  const newline = text.indexOf('\n', chosen.endIndex);
  return newline === -1 ? text.length : newline + 1;
}

/** Whether a top-level import statement (or optional-import `try`) binds the torch module itself. */
function bindsTorch(statement: Node): boolean {
  const statements = statement.type === 'try_statement' ? statement.childForFieldName('body')?.namedChildren ?? [] : [statement];
  return statements.some((stmt) => stmt?.type === 'import_statement' && stmt.namedChildren.some((child) =>
    child?.type === 'aliased_import' ? dottedText(child.childForFieldName('name')) === 'torch'
      : child?.type === 'dotted_name' && dottedText(child).split('.')[0] === 'torch'));
}

/** Start of the line of the module's first statement: after a shebang, an encoding line and header comments. */
function firstStatementLine(root: Node, text: string): number {
  const first = root.namedChildren.find((c) => c && c.type !== 'comment');
  return first ? text.lastIndexOf('\n', first.startIndex - 1) + 1 : text.length;
}

/**
 * The name the module binds to torch at its top level (`import torch`, `import torch as th`, also in an optional-import
 * `try`), which support code at module level can use; torch imported only inside functions does not count.
 */
export function moduleTorchAlias(root: Node): string | undefined {
  const statements: Node[] = [];
  for (const child of root.namedChildren) {
    if (child && IMPORT_TYPES.has(child.type)) statements.push(child);
    else if (child && isGuardedImport(child)) statements.push(...(child.childForFieldName('body')?.namedChildren ?? []).filter((c): c is Node => !!c));
  }
  let alias: string | undefined;
  for (const stmt of statements) {
    if (stmt.type !== 'import_statement') continue;
    for (const child of stmt.namedChildren) {
      const bound = child?.type === 'aliased_import' && dottedText(child.childForFieldName('name')) === 'torch' ? child.childForFieldName('alias')?.text
        : child?.type === 'dotted_name' && dottedText(child).split('.')[0] === 'torch' ? 'torch' : undefined;
      if (bound && (!alias || bound === 'torch')) alias = bound;
    }
  }
  return alias;
}

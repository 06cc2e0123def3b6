import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import type { FixOptions } from '../types';
import { insertionOffset, moduleTorchAlias, readImports, type ImportMap } from './imports';
import { freeName, helperNames, portaHelper, type HelperId, type HelperNames } from './names';
import { DEVICE_COMMENT, HELPER_FUNCTIONS, SUPPORT_ORDER, supportDependencies, supportText, type SupportId } from './support';
import { SHARED_DEVICE, SHARED_EXPORTS, sharedId, sharedImportLine } from './sharedSupport';

type Node = TreeSitter.Node;

/** Everything a rewrite needs to know about the file it edits. Built once per parse. */
export interface FixContext {
  text: string;
  root: Node;
  imports: ImportMap;
  options: FixOptions;
  /** How generated code names torch (the file's alias, or "torch" with an inserted import). */
  torch: string;
  /** Name of the module-level device variable (existing or to be inserted). */
  device: string;
  /** What the helper functions are called here (`_porta_event`, or `_porta_event_2` where the user has one). */
  helpers: HelperNames;
  /** Support code already in the file. */
  present: Set<SupportId>;
  /** Offset for new imports (start of the line after the leading imports). */
  importOffset: number;
  /** Offset for new helper definitions (after existing Porta support code, else after the imports). */
  supportOffset: number;
  /** Ranges never edited: Porta's own helpers, and statements with syntax errors. */
  protectedRanges: Array<[number, number]>;
  /** Support code comes from the package's shared module (`options.shared`): its import here, when there is one. */
  shared?: { from: string; statement?: Node; ids: Set<SupportId> };
}

function topLevelName(node: Node): string | undefined {
  if (node.type === 'function_definition') return node.childForFieldName('name')?.text;
  if (node.type === 'expression_statement' && node.namedChild(0)?.type === 'assignment') {
    const left = node.namedChild(0)!.childForFieldName('left');
    return left?.type === 'identifier' ? left.text : undefined;
  }
  return undefined;
}

/** The statement (child of a module or block) around a node. */
export function enclosingStatement(node: Node): Node {
  let current = node;
  while (current.parent && current.parent.type !== 'module' && current.parent.type !== 'block') current = current.parent;
  return current;
}

function syntaxErrorRanges(root: Node): Array<[number, number]> {
  if (!root.hasError) return [];
  const ranges: Array<[number, number]> = [];
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing) {
      const stmt = enclosingStatement(node);
      ranges.push([Math.min(stmt.startIndex, node.startIndex), Math.max(stmt.endIndex, node.endIndex)]);
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return ranges;
}

export function createContext(text: string, root: Node, options: FixOptions): FixContext {
  const imports = readImports(root);
  const present = new Set<SupportId>();
  // Support code runs at module level: only a top-level import binds torch there.
  const torch = moduleTorchAlias(root);
  if (torch) present.add('import-torch');
  if (imports.names.get('torch_npu') === 'torch_npu') present.add('import-torch-npu');
  const protectedRanges: Array<[number, number]> = [];
  let device: string | undefined;
  let lastSupport: Node | undefined;
  const found: Partial<HelperNames> = {};
  for (const child of root.namedChildren) {
    if (!child) continue;
    const name = topLevelName(child);
    if (!name) continue;
    if (child.type === 'function_definition' && name.startsWith('_porta_')) {
      protectedRanges.push([child.startIndex, child.endIndex]);
      const id = portaHelper(child);
      if (id) {
        present.add(id);
        found[id as HelperId] = name;
        lastSupport = child;
      }
    } else if (child.type === 'expression_statement' && child.previousNamedSibling?.type === 'comment' &&
      child.previousNamedSibling.text.startsWith(DEVICE_COMMENT)) {
      device = name;
      present.add('device');
      protectedRanges.push([child.startIndex, child.endIndex]);
      lastSupport = child;
    }
  }
  const shared = options.shared && !runsAsScript(root) ? sharedImport(root, options.shared.from) : undefined;
  if (shared) {
    for (const id of shared.ids) present.add(id);
    present.add('pick-device'); // the shared module picks the device
    device = SHARED_DEVICE;
    Object.assign(found, HELPER_FUNCTIONS);
  }
  device ??= freeName(['DEVICE', 'PORTA_DEVICE'], text);
  const importOffset = insertionOffset(root, text);
  let supportOffset = importOffset;
  if (lastSupport) {
    const newline = text.indexOf('\n', lastSupport.endIndex);
    supportOffset = newline === -1 ? text.length : newline + 1;
  }
  protectedRanges.push(...syntaxErrorRanges(root));
  return {
    text,
    root,
    imports,
    options,
    torch: torch ?? 'torch',
    device,
    helpers: helperNames(found, text),
    present,
    importOffset,
    supportOffset,
    protectedRanges,
    shared,
  };
}

/**
 * A module run as a script (`if __name__ == "__main__":` and no relative import of its own) cannot import the shared
 * module relatively (`python pkg/tool.py` has no parent package): it keeps inline support code.
 */
function runsAsScript(root: Node): boolean {
  let main = false;
  for (const child of root.namedChildren) {
    if (child?.type === 'import_from_statement' && child.childForFieldName('module_name')?.type === 'relative_import') return false;
    if (child?.type === 'if_statement') {
      const condition = child.childForFieldName('condition');
      if (condition?.type === 'comparison_operator' && condition.namedChildren.some((c) => c?.type === 'identifier' && c.text === '__name__')) main = true;
    }
  }
  return main;
}

/** The module's top-level `from <from> import ...` of the shared module, and what it imports. */
function sharedImport(root: Node, from: string): NonNullable<FixContext['shared']> {
  for (const child of root.namedChildren) {
    if (child?.type !== 'import_from_statement' || child.childForFieldName('module_name')?.text !== from) continue;
    const ids = new Set<SupportId>();
    for (const name of child.childrenForFieldName('name')) {
      const id = name?.type === 'dotted_name' ? sharedId(name.text) : undefined;
      if (id) ids.add(id);
    }
    return { from, statement: child, ids };
  }
  return { from, ids: new Set() };
}

export function isProtected(ctx: FixContext, start: number, end: number): boolean {
  return ctx.protectedRanges.some(([s, e]) => start < e && s < end);
}

/** All support items `needs` implies (dependencies included) that the file lacks, in canonical order. */
export function missingSupport(ctx: FixContext, needs: Iterable<SupportId>): SupportId[] {
  const wanted = new Set<SupportId>();
  const add = (id: SupportId): void => {
    if (wanted.has(id) || ctx.present.has(id)) return;
    wanted.add(id);
    // With a shared module, the module brings what the device and the helpers need; the file only imports them.
    for (const dep of ctx.shared ? [] : supportDependencies(id, ctx.options)) add(dep);
  };
  for (const id of needs) add(id);
  return SUPPORT_ORDER.filter((id) => wanted.has(id));
}

const IMPORT_IDS = new Set<SupportId>(['import-torch', 'import-torch-npu']);

/** The insertion edits that add the missing support code: imports after the imports, helpers after them, once. */
export function supportEdits(ctx: FixContext, needs: Iterable<SupportId>): TextEdit[] {
  const missing = missingSupport(ctx, needs);
  if (missing.length === 0) return [];
  if (ctx.shared) return sharedSupportEdits(ctx, ctx.shared, missing);
  const importLines = missing.filter((id) => IMPORT_IDS.has(id)).map((id) => supportText(id, ctx.options, ctx.torch, ctx.device, ctx.helpers) + '\n');
  const blocks = missing.filter((id) => !IMPORT_IDS.has(id)).map((id) => supportText(id, ctx.options, ctx.torch, ctx.device, ctx.helpers));
  let blockText = '';
  if (blocks.length > 0) {
    const before = ctx.supportOffset === 0 && importLines.length === 0 ? '' : '\n\n';
    // Two blank lines after the block (PEP 8), counting the blank lines already there.
    const following = /^(?:[ \t]*\r?\n){0,2}/.exec(ctx.text.slice(ctx.supportOffset))![0].split('\n').length - 1;
    const atEnd = ctx.supportOffset >= ctx.text.length;
    const after = atEnd ? '\n' : '\n' + '\n'.repeat(Math.max(0, 2 - following));
    blockText = before + blocks.join('\n\n\n') + after;
  }
  if (ctx.importOffset === ctx.supportOffset) {
    return [{ start: ctx.importOffset, end: ctx.importOffset, text: onNewLine(ctx.text, ctx.importOffset, importLines.join('') + blockText) }];
  }
  const edits: TextEdit[] = [];
  if (importLines.length) edits.push({ start: ctx.importOffset, end: ctx.importOffset, text: onNewLine(ctx.text, ctx.importOffset, importLines.join('')) });
  if (blockText) edits.push({ start: ctx.supportOffset, end: ctx.supportOffset, text: onNewLine(ctx.text, ctx.supportOffset, blockText) });
  return edits;
}

/** Inserted lines at the end of a file whose last line has no newline start on a line of their own. */
function onNewLine(text: string, offset: number, insert: string): string {
  return offset > 0 && offset === text.length && !text.endsWith('\n') ? '\n' + insert : insert;
}

/** Support from the shared module: `import torch` where the file's own code needs it, and one import of the module. */
function sharedSupportEdits(ctx: FixContext, shared: NonNullable<FixContext['shared']>, missing: SupportId[]): TextEdit[] {
  const lines = missing.filter((id) => IMPORT_IDS.has(id)).map((id) => supportText(id, ctx.options, ctx.torch, ctx.device, ctx.helpers) + '\n');
  const exported = missing.filter((id) => SHARED_EXPORTS.includes(id));
  const edits: TextEdit[] = [];
  if (exported.length > 0 && shared.statement) {
    const { startIndex, endIndex } = shared.statement;
    edits.push({ start: startIndex, end: endIndex, text: sharedImportLine(shared.from, [...shared.ids, ...exported]) });
  } else if (exported.length > 0) {
    lines.push(sharedImportLine(shared.from, exported) + '\n');
  }
  if (lines.length > 0) edits.push({ start: ctx.importOffset, end: ctx.importOffset, text: onNewLine(ctx.text, ctx.importOffset, lines.join('')) });
  return edits;
}

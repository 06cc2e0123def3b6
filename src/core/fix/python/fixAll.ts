import type { TreeSitter } from '../../parse/loader';
import type { Fix, TextEdit } from '../../model';
import { applyEdits, composeEdits, mergeFixes } from '../edits';
import type { FixOptions } from '../types';
import { createContext, supportEdits, type FixContext } from './context';
import { rewriteNode, type Rewrite } from './rewrite';
import type { SupportId } from './support';
import { dropOrphanedImports } from './orphanImports';
import { dominantLineEnding, followLineEndings } from '../lineEndings';
import { NodeLocator } from '../../parse/locator';
import { breakingFixes } from './verifyFixes';
import { guardFor, importQualifier, topStatementFinder } from '../../python/guardContext';
import { SHARED_EXPORTS, sharedNamesIn } from './sharedSupport';
import { lazyDefault } from './lazyDefaults';
import { lazyModuleName } from './lazyModuleNames';
import { lazyAmpDecorator } from './lazyDecorators';

type Node = TreeSitter.Node;

export interface FixAllOptions extends FixOptions {
  /** Apply fixes marked unsafe too (Ruff's --unsafe-fixes). */
  unsafe?: boolean;
}

export interface AppliedFix {
  title: string;
  /** 1-based line in the text the pass started from. */
  line: number;
  safe: boolean;
}

/** A fix left out because the file would no longer parse with it (a rewrite bug): reported, never applied. */
export interface DroppedFix extends AppliedFix {
  reason: string;
}

export interface FixAllResult {
  text: string;
  changed: boolean;
  /** Edits on the input text that give `text` (every pass in one list: what an editor applies as one step). */
  edits: TextEdit[];
  applied: AppliedFix[];
  /** Unsafe fixes available but not applied (no opt-in). */
  unsafeSkipped: AppliedFix[];
  /** Fixes dropped because they overlapped another fix (retried on the next pass). */
  conflicts: number;
  passes: number;
  /** Fixes dropped because they would break the syntax (the file's other fixes still apply); absent when none. */
  dropped?: DroppedFix[];
  /** Why the file was left untouched, when it was. */
  error?: string;
  /** With `options.shared`: what the result imports from the package's shared module (it must provide these). */
  shared?: SupportId[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function namesTorch(code: string, torch: string): boolean {
  return new RegExp(`(?<![\\w.])${escapeRegExp(torch)}\\.`).test(code);
}

const SITE_TYPES = new Set(['call', 'string', 'attribute', 'expression_statement', 'keyword_argument', 'assert_statement', 'if_statement', 'binary_operator', 'decorator', 'conditional_expression']);
const MAX_CLIMB = 8;

/** Words every rewritable site contains (plus the file's local aliases of torch.cuda & co.). */
function siteTokens(ctx: FixContext): RegExp {
  const aliases = [...ctx.imports.names]
    .filter(([local, target]) => local !== target && /^torch\.(cuda|backends|set_default_tensor_type|nn\.parallel)|DistributedDataParallel|ProfilerActivity/.test(target))
    .map(([local]) => `\\b${escapeRegExp(local)}\\b`);
  const words = ['cuda', 'nccl', 'cudnn', 'allow_tf32', 'reduced_precision', 'device_ids', 'output_device', 'set_default_tensor_type', 'ExecutionProvider', 'autocast', 'record_stream', ...aliases];
  return new RegExp(words.join('|'), 'gi');
}

/**
 * Every site in the file that has a rewrite. Instead of visiting every node, find the tokens a site must contain
 * in the raw text and try the few nodes above each token (up to the enclosing statement).
 */
export function collectRewrites(tree: TreeSitter.Tree, ctx: FixContext): Array<{ node: Node; rewrite: Rewrite }> {
  const out: Array<{ node: Node; rewrite: Rewrite }> = [];
  const tried = new Set<number>();
  const root = tree.rootNode;
  const qualify = importQualifier(ctx.imports.names);
  const topOf = topStatementFinder(root);
  // Tokens come in text order: one kept root-to-node path serves them all, and climbing from a node reads parents it recorded.
  const locator = new NodeLocator(tree.rootNode);
  for (const match of ctx.text.matchAll(siteTokens(ctx))) {
    let node: Node | null = locator.locate(match.index!, match.index! + match[0].length);
    for (let depth = 0; node && depth < MAX_CLIMB; depth++, node = node.parent) {
      if (node.type === 'block' || node.type === 'module') break;
      if (!SITE_TYPES.has(node.type) || tried.has(node.id)) continue;
      tried.add(node.id);
      const rewrite = rewriteNode(node, ctx);
      // Code that only runs where CUDA is present is left alone (the guarded verdict), but for rewrites still right there.
      if (rewrite && (rewrite.keepsInGuard || !guardFor(root, node, qualify, topOf(node)))) out.push({ node, rewrite });
    }
  }
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
}

function countErrors(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const visit = (node: Node): void => {
    const before = count;
    if (node.isError || node.isMissing) count++;
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
    // A zero-width MISSING node (e.g. a missing newline) is not among `children`: the error is still this node's.
    if (count === before) count++;
  };
  visit(root);
  return count;
}

/**
 * Syntax errors plus what tree-sitter accepts and Python does not: a block left without a statement (`def f():` whose
 * only statement a fix removed).
 */
function syntaxProblems(root: Node): number {
  let empty = 0;
  for (const block of root.descendantsOfType('block')) {
    if (block && !block.namedChildren.some((c) => c && c.type !== 'comment')) empty++;
  }
  return countErrors(root) + empty;
}

/** The dropped fixes already reported for a result (by what they replace and with what). */
const droppedKeys = new WeakMap<FixAllResult, Set<string>>();

/** Whether `text` parses with no more syntax errors than the input had. */
function parsesAsWell(parser: TreeSitter.Parser, text: string, errorsBefore: number): boolean {
  const tree = parser.parse(text);
  if (!tree) return false;
  try {
    return syntaxProblems(tree.rootNode) <= errorsBefore;
  } finally {
    tree.delete();
  }
}

/**
 * One pass: every applicable fix, merged without overlaps, plus the support code they need (the edits on `text`).
 * `parses`, when given, checks each fix on its own terms: fixes that would leave the file with more syntax errors are
 * dropped and reported in `result.dropped`, and the pass is built from the others.
 */
function fixPass(text: string, tree: TreeSitter.Tree, options: FixAllOptions, result: FixAllResult, parses?: (text: string) => boolean): TextEdit[] {
  const ctx = createContext(text, tree.rootNode, options);
  // The last pass reads the final text: what it imports from the shared module is what the module must define.
  if (ctx.shared) result.shared = [...ctx.shared.ids];
  const sites = collectRewrites(tree, ctx);
  type Chosen = { fix: Fix; needs: SupportId[]; line: number };
  let chosen: Chosen[] = [];
  for (const site of sites) {
    const { node } = site;
    // In a package, a rewritten default or module-level name would choose the device at import: it is chosen later.
    const lazy = ctx.shared && (lazyDefault(node, site.rewrite, ctx) ?? lazyModuleName(node, site.rewrite, ctx) ?? lazyAmpDecorator(node, site.rewrite, ctx));
    const rewrite = lazy || site.rewrite;
    const line = node.startPosition.row + 1;
    if (!rewrite.safe && !options.unsafe) {
      if (result.passes === 1) result.unsafeSkipped.push({ title: rewrite.title, line, safe: false });
      continue;
    }
    chosen.push({ fix: { title: rewrite.title, safe: rewrite.safe, edits: rewrite.edits }, needs: rewrite.needs, line });
  }
  if (chosen.length === 0) return [];
  const build = (subset: readonly Chosen[]): { edits: TextEdit[]; accepted: Chosen[]; rejected: number } => {
    const merged = mergeFixes(subset.map((c) => c.fix));
    const acceptedSet = new Set(merged.accepted);
    const accepted = subset.filter((c) => acceptedSet.has(c.fix));
    const needs = new Set<SupportId>(accepted.flatMap((c) => c.needs));
    // Inline, the device brings `import torch`; with a shared module, code that names torch needs its own import.
    if (ctx.shared && accepted.some((c) => c.fix.edits.some((e) => namesTorch(e.text, ctx.torch)))) needs.add('import-torch');
    // From the shared module a file imports exactly what its rewrites call: inline, a helper brings the device along
    // and an unused DEVICE is harmless; an unused import is not (`torch.npu.empty_cache()` names no device).
    if (ctx.shared) {
      const named = new Set(accepted.flatMap((c) => c.fix.edits.flatMap((e) => sharedNamesIn(e.text))));
      for (const id of SHARED_EXPORTS) {
        if (named.has(id)) needs.add(id);
        else needs.delete(id);
      }
      // torch.npu exists once torch_npu is imported: inline the device brought that import, here the file needs its own.
      if (options.target === 'npu' && accepted.some((c) => c.fix.edits.some((e) => e.text.includes(`${ctx.torch}.npu`)))) needs.add('import-torch-npu');
    }
    // Support code goes in at line starts between statements, never inside a rewritten span (applyEdits checks).
    return { edits: [...merged.edits, ...supportEdits(ctx, needs)], accepted, rejected: merged.rejected.length };
  };
  let pass = build(chosen);
  if (parses && !parses(applyEdits(text, pass.edits))) {
    const breaking = new Set(breakingFixes(pass.accepted, (subset) => parses(applyEdits(text, build(subset).edits))));
    const reported = droppedKeys.get(result) ?? new Set<string>();
    droppedKeys.set(result, reported);
    for (const c of breaking) {
      // A later pass finds the same site again (shifted): report it once.
      const key = `${c.fix.title}\0${c.fix.edits.map((e) => `${text.slice(e.start, e.end)}\0${e.text}`).join('\0')}`;
      if (reported.has(key)) continue;
      reported.add(key);
      (result.dropped ??= []).push({ title: c.fix.title, line: c.line, safe: c.fix.safe, reason: 'the file would no longer parse with it' });
    }
    chosen = chosen.filter((c) => !breaking.has(c));
    pass = build(chosen);
  }
  result.conflicts += pass.rejected;
  for (const c of pass.accepted) result.applied.push({ title: c.fix.title, line: c.line, safe: c.fix.safe });
  return pass.edits;
}

/**
 * Whether `text` parses with no more errors than the input and has nothing left to fix. Removing a dead import can
 * change how broken code nearby parses and so expose another site: then the import stays, and fixing the result again
 * changes nothing (idempotent).
 */
function isFixedPoint(parser: TreeSitter.Parser, text: string, options: FixAllOptions, errorsBefore: number): boolean {
  const tree = parser.parse(text);
  if (!tree) return false;
  try {
    if (countErrors(tree.rootNode) > errorsBefore) return false;
    const scratch: FixAllResult = { text, changed: false, edits: [], applied: [], unsafeSkipped: [], conflicts: 0, passes: 2 };
    return fixPass(text, tree, options, scratch).length === 0;
  } finally {
    tree.delete();
  }
}

const MAX_PASSES = 4;

/**
 * Applies every fix (safe ones, plus unsafe ones on opt-in) until a pass finds nothing more to do. The result must
 * parse with no more syntax errors than the input; otherwise the input comes back unchanged with `error` set.
 * `parsed`: the input's tree when the caller has one (an open document); it is only read, never edited or deleted.
 */
export function fixPythonText(parser: TreeSitter.Parser, text: string, options: FixAllOptions, parsed?: TreeSitter.Tree): FixAllResult {
  const result: FixAllResult = { text, changed: false, edits: [], applied: [], unsafeSkipped: [], conflicts: 0, passes: 0 };
  const unchanged = (error: string): FixAllResult => ({ ...result, text, edits: [], applied: [], error });
  const original = parsed ?? parser.parse(text);
  if (!original) return unchanged('could not parse the file');
  const errorsBefore = syntaxProblems(original.rootNode);
  let current = text;
  let edits: TextEdit[] = [];
  let tree: TreeSitter.Tree = original;
  try {
    for (;;) {
      result.passes++;
      const recorded = { applied: result.applied.length, skipped: result.unsafeSkipped.length, conflicts: result.conflicts };
      let passEdits = fixPass(current, tree, options, result);
      if (passEdits.length === 0) break;
      let next = applyEdits(current, passEdits);
      if (next === current) break;
      let reparsed = parser.parse(next);
      if (reparsed && syntaxProblems(reparsed.rootNode) > errorsBefore) {
        // Some fix breaks the syntax: redo the pass checking fixes, so that only the breaking ones are dropped.
        reparsed.delete();
        result.applied.length = recorded.applied;
        result.unsafeSkipped.length = recorded.skipped;
        result.conflicts = recorded.conflicts;
        passEdits = fixPass(current, tree, options, result, (candidate) => parsesAsWell(parser, candidate, errorsBefore));
        next = applyEdits(current, passEdits);
        if (next === current) break;
        reparsed = parser.parse(next);
      }
      edits = composeEdits(edits, current, passEdits);
      if (tree !== original) tree.delete();
      tree = original;
      if (!reparsed) return unchanged('could not parse the rewritten file');
      if (syntaxProblems(reparsed.rootNode) > errorsBefore) {
        reparsed.delete();
        return unchanged('the rewrite would introduce a syntax error; file left unchanged');
      }
      tree = reparsed;
      current = next;
      if (result.passes >= MAX_PASSES) return unchanged(`no fixed point after ${MAX_PASSES} passes; file left unchanged`);
    }
    if (current !== text) {
      // Imports the rewrites made dead (`from torch.cuda.amp import autocast` once every autocast is torch.amp's).
      const cleaned = dropOrphanedImports(original.rootNode, current, tree.rootNode);
      if (cleaned.edits.length > 0 && isFixedPoint(parser, cleaned.text, options, errorsBefore)) {
        for (const line of cleaned.lines) result.applied.push({ title: 'Remove the import the fixes made unused', line, safe: true });
        edits = composeEdits(edits, current, cleaned.edits);
        current = cleaned.text;
      }
    }
  } finally {
    if (tree !== original) tree.delete();
    if (!parsed) original.delete();
  }
  const eol = dominantLineEnding(text);
  if (eol !== '\n' && current !== text) {
    edits = followLineEndings(edits, eol);
    current = applyEdits(text, edits);
  }
  return { ...result, text: current, changed: current !== text, edits };
}

import type { TreeSitter } from '../../parse/loader';
import type { Fix } from '../../model';
import type { FixOptions, FixProvider, RuleMatch } from '../types';
import { createContext, supportEdits, type FixContext } from './context';
import { rewriteNode, type Rewrite } from './rewrite';
import { guardFor, importQualifier } from '../../python/guardContext';

type Node = TreeSitter.Node;

/** Rule ids whose matches the Python rewrites can fix (see docs/dev/analyzer.md for what each match passes). */
export const PYTHON_FIXABLE_RULES = [
  'PT-DEV-001', 'PT-DEV-002', 'PT-DEV-003', 'PT-DEV-004', 'PT-DEV-005', 'PT-CUDA-001', 'PT-CUDA-002', 'PT-CUDA-003', 'PT-CUDA-004', 'PT-CUDA-006', 'PT-CUDA-007', 'PT-CUDA-008', 'PT-AMP-001', 'PT-AMP-002', 'PT-AMP-003',
  'PT-BACK-001', 'PT-BACK-002', 'PT-TYPE-001', 'PT-TYPE-002', 'PT-PROBE-001', 'PT-PROF-001', 'PT-DIST-001', 'ORT-001',
];

// One context per (tree, options): the analyzer asks for many fixes on the same parse.
const contexts = new WeakMap<TreeSitter.Tree, Map<string, FixContext>>();

function contextFor(match: RuleMatch, options: FixOptions): FixContext {
  let byOptions = contexts.get(match.tree);
  if (!byOptions) contexts.set(match.tree, (byOptions = new Map()));
  const key = `${options.target}|${options.torchVersion ?? ''}`;
  let ctx = byOptions.get(key);
  if (!ctx || ctx.text !== match.text) {
    ctx = createContext(match.text, match.tree.rootNode, options);
    byOptions.set(key, ctx);
  }
  return ctx;
}

// Findings of one statement try the same ancestors: a node's rewrite is computed once per context.
const tried = new WeakMap<FixContext, Map<number, Rewrite | null>>();

function rewriteOnce(node: Node, ctx: FixContext): Rewrite | undefined {
  let byNode = tried.get(ctx);
  if (!byNode) tried.set(ctx, (byNode = new Map()));
  let rewrite = byNode.get(node.id);
  if (rewrite === undefined) byNode.set(node.id, (rewrite = unguardedRewrite(node, ctx) ?? null));
  return rewrite ?? undefined;
}

/** A site in code that only runs with CUDA has no rewrite, as in `porta fix` (collectRewrites), but for one still right there. */
function unguardedRewrite(node: Node, ctx: FixContext): Rewrite | undefined {
  const rewrite = rewriteNode(node, ctx);
  if (!rewrite || rewrite.keepsInGuard) return rewrite;
  return guardFor(ctx.root, node, importQualifier(ctx.imports.names)) ? undefined : rewrite;
}

/** The node itself, then its ancestors up to the statement, then its descendants: matchers point at different nodes. */
function findRewrite(node: Node, ctx: FixContext): Rewrite | undefined {
  for (let current: Node | null = node, depth = 0; current && depth < 4; current = current.parent, depth++) {
    const rewrite = rewriteOnce(current, ctx);
    if (rewrite) return rewrite;
    if (current.type === 'expression_statement' || current.type === 'block' || current.type === 'module') break;
  }
  // Breadth first through an index, not shift(): shifting made a large subtree quadratic.
  const queue = [...node.namedChildren];
  for (let i = 0; i < queue.length; i++) {
    const child = queue[i];
    if (!child) continue;
    const rewrite = rewriteOnce(child, ctx);
    if (rewrite) return rewrite;
    for (const grandchild of child.namedChildren) queue.push(grandchild);
  }
  return undefined;
}

/**
 * A flag assignment inside a run of consecutive ones: the run's first statement carries the fix that wraps them all.
 */
function runRewrite(node: Node, ctx: FixContext): Rewrite | undefined {
  let statement: Node | null = node;
  while (statement && statement.type !== 'expression_statement') statement = statement.parent;
  if (!statement || !/cudnn|tf32|reduced_precision/.test(statement.text)) return undefined;
  for (let previous = statement.previousNamedSibling, n = 0; previous && n < 16; previous = previous.previousNamedSibling, n++) {
    const rewrite = rewriteNode(previous, ctx);
    if (rewrite) return rewrite.edits.some((e) => e.start <= statement.startIndex && statement.endIndex <= e.end) ? rewrite : undefined;
  }
  return undefined;
}

/**
 * The quick fix for one finding: the rewrite at the site plus the support code it needs (device definition,
 * helpers, imports), so that applying this one fix alone leaves a working file.
 */
export const pythonFixProvider: FixProvider = (match, options): Fix | undefined => {
  if (!match.tree || !match.node || match.tree.rootNode.type !== 'module') return undefined;
  const ctx = contextFor(match, options);
  const rewrite = findRewrite(match.node, ctx) ?? runRewrite(match.node, ctx);
  if (!rewrite || (options.guarded && !rewrite.keepsInGuard)) return undefined;
  return { title: rewrite.title, safe: rewrite.safe, edits: [...rewrite.edits, ...supportEdits(ctx, rewrite.needs)] };
};

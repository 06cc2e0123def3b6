import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';

type Node = TreeSitter.Node;

interface Scope {
  node: Node;
  start: number;
  end: number;
}

const scopesByContext = new WeakMap<FixContext, Scope[]>();
const DEF_OR_CLASS = /\b(?:def|class)\b/g;

/**
 * Every `def` and `class` of the file, found once per context from the keywords in the text. Walking a node's
 * ancestors instead costs one root-to-node descent per `parent` in tree-sitter: quadratic in the nesting depth
 * for every site, which a 1,000-long `.cuda()` chain turns into minutes.
 */
function scopesOf(ctx: FixContext): Scope[] {
  let scopes = scopesByContext.get(ctx);
  if (scopes) return scopes;
  scopes = [];
  for (const m of ctx.text.matchAll(DEF_OR_CLASS)) {
    const keyword = ctx.root.descendantForIndex(m.index, m.index + m[0].length);
    if (keyword?.type !== m[0]) continue; // the word inside a string, a comment or a name
    const definition = keyword.parent;
    if (definition?.type === 'function_definition' || definition?.type === 'class_definition') {
      scopes.push({ node: definition, start: definition.startIndex, end: definition.endIndex });
    }
  }
  // Innermost first for any offset: among definitions holding it, the one that starts last.
  scopes.sort((a, b) => b.start - a.start);
  scopesByContext.set(ctx, scopes);
  return scopes;
}

/** The function and class definitions that enclose `node`, innermost first (what walking `parent` would meet). */
export function enclosingDefinitions(node: Node, ctx: FixContext): Node[] {
  const start = node.startIndex;
  const end = node.endIndex;
  return scopesOf(ctx)
    .filter((s) => s.start <= start && end <= s.end && !(s.start === start && s.end === end))
    .map((s) => s.node);
}

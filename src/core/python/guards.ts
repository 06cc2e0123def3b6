import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

/** Calls that end the program (or the function) when CUDA is missing. */
const EXIT_CALL = /^(?:sys\.exit|exit|quit|os\._exit|\w+\.error)$/;

/**
 * A statement that refuses to run without CUDA, around an availability probe `call`:
 * `assert <call>[, msg]`, or `if not <call>:` whose block ends in `raise`, `return` or `sys.exit(...)` (no else/elif).
 * `isProbe` says whether a node is the CUDA availability call (callers resolve aliases their own way).
 */
export function cudaRefusalGuard(call: Node, isProbe: (node: Node) => boolean): Node | undefined {
  if (!isProbe(call) || cudaSkipStatement(call, isProbe)) return undefined;
  const parent = call.parent;
  if (parent?.type === 'assert_statement' && sameSpan(parent.namedChild(0), call)) return parent;
  if (parent?.type !== 'not_operator') return undefined;
  const statement = parent.parent;
  if (statement?.type !== 'if_statement' || !sameSpan(statement.childForFieldName('condition'), parent)) return undefined;
  if (statement.childrenForFieldName('alternative').length > 0) return undefined;
  const body = statement.childForFieldName('consequence')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  const last = body[body.length - 1];
  return last && refuses(last) ? statement : undefined;
}

/**
 * `if not <probe>: return` (or `if not <probe> and <more>: return`) inside a function other than `main`: the function
 * skips its work without CUDA (a test's early exit) and the program goes on, so it is no refusal. Returns the `if`.
 */
export function cudaSkipStatement(call: Node, isProbe: (node: Node) => boolean): Node | undefined {
  let condition = call.parent;
  if (condition?.type !== 'not_operator' || !isProbe(call)) return undefined;
  const outer = condition.parent;
  if (outer?.type === 'boolean_operator' && outer.childForFieldName('operator')?.text === 'and' && sameSpan(outer.childForFieldName('left'), condition)) condition = outer;
  const statement = condition.parent;
  if (statement?.type !== 'if_statement' || !sameSpan(statement.childForFieldName('condition'), condition)) return undefined;
  if (statement.childrenForFieldName('alternative').length > 0) return undefined;
  const body = statement.childForFieldName('consequence')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  const last = body[body.length - 1];
  const value = last?.type === 'return_statement' ? last.namedChild(0) : undefined;
  if (last?.type !== 'return_statement' || (value && value.type !== 'none')) return undefined;
  const fn = statement.parent?.type === 'block' ? statement.parent.parent : null;
  return fn?.type === 'function_definition' && fn.childForFieldName('name')?.text !== 'main' ? statement : undefined;
}

function refuses(statement: Node): boolean {
  if (statement.type === 'raise_statement' || statement.type === 'return_statement') return true;
  const call = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  return !!fn && EXIT_CALL.test(fn.text);
}

function sameSpan(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

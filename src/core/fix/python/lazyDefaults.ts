import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import { applyEdits } from '../edits';
import type { FixContext } from './context';
import type { Rewrite } from './rewrite';
import { SHARED_DEVICE } from './sharedSupport';

type Node = TreeSitter.Node;

/**
 * In a package, a default value is evaluated when the module is imported: `def f(device=porta_device().type)` would
 * choose the device at import, which a library must not do. The rewritten default moves into the body instead:
 * `def f(device=None):` and, first thing, `if device is None: device = porta_device().type`, so the device is chosen
 * when `f` is first called without it. Only where that keeps the meaning: the default is a constant apart from torch
 * (evaluating it later gives the same value), and the body never tells None apart (`device is None`, `if device:`),
 * so only a caller passing None explicitly could tell, and such a caller passed no device to begin with.
 */
export function lazyDefault(node: Node, rewrite: Rewrite, ctx: FixContext): Rewrite | undefined {
  if (!rewrite.edits.some((e) => e.text.includes(SHARED_DEVICE))) return undefined;
  const parameter = enclosingDefault(node);
  if (!parameter) return undefined;
  const value = parameter.childForFieldName('value')!;
  const name = parameter.childForFieldName('name');
  const definition = parameter.parent!.parent!;
  const body = definition.childForFieldName('body');
  if (name?.type !== 'identifier' || !body || !constantApartFromTorch(value, ctx.torch)) return undefined;
  if (rewrite.edits.some((e) => e.start < value.startIndex || e.end > value.endIndex)) return undefined;
  if (testsForNone(body, name.text)) return undefined;
  const first = firstCodeStatement(body);
  // The body must start on a line of its own (not `def f(d="cuda"): return d`) to take a statement before it.
  if (!first || first.startPosition.row <= definition.startPosition.row) return undefined;
  const lineStart = ctx.text.lastIndexOf('\n', first.startIndex - 1) + 1;
  const indent = ctx.text.slice(lineStart, first.startIndex);
  if (!/^[ \t]+$/.test(indent)) return undefined;
  const inner = indent + (indent.includes('\t') ? '\t' : '    ');
  const shifted = rewrite.edits.map((e) => ({ ...e, start: e.start - value.startIndex, end: e.end - value.startIndex }));
  const chosen = applyEdits(value.text, shifted);
  const edits: TextEdit[] = [
    { start: value.startIndex, end: value.endIndex, text: 'None' },
    { start: lineStart, end: lineStart, text: `${indent}if ${name.text} is None:\n${inner}${name.text} = ${chosen}\n` },
  ];
  return { ...rewrite, edits };
}

/** The `name=value` parameter of a function definition (not a lambda) whose value holds `node`. */
function enclosingDefault(node: Node): Node | undefined {
  for (let current: Node | null = node; current?.parent; current = current.parent) {
    const parent: Node = current.parent;
    if ((parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.childForFieldName('value')?.id === current.id) {
      return parent.parent?.type === 'parameters' && parent.parent.parent?.type === 'function_definition' ? parent : undefined;
    }
    if (current.type.endsWith('_statement') || current.type === 'block' || current.type === 'parameters') return undefined;
  }
  return undefined;
}

/** `"cuda"`, `torch.device("cuda", 0)`: no name but torch's, so the value is the same at call time as at import. */
function constantApartFromTorch(value: Node, torch: string): boolean {
  for (const id of value.descendantsOfType('identifier')) {
    if (!id) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
    if (id.text !== torch.split('.')[0]) return false;
  }
  return !value.descendantsOfType('interpolation').some(Boolean);
}

/** Whether the body reads `name` as None or as a truth value, where None and the device would differ. */
function testsForNone(body: Node, name: string): boolean {
  for (const id of body.descendantsOfType('identifier')) {
    if (!id || id.text !== name) continue;
    const parent = id.parent;
    if (!parent) continue;
    if (parent.type === 'comparison_operator' && parent.namedChildren.some((c) => c?.type === 'none')) return true;
    if (parent.type === 'not_operator' || parent.type === 'boolean_operator') return true;
    if (['if_statement', 'elif_clause', 'while_statement', 'conditional_expression', 'assert_statement'].includes(parent.type) && parent.childForFieldName('condition')?.id === id.id) return true;
    if (parent.type === 'conditional_expression' && parent.namedChildren[1]?.id === id.id) return true;
  }
  return false;
}

/**
 * Where the default is resolved: the body's first statement after a docstring and after the defaults resolved
 * already (`if other is None: other = ...`), so that they stay in the order of the parameters.
 */
function firstCodeStatement(body: Node): Node | undefined {
  const statements = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  let at = statements[0]?.type === 'expression_statement' && statements[0].namedChildren[0]?.type === 'string' ? 1 : 0;
  while (statements[at] && resolvesDefault(statements[at]!)) at++;
  return statements[at];
}

/** `if name is None:` followed by nothing but `name = <the chosen device>` (what lazyDefault writes, not the program's own). */
function resolvesDefault(statement: Node): boolean {
  if (statement.type !== 'if_statement' || statement.namedChildren.some((c) => c?.type === 'elif_clause' || c?.type === 'else_clause')) return false;
  const condition = statement.childForFieldName('condition');
  const name = condition?.type === 'comparison_operator' ? condition.namedChildren[0] : undefined;
  if (name?.type !== 'identifier' || condition?.namedChildren[1]?.type !== 'none' || !/\bis\b/.test(condition.text)) return false;
  const inner = statement.childForFieldName('consequence')?.namedChildren ?? [];
  const left = inner.length === 1 && inner[0]?.type === 'expression_statement' ? inner[0].namedChildren[0] : undefined;
  return left?.type === 'assignment' && left.childForFieldName('left')?.text === name.text && (left.childForFieldName('right')?.text.includes(SHARED_DEVICE) ?? false);
}

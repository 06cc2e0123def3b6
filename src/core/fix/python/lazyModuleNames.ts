import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import { applyEdits } from '../edits';
import type { FixContext } from './context';
import type { Rewrite } from './rewrite';
import { SHARED_DEVICE } from './sharedSupport';

type Node = TreeSitter.Node;

/** What a module-level name may become lazily: the device, or its type (evaluated anew, the same every time). */
const LAZY_VALUES = new Set([SHARED_DEVICE, `${SHARED_DEVICE}.type`]);

/**
 * In a package, a module-level `DEVICE = torch.device("cuda")` rewritten to `DEVICE = porta_device()` would choose
 * the device when the module is imported. Where the module's own code reads the name only inside function bodies
 * (run at call time), the assignment becomes a module `__getattr__` (PEP 562: `from mod import DEVICE` and
 * `mod.DEVICE` still work, and choose the device then) and the function bodies call `porta_device()` directly.
 * Anywhere else (the name read at module level, rebound, a public name a star import would lose or `__all__` names, or the module has
 * its own `__getattr__`) it stays eager.
 */
export function lazyModuleName(node: Node, rewrite: Rewrite, ctx: FixContext): Rewrite | undefined {
  if (!rewrite.edits.some((e) => e.text.includes(SHARED_DEVICE))) return undefined;
  const assignment = moduleAssignment(node);
  if (!assignment) return undefined;
  const { statement, name, value } = assignment;
  if (rewrite.edits.some((e) => e.start < value.startIndex || e.end > value.endIndex)) return undefined;
  const chosen = applyEdits(value.text, rewrite.edits.map((e) => ({ ...e, start: e.start - value.startIndex, end: e.end - value.startIndex })));
  if (!LAZY_VALUES.has(chosen) || !aloneOnItsLines(statement, ctx.text) || !starImportsKeep(name, ctx)) return undefined;
  const references = readsInFunctionBodies(ctx, name, statement);
  if (!references) return undefined;
  const getter = [
    'def __getattr__(name):',
    `    """Porta: ${name} is chosen on first use, not when the module is imported."""`,
    `    if name == "${name}":`,
    `        return ${chosen}`,
    '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
  ].join('\n');
  // Two blank lines around a definition, as around the module's other functions.
  const before = /\n*$/.exec(ctx.text.slice(0, statement.startIndex))![0].length - 1;
  const after = /^\n*/.exec(ctx.text.slice(ctx.text.indexOf('\n', statement.endIndex) + 1))![0].length;
  const pad = (blank: number): string => '\n'.repeat(Math.max(0, 2 - blank));
  const edits: TextEdit[] = [{ start: statement.startIndex, end: statement.endIndex, text: `${pad(before)}${getter}${pad(after)}` }];
  for (const reference of references) edits.push({ start: reference.startIndex, end: reference.endIndex, text: chosen });
  return { ...rewrite, title: `${rewrite.title}, chosen when ${name} is first used`, edits };
}

/**
 * `from mod import *` copies the module's public globals, not what `__getattr__` answers: other modules of the package
 * that star-import this one (DeepSpeedExamples' `from communication.constants import *`) would lose the name. Only a
 * private name, or a public one that the module's `__all__` leaves out, is never star-imported (one that `__all__`
 * names would be, through `__getattr__`, but linters then call it undefined: it stays eager).
 */
function starImportsKeep(name: string, ctx: FixContext): boolean {
  if (name.startsWith('_')) return true;
  const all = ctx.root.namedChildren.map((statement) => (statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined))
    .filter((a) => (a?.type === 'assignment' || a?.type === 'augmented_assignment') && a.childForFieldName('left')?.text === '__all__');
  return all.length > 0 && all.every((a) => a?.childForFieldName('right')?.type === 'list' && !new RegExp(`["']${name}["']`).test(a.childForFieldName('right')!.text));
}

/** `NAME = <value holding node>` as a statement of the module itself. */
function moduleAssignment(node: Node): { statement: Node; name: string; value: Node } | undefined {
  for (let current: Node | null = node; current?.parent; current = current.parent) {
    const parent: Node = current.parent;
    if (parent.type === 'assignment') {
      const left = parent.childForFieldName('left');
      const statement = parent.parent;
      const ok = parent.childForFieldName('right')?.id === current.id && left?.type === 'identifier' && !parent.childForFieldName('type')
        && statement?.type === 'expression_statement' && statement.namedChildCount === 1 && statement.parent?.type === 'module';
      return ok ? { statement: statement!, name: left!.text, value: current } : undefined;
    }
    if (current.type.endsWith('_statement') || current.type === 'block' || current.type.endsWith('_definition')) return undefined;
  }
  return undefined;
}

/** Nothing else on the statement's lines (no `A = 1; DEVICE = ...`), so a definition can take its place. */
function aloneOnItsLines(statement: Node, text: string): boolean {
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.endIndex);
  const after = text.slice(statement.endIndex, lineEnd < 0 ? text.length : lineEnd);
  return statement.startIndex === lineStart && /^\s*(#.*)?$/.test(after);
}

/**
 * Every read of `name` other than the assignment, when each is inside a function body and nothing in the module
 * binds the name again (a parameter, another assignment, `global`, an import) or defines `__getattr__`; else undefined.
 */
function readsInFunctionBodies(ctx: FixContext, name: string, statement: Node): Node[] | undefined {
  if (/\bdef\s+__getattr__\b/.test(ctx.text)) return undefined;
  const reads: Node[] = [];
  for (const match of ctx.text.matchAll(new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g'))) {
    const id = ctx.root.descendantForIndex(match.index, match.index + name.length);
    if (id?.type !== 'identifier' || id.text !== name) continue; // in a string or a comment
    if (id.startIndex >= statement.startIndex && id.endIndex <= statement.endIndex) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue; // x.DEVICE
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue; // f(DEVICE=...)
    if (!readInFunctionBody(id)) return undefined;
    reads.push(id);
  }
  return reads;
}

/** A load of the name inside a function body (not a binding, not a default or decorator evaluated at import). */
function readInFunctionBody(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  const binds = (parent.type === 'assignment' || parent.type === 'augmented_assignment' || parent.type === 'for_statement' || parent.type === 'for_in_clause')
    && parent.childForFieldName('left')?.id === id.id;
  if (binds || ['parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'global_statement', 'nonlocal_statement',
    'aliased_import', 'dotted_name', 'pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'lambda_parameters'].includes(parent.type)) return false;
  for (let current: Node = id; current.parent; current = current.parent) {
    const up: Node = current.parent;
    if ((up.type === 'function_definition' || up.type === 'lambda') && up.childForFieldName('body')?.id === current.id) return true;
  }
  return false;
}

import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

/** Reads a condition as "CUDA is present" (positive) or "CUDA is absent" (negative). */
export interface CudaConditions {
  positive(node: Node): boolean;
  negative(node: Node): boolean;
}

/** Bounds: a mark named by a variable is followed this many times; module statements and ancestors looked at. */
const MAX_ALIAS_DEPTH = 2;
const MAX_STATEMENTS = 512;
const MAX_ANCESTORS = 12;
/** Words of a keyword that asks for CUDA devices (`RunIf(min_cuda_gpus=2)`, `requires_cuda=True`). */
const COUNT_WORDS = new Set(['gpus', 'gpu', 'devices', 'device', 'min', 'requires', 'required', 'needs']);

/**
 * The decorator of `definition` (a decorated_definition) that skips the test where CUDA is absent:
 * `@pytest.mark.skipif(not torch.cuda.is_available(), ...)`, `@unittest.skipIf(...)`, `@unittest.skipUnless(<CUDA>)`,
 * `@RunIf(min_cuda_gpus=1)`, or a name assigned such a mark at module level (`requires_cuda = pytest.mark.skipif(...)`).
 */
export function cudaSkipDecorator(definition: Node, root: Node, tests: CudaConditions): Node | undefined {
  for (const decorator of definition.namedChildren) {
    if (decorator?.type !== 'decorator') continue;
    const mark = decorator.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
    if (mark && isCudaMark(mark, root, tests, 0)) return decorator;
  }
  return undefined;
}

/** cudaModuleMark per parsed tree: every finding of a file asks, the answer is the file's. */
const moduleMarks = new WeakMap<object, Node | null>();

/** The module's `pytestmark = <mark>` (or a list of marks) when one of them skips without CUDA. */
export function cudaModuleMark(root: Node, tests: CudaConditions): Node | undefined {
  const known = moduleMarks.get(root.tree);
  if (known !== undefined) return known ?? undefined;
  const mark = findModuleMark(root, tests);
  moduleMarks.set(root.tree, mark ?? null);
  return mark;
}

function findModuleMark(root: Node, tests: CudaConditions): Node | undefined {
  const statements = root.namedChildren.slice(0, MAX_STATEMENTS);
  for (const statement of statements) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'pytestmark') continue;
    const right = assignment.childForFieldName('right');
    if (right && isCudaMark(right, root, tests, 0)) return assignment;
  }
  return undefined;
}

/** `pytest.param(<values>, marks=<CUDA mark>)` holding `node`: the value is used only when the param runs. */
export function cudaMarkedParam(node: Node, root: Node, tests: CudaConditions): Node | undefined {
  let current = node.parent;
  for (let n = 0; current && n < MAX_ANCESTORS; current = current.parent, n++) {
    if (current.type !== 'call' || lastName(current.childForFieldName('function')) !== 'param') continue;
    const marks = keywordArguments(current).find((k) => k.childForFieldName('name')?.text === 'marks')?.childForFieldName('value');
    return marks && isCudaMark(marks, root, tests, 0) ? current : undefined;
  }
  return undefined;
}

function isCudaMark(mark: Node, root: Node, tests: CudaConditions, depth: number): boolean {
  if (depth > MAX_ALIAS_DEPTH) return false;
  if (mark.type === 'list' || mark.type === 'tuple') return mark.namedChildren.some((c) => !!c && isCudaMark(c, root, tests, depth + 1));
  if (mark.type === 'identifier') {
    const value = moduleAssignment(root, mark.text);
    return !!value && isCudaMark(value, root, tests, depth + 1);
  }
  if (mark.type !== 'call') return false;
  const name = lastName(mark.childForFieldName('function'));
  const positional = (mark.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment' && c.type !== 'keyword_argument');
  const condition = positional[0];
  if (name === 'skipif' || name === 'skipIf') return !!condition && tests.negative(condition);
  if (name === 'skipUnless') return !!condition && tests.positive(condition);
  return keywordArguments(mark).some(asksForCuda);
}

/** `min_cuda_gpus=2`, `requires_cuda=True`: a keyword naming CUDA devices with a value that asks for some. */
function asksForCuda(keyword: Node): boolean {
  const words = (keyword.childForFieldName('name')?.text ?? '').toLowerCase().split('_');
  const value = keyword.childForFieldName('value');
  if (!words.includes('cuda') || !words.some((w) => COUNT_WORDS.has(w)) || !value) return false;
  return value.type === 'true' || (value.type === 'integer' && Number(value.text) > 0);
}

function moduleAssignment(root: Node, name: string): Node | undefined {
  for (const statement of root.namedChildren.slice(0, MAX_STATEMENTS)) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name) return assignment.childForFieldName('right') ?? undefined;
  }
  return undefined;
}

function keywordArguments(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type === 'keyword_argument');
}

function lastName(fn: Node | null): string {
  if (!fn) return '';
  if (fn.type === 'identifier') return fn.text;
  return fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
}

/** Whether `call` sits in the condition of a skip mark (`skipif(not torch.cuda.is_available(), ...)`): the skip idiom. */
export function inSkipCondition(call: Node): boolean {
  let current = call.parent;
  for (let n = 0; current && n < MAX_ANCESTORS; current = current.parent, n++) {
    if (current.type === 'call') return SKIP_MARKS.has(lastName(current.childForFieldName('function')));
    if (!CONDITION_PARTS.has(current.type)) return false;
  }
  return false;
}

const SKIP_MARKS = new Set(['skipif', 'skipIf', 'skipUnless']);
/** Nodes between a probe and the skip call whose condition it is. */
const CONDITION_PARTS = new Set(['not_operator', 'boolean_operator', 'parenthesized_expression', 'argument_list', 'comparison_operator']);

/**
 * What at module level can guard other statements: top-level `assert`s, `pytestmark`, and marks assigned to names.
 * The open document's statement cache keys on it, so editing one of them re-reads every statement's guard.
 */
export function moduleGuardKey(root: Node): string {
  const parts: string[] = [];
  for (const statement of root.namedChildren.slice(0, MAX_STATEMENTS)) {
    if (statement?.type === 'assert_statement') parts.push(statement.text);
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment') continue;
    const right = assignment.childForFieldName('right');
    const isMark = right?.type === 'call' && (SKIP_MARKS.has(lastName(right.childForFieldName('function'))) || keywordArguments(right).some(asksForCuda));
    if (isMark || assignment.childForFieldName('left')?.text === 'pytestmark') parts.push(assignment.text);
  }
  return parts.join('\n');
}

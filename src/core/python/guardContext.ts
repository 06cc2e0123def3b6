import type { TreeSitter } from '../parse/loader';
import { type CudaConditions, cudaMarkedParam, cudaModuleMark, cudaSkipDecorator } from './testSkips';
import { helperGuardKey, helperGuards, type HelperGuardReader } from './helperGuards';
import { stringValue } from './strings';

type Node = TreeSitter.Node;

/** How code is kept from running without CUDA. `vendor-branch`: the CUDA arm of an if/elif chain over vendors. */
export type GuardKind = 'branch' | 'vendor-branch' | 'else-branch' | 'early-return' | 'optional-import' | 'probe-function' | 'vendor-class' | 'test-skip' | 'cuda-method' | 'vendor-module' | 'guarded-callers';

/** The construct that guards a match, as offsets into the analysed text (so cached matches move with their statement). */
export interface GuardSite {
  kind: GuardKind;
  /** What guards it, for people: "if torch.cuda.is_available():". */
  construct: string;
  start: number;
  end: number;
}

/** Resolves a dotted name through the file's imports and aliases (`tc.is_available` → `torch.cuda.is_available`). */
export type Qualify = (dotted: string) => string | undefined;

/** Calls whose truth means CUDA is present. */
const CUDA_PROBES = new Set(['torch.cuda.is_available', 'torch.cuda.is_initialized', 'torch.backends.cudnn.is_available', 'torch.cuda.device_count']);
/** Flags named for CUDA (`use_cuda`, `args.cuda`, `HAS_NVML`, `cuda_available`): words of the last name segment. */
const CUDA_WORDS = new Set(['cuda', 'nvml', 'pynvml', 'gpu']);
const FLAG_WORDS = new Set(['use', 'has', 'have', 'is', 'with', 'enable', 'enabled', 'force', 'available', 'on', 'cuda', 'nvml', 'pynvml', 'gpu', '']);
/** Words of a flag that says PyTorch runs on ROCm (`is_rocm_pytorch`, `use_hip`): torch.cuda is HIP there. */
const ROCM_WORDS = new Set(['rocm', 'hip']);
const ROCM_FLAG_WORDS = new Set(['use', 'is', 'has', 'with', 'pytorch', 'torch', 'build', 'rocm', 'hip', '']);
/** Environment values that switch a build flag on (`FORCE_CUDA=1`). */
const TRUTHY_ENV = new Set(['1', 'true', 'on', 'yes']);
/** Words that name another vendor's device in an if/elif arm's condition. */
const VENDOR_WORDS = new Set(['xpu', 'npu', 'mps', 'hip', 'rocm', 'hpu', 'mlu', 'musa', 'xla', 'tpu', 'ipu', 'habana', 'ascend', 'gaudi']);
/** What one vendor's class in a per-vendor hierarchy is called (CUDAAccelerator, CudaPlatform...). */
const VENDOR_ROLES = new Set(['accelerator', 'backend', 'device', 'platform', 'interface', 'runtime']);
const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError']);
/** Statement-level nodes the walk descends through; below them (expressions) no guard is looked for. */
const CONTAINERS = new Set(['module', 'block', 'if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'finally_clause', 'function_definition', 'decorated_definition', 'class_definition', 'with_statement', 'for_statement', 'while_statement']);
/** Bounds that keep each look-up linear in what it reads. */
const MAX_DEPTH = 64;
const MAX_SIBLINGS = 256;
const MAX_CONDITION_NODES = 200;
const MAX_ANCESTORS = 8;

/**
 * The nearest construct that lets `node` run only where CUDA is present, if any: `if <CUDA test>:` (or an elif arm),
 * the else of `if not <CUDA test>:`, an earlier `if not <CUDA test>: return` in the same function, a `try` whose
 * handler catches ImportError, or a function that exists to probe availability (a try/except returning a bool).
 * The walk goes down from the root (tree-sitter's `parent` is itself a walk from the root) and stops at expressions.
 */
export function findGuard(root: Node, node: Node, qualify: Qualify, top?: Node): GuardSite | undefined {
  // The caller may know the top-level statement: descending from it spares a pass over the module's children.
  const start = top && !same(top, node) && top.type !== 'module' ? top : root;
  const path: Node[] = start === root ? [root] : [root, start];
  for (let current: Node | null = start; current && path.length < MAX_DEPTH && CONTAINERS.has(current.type) && !same(current, node);) {
    current = current.childWithDescendant(node);
    if (current) path.push(current);
  }
  const param = cudaMarkedParam(node, root, new CudaTests(qualify, undefined));
  if (param) return site('test-skip', oneLine(param.text), param);
  const conditional = conditionalArm(node, new CudaTests(qualify, undefined));
  if (conditional) return conditional;
  for (let i = path.length - 2; i >= 0; i--) {
    const guard = guardAt(path, i, qualify);
    if (guard) return guard;
  }
  return undefined;
}

/**
 * The guard as it applies to this match. A device choice (`device = torch.device("cuda")`, `return "cuda"`) under a
 * plain `if torch.cuda.is_available():` is the device picker itself: on MPS or XPU it quietly picks the CPU, so it stays
 * a finding with its fix. In the CUDA arm of a per-vendor chain (or a per-vendor class) the other vendors are handled
 * already: guarded.
 */
export function guardFor(root: Node, node: Node, qualify: Qualify, top?: Node): GuardSite | undefined {
  const guard = findGuard(root, node, qualify, top);
  return guard && (DEVICE_CHOICE_GUARDS.has(guard.kind) || !isDeviceChoice(node)) ? guard : undefined;
}

/** Guards under which even a device choice is guarded: the other devices are handled elsewhere, or never asked for. */
const DEVICE_CHOICE_GUARDS = new Set<GuardKind>(['vendor-branch', 'vendor-class', 'test-skip', 'cuda-method']);

function isDeviceChoice(node: Node): boolean {
  let value = node;
  if (node.type === 'string' && node.parent?.type === 'argument_list' && node.parent.parent?.type === 'call') value = node.parent.parent;
  if (value.type === 'call') {
    const fn = value.childForFieldName('function');
    if (!fn || !/(^|\.)device$/.test(dottedName(fn) ?? '')) return false;
  } else if (value.type !== 'string') return false;
  const parent = value.parent;
  if (parent?.type === 'return_statement') return true;
  return parent?.type === 'assignment' && same(parent.childForFieldName('right'), value);
}

/** A Qualify over a map of import bindings (local name → what it refers to), as the fix context reads them. */
export function importQualifier(names: ReadonlyMap<string, string>): Qualify {
  return (dotted) => {
    const dot = dotted.indexOf('.');
    const head = names.get(dot === -1 ? dotted : dotted.slice(0, dot)) ?? (dotted.startsWith('torch.') ? 'torch' : undefined);
    return head && (dot === -1 ? head : head + dotted.slice(dot));
  };
}

/** Finds the top-level statement holding a node by binary search over the module's statements (built once). */
export function topStatementFinder(root: Node): (node: Node) => Node | undefined {
  let tops: Node[] | undefined;
  let ends: number[] = [];
  return (node) => {
    if (!tops) {
      tops = root.children.filter((c): c is Node => !!c);
      ends = tops.map((c) => c.endIndex);
    }
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= node.startIndex) lo = mid + 1;
      else hi = mid;
    }
    const top = tops[lo];
    return top && top.startIndex <= node.startIndex && node.endIndex <= top.endIndex ? top : undefined;
  };
}

function guardAt(path: Node[], i: number, qualify: Qualify): GuardSite | undefined {
  const at = path[i];
  const child = path[i + 1];
  const tests = new CudaTests(qualify, enclosingFunctionBody(path, i));
  switch (at.type) {
    case 'if_statement':
    case 'elif_clause': {
      const condition = at.childForFieldName('condition');
      if (!condition || !same(at.childForFieldName('consequence'), child) || !tests.positive(condition)) return undefined;
      const chain = at.type === 'if_statement' ? at : path[i - 1];
      const perVendor = (chain && otherArmNamesVendor(chain, condition)) || (at.type === 'if_statement' && earlyReturnRunNamesVendor(at));
      const kind: GuardKind = perVendor ? 'vendor-branch' : 'branch';
      return site(kind, `${at.type === 'if_statement' ? 'if' : 'elif'} ${oneLine(condition.text)}:`, condition);
    }
    case 'else_clause': {
      const statement = path[i - 1];
      const condition = statement?.childForFieldName('condition');
      if (!condition || statement.childrenForFieldName('alternative').length !== 1 || !tests.negative(condition)) return undefined;
      return site('else-branch', `if ${oneLine(condition.text)}: … else:`, condition);
    }
    case 'try_statement': {
      if (!same(at.childForFieldName('body'), child)) return undefined;
      const handler = at.namedChildren.find((c): c is Node => !!c && c.type === 'except_clause' && catchesImportError(c));
      return handler ? site('optional-import', `try: … ${oneLine(handler.text.split(':')[0])}:`, handler) : undefined;
    }
    case 'block':
      return assertedBefore(child, tests) ?? earlyReturn(child, path[i - 1], tests);
    case 'function_definition':
      return probeFunction(at) ?? answersAvailability(at, path[i + 2], qualify) ?? cudaMethod(at) ?? guardedHelper(path, i, qualify);
    case 'class_definition':
      return vendorClass(at);
    case 'decorated_definition': {
      if (!same(at.childForFieldName('definition'), child)) return undefined;
      const decorator = cudaSkipDecorator(at, path[0], tests);
      return decorator ? site('test-skip', oneLine(decorator.text), decorator) : undefined;
    }
    case 'module': {
      const asserted = assertedBefore(child, tests);
      if (asserted) return asserted;
      const mark = cudaModuleMark(at, tests);
      return mark ? site('test-skip', oneLine(mark.text), mark) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `if not torch.cuda.is_available(): return` (or `raise`: the function refuses other devices, as
 * `if device.type != "cuda": raise ValueError(...)`) before `statement` in the same function body.
 */
function earlyReturn(statement: Node, owner: Node | undefined, tests: CudaTests): GuardSite | undefined {
  if (owner?.type !== 'function_definition') return undefined;
  let previous = statement.previousNamedSibling;
  for (let n = 0; previous && n < MAX_SIBLINGS; previous = previous.previousNamedSibling, n++) {
    if (previous.type !== 'if_statement' || previous.childrenForFieldName('alternative').length > 0) continue;
    const body = statementsOf(previous.childForFieldName('consequence'));
    const condition = previous.childForFieldName('condition');
    const exit = body[body.length - 1]?.type;
    if ((exit === 'return_statement' || exit === 'raise_statement') && condition && tests.negative(condition)) {
      return site('early-return', `if ${oneLine(condition.text)}: ${exit === 'return_statement' ? 'return' : 'raise'}`, condition);
    }
  }
  return undefined;
}

/** `assert <CUDA test>` before `statement` in the same block (or module): nothing after it runs without CUDA. */
function assertedBefore(statement: Node, tests: CudaTests): GuardSite | undefined {
  let previous = statement.previousNamedSibling;
  for (let n = 0; previous && n < MAX_SIBLINGS; previous = previous.previousNamedSibling, n++) {
    const asserted = previous.type === 'assert_statement' ? previous.namedChild(0) : null;
    if (asserted && tests.positive(asserted)) return site('early-return', `assert ${oneLine(asserted.text)}`, asserted);
  }
  return undefined;
}

/** A function whose body is a try/except that answers False (or None) when the probe fails: it exists to probe. */
function probeFunction(fn: Node): GuardSite | undefined {
  const body = statementsOf(fn.childForFieldName('body')).filter((s) => !isDocstring(s));
  const tries = body.filter((s) => s.type === 'try_statement');
  if (tries.length !== 1 || body.some((s) => s.type !== 'try_statement' && s.type !== 'return_statement')) return undefined;
  const handlers = tries[0].namedChildren.filter((c): c is Node => !!c && c.type === 'except_clause');
  if (!handlers.some((h) => statementsOf(lastBlock(h)).some(returnsFalsy))) return undefined;
  const name = fn.childForFieldName('name');
  return name ? site('probe-function', `def ${name.text}(...)`, name) : undefined;
}

/**
 * `model.cuda() if use_cuda else model` (or the else arm of a negated test) holding `node`. A device value in either
 * arm (`"cuda" if ... else "cpu"`) is the device picker itself and stays a finding.
 */
function conditionalArm(node: Node, tests: CudaTests): GuardSite | undefined {
  if (node.type === 'string' || isDeviceChoice(node)) return undefined;
  let inner = node;
  let current = node.parent;
  for (let n = 0; current && n < MAX_ANCESTORS; inner = current, current = current.parent, n++) {
    if (current.type === 'string' || (current.type === 'call' && /(^|\.)device$/.test(dottedName(current.childForFieldName('function') ?? current) ?? ''))) return undefined;
    if (current.type !== 'conditional_expression') continue;
    const [consequence, condition, alternative] = current.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (!condition) return undefined;
    if (same(consequence, inner) && tests.positive(condition)) return site('branch', `... if ${oneLine(condition.text)} else ...`, condition);
    if (same(alternative, inner) && tests.negative(condition)) return site('else-branch', `... if ${oneLine(condition.text)} else ...`, condition);
    return undefined;
  }
  return undefined;
}

/**
 * A function that answers whether CUDA (or cuDNN) is usable: it ends in `return True` and returns False under a test
 * that means CUDA is absent (`if not (cudnn_available and version >= required): warn(...); return False`). Guarded: the
 * test itself, the assignments before it to names it reads (`cudnn_available = torch.backends.cudnn.is_available()`:
 * the probe exists to be asked), and what follows it (only where the answer is yes). Other code before it is not.
 */
function answersAvailability(fn: Node, statement: Node | undefined, qualify: Qualify): GuardSite | undefined {
  const body = statementsOf(fn.childForFieldName('body'));
  const last = body[body.length - 1];
  if (!statement || last?.type !== 'return_statement' || last.namedChild(0)?.type !== 'true') return undefined;
  const tests = new CudaTests(qualify, fn.childForFieldName('body') ?? undefined);
  const at = body.findIndex((s) => {
    if (s.type !== 'if_statement' || s.childrenForFieldName('alternative').length > 0) return false;
    const exit = statementsOf(s.childForFieldName('consequence')).pop();
    const condition = s.childForFieldName('condition');
    return !!exit && returnsFalsy(exit) && exit.namedChild(0) !== null && !!condition && tests.negative(condition);
  });
  const name = fn.childForFieldName('name');
  if (at < 0 || !name) return undefined;
  const index = body.findIndex((s) => same(s, statement));
  const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
  const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  const feedsTest = target?.type === 'identifier' && identifiersIn(body[at].childForFieldName('condition')).has(target.text);
  return index >= at || (index >= 0 && feedsTest) ? site('probe-function', `def ${name.text}(...)`, name) : undefined;
}

function identifiersIn(node: Node | null): Set<string> {
  const names = new Set<string>();
  const queue: Node[] = node ? [node] : [];
  for (let i = 0; i < queue.length && i < MAX_CONDITION_NODES; i++) {
    if (queue[i].type === 'identifier') names.add(queue[i].text);
    for (const child of queue[i].namedChildren) if (child) queue.push(child);
  }
  return names;
}

/** A top-level function run only from CUDA-only code of its module, or the CUDA backend module's own API (helperGuards). */
function guardedHelper(path: Node[], i: number, qualify: Qualify): GuardSite | undefined {
  const owner = path[i - 1]?.type === 'decorated_definition' ? path[i - 2] : path[i - 1];
  const name = path[i].childForFieldName('name')?.text;
  if (owner?.type !== 'module' || !name) return undefined;
  return helperGuards(path[0], helperReader(path[0], qualify)).get(name);
}

function helperReader(root: Node, qualify: Qualify): HelperGuardReader {
  return { guardOf: (node) => findGuard(root, node, qualify), isVendorClass: (cls) => !!vendorClass(cls), site };
}

/** Which top-level helpers are guarded through their callers: an open document's statement cache keys on it. */
export function calledHelpersKey(root: Node, qualify: Qualify): string {
  return helperGuardKey(root, helperReader(root, qualify));
}

/** A method `def cuda(self, ...)` implementing Module.cuda(): it runs only when the caller asks for CUDA. */
function cudaMethod(fn: Node): GuardSite | undefined {
  const name = fn.childForFieldName('name');
  const parameters = fn.childForFieldName('parameters')?.namedChildren ?? [];
  const owner = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  if (name?.text !== 'cuda' || owner?.parent?.type !== 'class_definition' || parameters[0]?.text !== 'self') return undefined;
  return site('cuda-method', `def cuda(self, ...)`, name);
}

/**
 * A class named for CUDA in a hierarchy (`class CUDAAccelerator(Accelerator)`, `class CUDA_Accelerator(...)`): one
 * vendor's implementation, chosen only when CUDA is the device; its siblings handle the others.
 */
function vendorClass(cls: Node): GuardSite | undefined {
  const name = cls.childForFieldName('name');
  const bases = cls.childForFieldName('superclasses');
  if (!name || !bases || bases.namedChildren.filter((c) => c && c.type !== 'comment').length === 0) return undefined;
  const words = name.text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase().split('_');
  const role = words.filter((w) => w !== '' && w !== 'cuda');
  return words.includes('cuda') && role.length === 1 && VENDOR_ROLES.has(role[0]) ? site('vendor-class', `class ${name.text}(${oneLine(bases.text.slice(1, -1))})`, name) : undefined;
}

/** Whether the arms of the if/elif chain other than `armCondition` test for another vendor's device. */
function otherArmNamesVendor(chain: Node, armCondition: Node): boolean {
  const conditions: Node[] = [];
  const first = chain.childForFieldName('condition');
  if (first) conditions.push(first);
  for (const alternative of chain.childrenForFieldName('alternative')) {
    const condition = alternative?.type === 'elif_clause' ? alternative.childForFieldName('condition') : null;
    if (condition) conditions.push(condition);
  }
  return conditions.some((c) => !same(c, armCondition) && namesVendor(c));
}

/**
 * Whether `statement` is one of a run of adjacent `if <test>: ... return` statements (no else) of which another tests
 * for another vendor's device: `if XLAAccelerator.is_available(): return "tpu"` / `if CUDAAccelerator...: return "cuda"`.
 * Each early return ends the choice, so the run is an if/elif chain written without elif.
 */
function earlyReturnRunNamesVendor(statement: Node): boolean {
  if (!isEarlyExitIf(statement)) return false;
  const others: Node[] = [];
  for (let s = statement.previousNamedSibling, n = 0; s && isEarlyExitIf(s) && n < MAX_SIBLINGS; s = s.previousNamedSibling, n++) others.push(s);
  for (let s = statement.nextNamedSibling, n = 0; s && isEarlyExitIf(s) && n < MAX_SIBLINGS; s = s.nextNamedSibling, n++) others.push(s);
  return others.some((s) => {
    const condition = s.childForFieldName('condition');
    return !!condition && namesVendor(condition);
  });
}

function isEarlyExitIf(statement: Node): boolean {
  if (statement.type !== 'if_statement' || statement.childrenForFieldName('alternative').length > 0) return false;
  const last = statementsOf(statement.childForFieldName('consequence')).pop()?.type;
  return last === 'return_statement' || last === 'raise_statement';
}

/** The words of an identifier, split at underscores and camel case: `XLAAccelerator` → xla, accelerator. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase().split('_');
}

function namesVendor(condition: Node): boolean {
  const queue: Node[] = [condition];
  for (let i = 0; i < queue.length && i < MAX_CONDITION_NODES; i++) {
    const node = queue[i];
    if (node.type === 'identifier' && wordsOf(node.text).some((w) => VENDOR_WORDS.has(w))) return true;
    if (node.type === 'string_content' && VENDOR_WORDS.has(node.text.toLowerCase().split(':')[0])) return true;
    for (const child of node.namedChildren) if (child) queue.push(child);
  }
  return false;
}

/** Reads conditions: which mean "CUDA is present" (positive) and which mean "CUDA is absent" (negative). */
class CudaTests implements CudaConditions {
  constructor(private readonly qualify: Qualify, private readonly functionBody: Node | undefined) {}

  positive(node: Node, depth = 0): boolean {
    if (depth > 16) return false;
    switch (node.type) {
      case 'parenthesized_expression':
        return this.inner(node, (n) => this.positive(n, depth + 1));
      case 'boolean_operator': {
        const [left, right] = operands(node);
        if (!left || !right) return false;
        return operatorOf(node) === 'and' ? this.positive(left, depth + 1) || this.positive(right, depth + 1) : this.positiveOr(node, depth);
      }
      case 'not_operator': {
        const argument = node.childForFieldName('argument');
        return !!argument && this.negative(argument, depth + 1);
      }
      case 'call':
        return this.probeCall(node) || this.cudaEnvFlag(node);
      case 'comparison_operator':
        return comparesToCuda(node, '==', this) || this.cudaEnvFlag(node);
      case 'attribute':
      case 'identifier':
        return this.flag(node, depth);
      default:
        return false;
    }
  }

  negative(node: Node, depth = 0): boolean {
    if (depth > 16) return false;
    switch (node.type) {
      case 'parenthesized_expression':
        return this.inner(node, (n) => this.negative(n, depth + 1));
      case 'boolean_operator': {
        const [left, right] = operands(node);
        if (!left || !right) return false;
        // `if not cuda or x: return` leaves CUDA present below; `if not cuda and x:` does not.
        return operatorOf(node) === 'or' ? this.negative(left, depth + 1) || this.negative(right, depth + 1) : this.negative(left, depth + 1) && this.negative(right, depth + 1);
      }
      case 'not_operator': {
        const argument = node.childForFieldName('argument');
        return !!argument && this.positive(argument, depth + 1);
      }
      case 'comparison_operator':
        return comparesToCuda(node, '!=', this);
      default:
        return false;
    }
  }

  /**
   * `a or b or c` means CUDA is present when each operand does, or is a test for ROCm PyTorch (`is_rocm_pytorch`,
   * `torch.version.hip`: torch.cuda is HIP there, so `torch.cuda.is_available()` is true on it anyway), with at least one
   * real CUDA test among them. `FLAG or torch.cuda.is_available()` stays open.
   */
  private positiveOr(node: Node, depth: number): boolean {
    const terms: Node[] = [];
    const flatten = (n: Node, d: number): void => {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (d < 16 && n.type === 'boolean_operator' && operatorOf(n) === 'or' && left && right) {
        flatten(left, d + 1);
        flatten(right, d + 1);
      } else terms.push(n);
    };
    flatten(node, 0);
    let cuda = false;
    for (const term of terms) {
      if (this.positive(term, depth + 1)) cuda = true;
      else if (!this.rocmTest(term)) return false;
    }
    return cuda;
  }

  /** `is_rocm_pytorch`, `use_hip`, `torch.version.hip`, `torch.version.hip is not None`. */
  private rocmTest(node: Node): boolean {
    let value = node;
    while (value.type === 'parenthesized_expression') {
      const inner = value.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
      if (!inner) return false;
      value = inner;
    }
    if (value.type === 'comparison_operator') {
      const operators = value.childrenForFieldName('operators').map((o) => o?.text.replace(/\s+/g, ' '));
      const values = value.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (operators.length !== 1 || operators[0] !== 'is not' || values.length !== 2 || values[1].type !== 'none') return false;
      value = values[0];
    }
    const dotted = dottedName(value);
    if (!dotted) return false;
    if ((this.qualify(dotted) ?? dotted) === 'torch.version.hip') return true;
    const words = wordsOf(lastSegment(dotted));
    return words.some((w) => ROCM_WORDS.has(w)) && words.every((w) => ROCM_FLAG_WORDS.has(w));
  }

  /**
   * A build switched to CUDA by the environment: `os.getenv("FORCE_CUDA", "0") == "1"`, `os.environ.get("WITH_CUDA")`,
   * `os.environ["USE_CUDA"] == "ON"`. The variable is named as a CUDA flag is (`FORCE_CUDA`, as `if WITH_CUDA:` is): the
   * body runs only when the build is asked to be for CUDA.
   */
  cudaEnvFlag(node: Node): boolean {
    if (node.type === 'call') return this.envFlagName(node, true);
    if (node.type !== 'comparison_operator') return false;
    const operators = node.childrenForFieldName('operators').map((o) => o?.text);
    const values = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (operators.length !== 1 || operators[0] !== '==' || values.length !== 2) return false;
    const [read, literal] = values[0].type === 'string' ? [values[1], values[0]] : [values[0], values[1]];
    const value = literal.type === 'string' ? stringValue(literal).value : undefined;
    return value !== undefined && TRUTHY_ENV.has(value.toLowerCase()) && this.envFlagName(read, false);
  }

  /** Whether `node` reads an environment variable named as a CUDA flag; `bare`: as a truth value, so with no default. */
  private envFlagName(node: Node, bare: boolean): boolean {
    let name: Node | undefined;
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const dotted = fn ? dottedName(fn) : undefined;
      const qualified = dotted ? this.qualify(dotted) ?? dotted : '';
      if (!/^(?:os\.)?(?:getenv|environ\.get)$/.test(qualified)) return false;
      const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
      if (bare && args.length !== 1) return false;
      name = args[0];
    } else if (node.type === 'subscript' && !bare) {
      const value = node.childForFieldName('value');
      const dotted = value ? dottedName(value) : undefined;
      if (!dotted || !/^(?:os\.)?environ$/.test(this.qualify(dotted) ?? dotted)) return false;
      name = node.childForFieldName('subscript') ?? undefined;
    }
    const variable = name?.type === 'string' ? stringValue(name).value : undefined;
    return !!variable && isCudaFlagName(variable);
  }

  private inner(node: Node, test: (n: Node) => boolean): boolean {
    const inner = node.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
    return !!inner && test(inner);
  }

  probeCall(call: Node): boolean {
    const fn = call.childForFieldName('function');
    if (!fn) return false;
    // `device.startswith("cuda")`, `str(device).startswith("cuda:")`.
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'startswith') {
      const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
      return args.length === 1 && isCudaString(args[0], true);
    }
    const dotted = dottedName(fn);
    const qualified = dotted ? this.qualify(dotted) ?? dotted : undefined;
    if (qualified && CUDA_PROBES.has(qualified) && qualified !== 'torch.cuda.device_count') return true;
    // `CUDAAccelerator.is_available()`, `CudaPlatform.is_available()`: the availability probe of a class named for CUDA.
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'is_available') {
      const receiver = dottedName(fn.childForFieldName('object') ?? fn);
      if (receiver && wordsOf(lastSegment(receiver)).includes('cuda')) return true;
    }
    // `is_cuda_available()`, `cuda_is_available()`: a helper named for the probe.
    const name = dotted ? lastSegment(dotted) : '';
    return name.includes('_') && isCudaFlagName(name);
  }

  isDeviceCount(node: Node): boolean {
    const fn = node.type === 'call' ? node.childForFieldName('function') : null;
    const dotted = fn ? dottedName(fn) : undefined;
    return !!dotted && (this.qualify(dotted) ?? dotted) === 'torch.cuda.device_count';
  }

  /** `x.is_cuda`, `use_cuda`, `args.cuda`, or a local assigned from a CUDA test earlier in the same function. */
  private flag(node: Node, depth: number): boolean {
    const dotted = dottedName(node);
    if (!dotted) return false;
    const qualified = this.qualify(dotted);
    if (qualified === 'torch.version.cuda') return true;
    if (isCudaFlagName(lastSegment(dotted))) return true;
    if (node.type !== 'identifier' || !this.functionBody) return false;
    for (const statement of statementsOf(this.functionBody).slice(0, MAX_SIBLINGS)) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== dotted) continue;
      const right = assignment.childForFieldName('right');
      if (right && this.positive(right, depth + 1)) return true;
    }
    return false;
  }
}

/**
 * `device.type == "cuda"`, `device == "cuda:0"`, `"cuda" in str(device)`,
 * `torch.cuda.device_count() > 0`, `torch.version.cuda is not None`; with `op` '!=' the negations.
 */
function comparesToCuda(node: Node, op: '==' | '!=', tests: CudaTests): boolean {
  const operators = node.childrenForFieldName('operators').map((o) => o?.text.replace(/\s+/g, ' ') ?? '');
  const values = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (operators.length !== 1 || values.length !== 2) return false;
  const [left, right] = values;
  const operator = operators[0];
  if (operator === op && (isCudaString(left) || isCudaString(right))) return true;
  if (op === '==' && operator === 'in' && isCudaString(left)) return true;
  if (op === '!=' && operator === 'not in' && isCudaString(left)) return true;
  if (tests.isDeviceCount(left) && right.type === 'integer') {
    const n = Number(right.text);
    return op === '==' ? (operator === '>' && n >= 0) || (operator === '>=' && n >= 1) : (operator === '==' && n === 0) || (operator === '<' && n === 1);
  }
  const version = dottedName(left) === 'torch.version.cuda' && right.type === 'none';
  return version && operator === (op === '==' ? 'is not' : 'is');
}

function isCudaString(node: Node, prefix = false): boolean {
  if (node.type !== 'string') return false;
  const content = node.namedChildren.filter((c): c is Node => !!c && c.type === 'string_content');
  if (content.length !== 1 || node.namedChildren.some((c) => c?.type === 'interpolation')) return false;
  return (prefix ? /^cuda:?$/i : /^cuda(?::\d+)?$/i).test(content[0].text);
}

function isCudaFlagName(name: string): boolean {
  if (name === 'is_cuda') return true;
  const words = name.toLowerCase().split('_');
  return words.some((w) => CUDA_WORDS.has(w)) && words.every((w) => FLAG_WORDS.has(w) || w === 'is' || w === 'torch');
}

function catchesImportError(handler: Node): boolean {
  const caught = handler.namedChildren.find((c): c is Node => !!c && c.type !== 'block' && c.type !== 'comment');
  if (!caught) return false;
  const names = caught.type === 'as_pattern' ? caught.namedChild(0) : caught;
  if (!names) return false;
  const items = names.type === 'tuple' || names.type === 'parenthesized_expression' ? names.namedChildren : [names];
  return items.some((item) => !!item && IMPORT_ERRORS.has(item.text));
}

function returnsFalsy(statement: Node): boolean {
  if (statement.type !== 'return_statement') return false;
  const value = statement.namedChild(0);
  return !value || value.type === 'false' || value.type === 'none' || value.text === '0';
}

function enclosingFunctionBody(path: Node[], i: number): Node | undefined {
  for (let j = i; j >= 0; j--) if (path[j].type === 'function_definition') return path[j].childForFieldName('body') ?? undefined;
  return undefined;
}

function statementsOf(block: Node | null | undefined): Node[] {
  return block ? block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

function lastBlock(node: Node): Node | null {
  const blocks = node.namedChildren.filter((c): c is Node => !!c && c.type === 'block');
  return blocks[blocks.length - 1] ?? null;
}

function isDocstring(statement: Node): boolean {
  return statement.type === 'expression_statement' && statement.namedChild(0)?.type === 'string';
}

function operands(node: Node): [Node | null, Node | null] {
  return [node.childForFieldName('left'), node.childForFieldName('right')];
}

function operatorOf(node: Node): string | undefined {
  return node.childForFieldName('operator')?.text;
}

function dottedName(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  const head = object ? dottedName(object) : undefined;
  return head !== undefined && attribute ? `${head}.${attribute.text}` : undefined;
}

function lastSegment(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

function site(kind: GuardKind, construct: string, node: Node): GuardSite {
  return { kind, construct, start: node.startIndex, end: node.endIndex };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

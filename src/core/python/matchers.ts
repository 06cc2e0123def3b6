import type { TreeSitter } from '../parse/loader';
import { cudaSystemPackageHits } from '../formats/cudaSystemPackages';
import { envRule, ruleForModule, ruleForQualifiedName, TENSOR_TYPES } from '../rules';
import { Bindings, collectImports, type ImportedModule } from './imports';
import { deviceString, stringValue } from './strings';
import { isAlreadyPortable } from './portable';
import { cudaRefusalGuard, cudaSkipStatement } from './guards';
import { inSkipCondition } from './testSkips';
import { inTestFakingCuda } from './cudaMocks';
import { isCudaValueOfPerVendorTable } from './perVendor';
import { cudaOnlyCompileFeature } from './compileCall';
import { guardFor, type GuardSite } from './guardContext';
import { NodeLocator } from '../parse/locator';

type Node = TreeSitter.Node;

/** One rule hit on a syntax node, with the facts a fix provider needs. */
export interface NodeMatch {
  ruleId: string;
  node: Node;
  data: Record<string, string>;
  /** The node's offsets when the matcher already knows them (saves WASM calls). */
  start?: number;
  end?: number;
  /** Set when the code only runs where CUDA is present (see guardContext.ts). */
  guard?: GuardSite;
}

/**
 * Words that any CUDA construct must contain (case-insensitive). Files without one are skipped before parsing, and
 * inside a parsed file only the nodes at these offsets are examined: cost scales with the CUDA mentions, not the size.
 */
export const TOKEN_SOURCE = 'cuda|nccl|cudnn|nvidia|nvml|nvtx|cupy|apex|flash_attn|xformers|bitsandbytes|tensorrt|transformer_engine|dali|triton|gpu|compile|xla_python|record_stream|nvcc|gencode|use_fast_math|expt-relaxed|expt-extended|arch=compute|flashinfer|cutlass|nvvideocodec';
const TOKEN_RE = new RegExp(TOKEN_SOURCE, 'gi');

const SKIP_LEAF = new Set(['comment', 'integer', 'float', 'escape_sequence', 'string_start', 'string_end']);
const DEVICE_KEYWORD = /device|default|map_location|accelerator|placement|backend/i;
const DEVICE_FUNCTION = /device|^to$|place|move|load/i;
/** Where a bare "cuda" literal still decides placement: returned, a parameter default, a conditional arm... */
const DEVICE_PARENTS = new Set(['return_statement', 'default_parameter', 'typed_default_parameter', 'conditional_expression', 'lambda', 'assignment', 'augmented_assignment']);
/** `alias = torch.cuda` on a line of its own. */
export const ALIAS_ASSIGNMENT = /^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#.*)?$/gm;
const XPU_NPU_STREAM = /\b(?:xpu|npu)\.(?:current_stream|default_stream|Stream)\b/;
const LOG_CALL = /(^|\.)(print|debug|info|warning|warn|error|exception|critical|log|write)$/;

/** Matches in the whole file, or only in [range.start, range.end) (imports are always read from the whole file). */
export function matchPython(root: Node, text: string, range?: { start: number; end: number }, deadline = Infinity): NodeMatch[] {
  return new PythonMatcher(root, text, range, undefined, deadline).run();
}

/** What every statement of a file shares: import bindings, import statement ranges, module aliases. */
export interface FileContext {
  bindings: Bindings;
  imports: ImportedModule[];
  importRanges: [number, number][];
  aliasAssignments: string[];
  /** The file mentions `_porta_` (helpers inserted by `porta fix`, whose findings are dropped). */
  hasPortaHelpers: boolean;
}

export function prepareFile(root: Node, text: string): FileContext {
  const bindings = new Bindings();
  const imports = collectImports(root, text, bindings);
  const ranges = new Map<number, number>();
  for (const imported of imports) ranges.set(imported.start, imported.end);
  const aliasAssignments: string[] = [];
  // `tc = torch.cuda` anywhere in the file (also when only a range is matched).
  for (const m of text.matchAll(ALIAS_ASSIGNMENT)) {
    const qualified = bindings.qualify(m[2]);
    if (qualified && !bindings.has(m[1]) && !ruleForQualifiedName(qualified) && isInterestingName(qualified)) {
      bindings.bind(m[1], qualified);
      aliasAssignments.push(m[1]);
    }
  }
  return { bindings, imports, importRanges: [...ranges.entries()].sort((a, b) => a[0] - b[0]), aliasAssignments, hasPortaHelpers: text.includes('_porta_') };
}

const TOKEN_TEST = new RegExp(TOKEN_SOURCE, 'i');

function isInterestingName(qualified: string | undefined): boolean {
  if (!qualified) return false;
  return TOKEN_TEST.test(qualified) || ruleForQualifiedName(qualified) !== undefined;
}

/** Matches of one range (a top-level statement) with a file context prepared once. */
/**
 * `moduleFlows` receives the offset of each device string whose finding depends on code after its statement (a
 * module-level name asked whether it later reaches a placement): a cached statement must not outlive that code.
 */
export function matchPythonRange(root: Node, text: string, range: { start: number; end: number }, context: FileContext, moduleFlows?: number[]): NodeMatch[] {
  return new PythonMatcher(root, text, range, context, Infinity, moduleFlows).run();
}

class PythonMatcher {
  private readonly bindings: Bindings;
  private readonly matches: NodeMatch[] = [];
  private readonly seenMatch = new Set<string>();
  private readonly seenNode = new Set<number>();
  private readonly aliasAssignments: string[] = [];
  private readonly seenWord = new Set<number>();
  /** Whether a name bound to a container of device strings reaches a placement, per binding. */
  private readonly placements = new Map<string, boolean>();
  private importRanges: [number, number][] = [];

  private readonly context: FileContext;

  constructor(
    private readonly root: Node,
    private readonly text: string,
    private readonly range?: { start: number; end: number },
    context?: FileContext,
    /** Date.now() past which the scan stops (the caller notes the file as partly analysed). */
    private readonly deadline = Infinity,
    private readonly moduleFlows?: number[],
  ) {
    this.context = context ?? prepareFile(root, text);
    this.bindings = this.context.bindings;
    this.importRanges = this.context.importRanges;
  }

  run(): NodeMatch[] {
    for (const imported of this.context.imports) {
      const rule = ruleForModule(imported.module);
      if (rule && (!this.range || (imported.start >= this.range.start && imported.start < this.range.end))) this.add(rule, imported.statement, { module: imported.module });
    }
    // Names bound by imports to something interesting that does not itself contain a token (`from torch import cuda as tc`).
    const aliasNames = this.bindings.localNames().filter((name) => !TOKEN_TEST.test(name) && this.isInteresting(this.bindings.qualify(name)));
    this.scan(TOKEN_RE);
    aliasNames.push(...this.context.aliasAssignments, ...this.aliasAssignments);
    if (aliasNames.length > 0) this.scan(new RegExp(`\\b(?:${[...new Set(aliasNames)].map(escapeRegExp).join('|')})\\b`, 'g'));
    const hasHelpers = this.context.hasPortaHelpers;
    const helperMemo = new Map<number, boolean>();
    // A test that fakes CUDA with mocks runs without it by design: its CUDA strings and calls are test data.
    const kept = this.matches.filter((m) => !isAlreadyPortable(m.ruleId, m.node, hasHelpers, helperMemo) && !inTestFakingCuda(m.node));
    const qualify = (dotted: string) => this.bindings.qualify(dotted);
    for (const match of kept) {
      const start = match.start ?? match.node.startIndex;
      match.guard = guardFor(this.root, match.node, qualify, this.topAt(start, match.end ?? match.node.endIndex));
    }
    return kept;
  }

  private isInteresting(qualified: string | undefined): boolean {
    return isInterestingName(qualified);
  }

  private scan(re: RegExp): void {
    re.lastIndex = this.range?.start ?? 0;
    const stop = this.range?.end ?? this.text.length;
    let hits = 0;
    for (let m = re.exec(this.text); m && m.index < stop; m = re.exec(this.text)) {
      if ((++hits & 255) === 0 && Date.now() >= this.deadline) return;
      if (this.inImport(m.index)) continue;
      const word = wordAt(this.text, m.index);
      // Later hits inside this word belong to it: resume after it, so "cudacuda..." costs its length once, not squared.
      if (word.end > re.lastIndex) re.lastIndex = word.end;
      if (this.seenWord.has(word.start)) continue;
      this.seenWord.add(word.start);
      const leaf = this.locate(m.index, m.index);
      if (!leaf) continue;
      const type = leaf.type;
      if (SKIP_LEAF.has(type)) continue;
      if (type === 'identifier') {
        if (!this.fastIdentifier(word.start, word.end)) this.identifier(leaf);
        continue;
      }
      if (this.seenNode.has(leaf.id)) continue;
      this.seenNode.add(leaf.id);
      if (type === 'identifier') this.identifier(leaf);
      else if (leaf.type === 'string_content') {
        const string = leaf.parent;
        if (string?.type === 'string' && !this.seenNode.has(string.id)) {
          this.seenNode.add(string.id);
          this.string(string);
        }
      }
    }
  }

  private add(ruleId: string, node: Node, data: Record<string, string> = {}): void {
    const key = `${ruleId}:${node.startIndex}:${node.endIndex}`;
    if (this.seenMatch.has(key)) return;
    this.seenMatch.add(key);
    this.matches.push({ ruleId, node, data });
  }

  // ---- identifiers and attribute chains -------------------------------------------------------

  private identifier(id: Node): void {
    const parent = id.parent;
    if (!parent || insideImport(parent)) return;
    if (parent.type === 'keyword_argument' && sameNode(parent.childForFieldName('name'), id)) return this.keywordName(id, parent);
    if (isDefinitionName(id, parent)) return;

    let top = id;
    const memberOfParent = parent.type === 'attribute' && sameNode(parent.childForFieldName('attribute'), id);
    if (memberOfParent) top = parent;
    top = this.chainTop(top);

    if (memberOfParent && this.memberAccess(id, parent)) return;

    const dotted = this.dotted(top);
    if (!dotted) return;
    const qualified = this.bindings.qualify(dotted);
    if (!qualified) return;
    // `tc = torch.cuda`: remember the alias and scan its uses afterwards.
    const assignment = top.parent;
    if (assignment?.type === 'assignment' && sameNode(assignment.childForFieldName('right'), top)) {
      const left = assignment.childForFieldName('left');
      if (left?.type === 'identifier' && !ruleForQualifiedName(qualified) && this.isInteresting(qualified)) {
        this.bindings.bind(left.text, qualified);
        this.aliasAssignments.push(left.text);
        return;
      }
    }
    this.qualifiedUse(top, qualified);
  }

  /** Per attribute node: the top of the `a.b.c` chain it starts, and that chain's dotted name (each name of a chain 10,000 long asks). */
  private readonly tops = new Map<number, Node>();
  private readonly dottedNames = new Map<number, string | undefined>();

  /** The outermost attribute whose object chain leads down to `node`. */
  private chainTop(node: Node): Node {
    const climbed: Node[] = [];
    let top = node;
    for (let known = this.tops.get(top.id); !known; known = this.tops.get(top.id)) {
      const parent = top.parent;
      if (parent?.type !== 'attribute' || !sameNode(parent.childForFieldName('object'), top)) break;
      climbed.push(top);
      top = parent;
    }
    top = this.tops.get(top.id) ?? top;
    for (const node of climbed) this.tops.set(node.id, top);
    return top;
  }

  private dotted(node: Node): string | undefined {
    if (!this.dottedNames.has(node.id)) this.dottedNames.set(node.id, dottedName(node));
    return this.dottedNames.get(node.id);
  }

  /** Lookups in offset order share one path from the root (see NodeLocator): linear in a deep chain, not quadratic. */
  private locator: NodeLocator | undefined;

  /** Smallest node spanning [start, end). */
  private locate(start: number, end: number): Node | null {
    this.locator ??= new NodeLocator(this.root);
    return this.locator.locate(start, end);
  }

  private topLevel: Node[] | undefined;
  private topLevelEnds: number[] = [];

  /** The top-level statement that holds [start, end), found by binary search (not a walk over the module). */
  private topAt(start: number, end: number): Node | undefined {
    if (!this.topLevel) {
      this.topLevel = this.root.children.filter((c): c is Node => !!c);
      this.topLevelEnds = this.topLevel.map((c) => c.endIndex);
    }
    const ends = this.topLevelEnds;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= start) lo = mid + 1;
      else hi = mid;
    }
    const top = this.topLevel[lo];
    return top && top.startIndex <= start && end <= ends[lo] ? top : undefined;
  }

  private inImport(offset: number): boolean {
    const ranges = this.importRanges;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][1] <= offset) lo = mid + 1;
      else if (ranges[mid][0] > offset) hi = mid - 1;
      else return true;
    }
    return false;
  }

  /**
   * The common case read from the text alone: a dotted name such as `T.cuda.synchronize` around the occurrence,
   * resolved through the bindings. Only a hit costs tree lookups. Returns false to fall back to the tree walk.
   */
  private fastIdentifier(start: number, end: number): boolean {
    const text = this.text;
    const { start: chainStart, end: chainEnd } = this.textChain(start, end);
    if (chainStart > 0 && text.charCodeAt(chainStart - 1) === 46) return false; // receiver is an expression: `f().cuda()`
    const name = text.slice(start, end);
    if ((name === 'cuda' || name === 'is_cuda' || name === 'use_cuda' || name === 'use_device' || name === 'record_stream') && end === chainEnd) return false;
    // Every other name of one chain gets the same answer: decide once (a chain of 10,000 names is read once, not 10,000 times).
    if (this.chainVerdict?.start === chainStart && this.chainVerdict.end === chainEnd) return this.chainVerdict.verdict;
    const verdict = this.fastChain(chainStart, chainEnd);
    this.chainVerdict = { start: chainStart, end: chainEnd, verdict };
    return verdict;
  }

  private lastChain: { from: number; start: number; end: number } | undefined;
  private chainVerdict: { start: number; end: number; verdict: boolean } | undefined;

  /** The dotted chain `a.b.c` around the word [start, end) in the text; words of one chain are scanned in order, so reuse the last. */
  private textChain(start: number, end: number): { from: number; start: number; end: number } {
    const text = this.text;
    const last = this.lastChain;
    // A later word of the chain the last lookup read (both walks from it end where the last ones did).
    if (last && last.from <= start && end <= last.end && (start === last.from || text.charCodeAt(start - 1) === 46)) return last;
    let chainStart = start;
    while (chainStart > 1 && text.charCodeAt(chainStart - 1) === 46 /* . */ && isWordChar(text.charCodeAt(chainStart - 2))) chainStart = wordAt(text, chainStart - 2).start;
    let chainEnd = end;
    while (text.charCodeAt(chainEnd) === 46 && isWordChar(text.charCodeAt(chainEnd + 1)) && !isDigit(text.charCodeAt(chainEnd + 1))) chainEnd = wordAt(text, chainEnd + 1).end;
    return (this.lastChain = { from: start, start: chainStart, end: chainEnd });
  }

  /** fastIdentifier for the chain [chainStart, chainEnd) as a whole. */
  private fastChain(chainStart: number, chainEnd: number): boolean {
    const text = this.text;
    const dotted = text.slice(chainStart, chainEnd);
    if (isDigit(dotted.charCodeAt(0))) return true;
    const before = text.slice(Math.max(0, chainStart - 12), chainStart);
    if (/\b(?:def|class)\s+$/.test(before)) return true;
    const qualified = this.bindings.qualify(dotted);
    if (!qualified) return true;
    const rule = ruleForQualifiedName(qualified);
    const after = afterSpaces(text, chainEnd);
    const nextChar = text.charCodeAt(after);
    const called = nextChar === 40; /* ( */
    const assigned = nextChar === 61 /* = */ && text.charCodeAt(after + 1) !== 61;
    if (!rule) {
      // `tc = torch.cuda`: an alias whose uses are scanned afterwards; the tree walk handles it.
      return !(this.isInteresting(qualified) && /(?:^|\n)[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*$/.test(text.slice(Math.max(0, chainStart - 80), chainStart)));
    }
    if (rule === 'PT-CUDA-001' || assigned || rule === 'LIB-013') return false; // idiom / flag assignment / decorator checks
    // Smallest node spanning the name (and, for a call, its opening parenthesis): no parent lookups, which
    // tree-sitter answers by descending from the root.
    const node = this.locate(chainStart, called ? after + 1 : chainEnd);
    if (!node || node.startIndex !== chainStart) return false;
    const nodeType = node.type;
    if (called ? nodeType !== 'call' : nodeType !== 'attribute' && nodeType !== 'identifier') return false;
    if (qualified === CUDA_HOME && isPresenceTest(node)) return true;
    const target = node;
    const targetEnd = called ? node.endIndex : chainEnd;
    const member = qualified.slice(qualified.lastIndexOf('.') + 1);
    const data: Record<string, string> = { qualifiedName: qualified, member };
    if (rule === 'PT-TYPE-001') data.tensorType = member;
    this.addAt(rule, target, chainStart, targetEnd, data);
    return true;
  }

  private addAt(ruleId: string, node: Node, start: number, end: number, data: Record<string, string>): void {
    const key = `${ruleId}:${start}:${end}`;
    if (this.seenMatch.has(key)) return;
    this.seenMatch.add(key);
    this.matches.push({ ruleId, node, data, start, end });
  }

  /** `x.cuda()` / `x.is_cuda` / `x.record_stream(s)` where x is a value, not an imported module. */
  private memberAccess(member: Node, attribute: Node): boolean {
    const name = member.text;
    if (name !== 'cuda' && name !== 'is_cuda' && name !== 'record_stream') return false;
    const object = attribute.childForFieldName('object');
    if (!object) return false;
    const objectDotted = dottedName(object);
    if (objectDotted && this.bindings.qualify(objectDotted) !== undefined) return false;
    if (name === 'is_cuda') {
      // `self.is_cuda = ...` stores the program's own flag; it reads no tensor's device.
      const parent = attribute.parent;
      if (parent?.type === 'assignment' && sameNode(parent.childForFieldName('left'), attribute)) return true;
      this.add('PT-DEV-005', attribute, { receiver: object.text });
      return true;
    }
    const call = attribute.parent;
    if (call?.type !== 'call' || !sameNode(call.childForFieldName('function'), attribute)) return true;
    if (name === 'record_stream') {
      // The caching allocator's stream bookkeeping: CUDA/XPU/NPU tensors only; the CPU has no stream to record.
      // A stream of XPU's or NPU's own (what `porta fix --target xpu|npu` writes) is fine there.
      if (!XPU_NPU_STREAM.test(call.childForFieldName('arguments')?.text ?? '')) this.add('PT-CUDA-004', call, { receiver: object.text, member: 'record_stream' });
      return true;
    }
    const data: Record<string, string> = { receiver: object.text };
    const args = call.childForFieldName('arguments');
    for (const arg of args?.namedChildren ?? []) {
      if (!arg) continue;
      if (arg.type === 'keyword_argument') {
        const key = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value')?.text ?? '';
        if (key === 'non_blocking') data.nonBlocking = value;
        else if (key === 'device') data.deviceIndex = value;
      } else if (arg.type !== 'comment') data.deviceIndex = arg.text;
    }
    this.add('PT-DEV-001', call, data);
    return true;
  }

  private qualifiedUse(top: Node, qualified: string): void {
    let rule = ruleForQualifiedName(qualified);
    if (!rule) return;
    const parent = top.parent;
    const called = parent?.type === 'call' && sameNode(parent.childForFieldName('function'), top);
    const node = called ? parent : parent?.type === 'assignment' && sameNode(parent.childForFieldName('left'), top) ? parent : top;
    const data: Record<string, string> = { qualifiedName: qualified, member: qualified.split('.').pop() ?? qualified };
    if (node.type === 'assignment') data.value = node.childForFieldName('right')?.text ?? '';
    if (qualified === CUDA_HOME && isPresenceTest(top)) return;
    if (rule === 'PT-CUDA-001' && called && (this.isIdiomCondition(node) || inSkipCondition(node))) return;
    // `if not torch.cuda.is_available(): return` in a function: it skips its work without CUDA (guards what follows).
    if (rule === 'PT-CUDA-001' && called && cudaSkipStatement(node, (n) => n.type === 'call' && this.qualifiedCallee(n) === 'torch.cuda.is_available')) return;
    if (rule === 'PT-CUDA-001' && called) {
      // `if not torch.cuda.is_available(): sys.exit(...)` / `assert torch.cuda.is_available()`: the program refuses to run elsewhere.
      const guard = cudaRefusalGuard(node, (n) => n.type === 'call' && this.qualifiedCallee(n) === 'torch.cuda.is_available');
      if (guard) return this.add('PT-CUDA-008', guard, { ...data, form: guard.type === 'assert_statement' ? 'assert' : 'if' });
    }
    if (rule === 'PT-TYPE-001') data.tensorType = data.member;
    // `torch.cuda.amp.autocast` imported as a name but only used in isinstance checks etc. still counts: no special case.
    if (rule === 'LIB-013') {
      const feature = called ? cudaOnlyCompileFeature(parent) : undefined;
      if (!feature) return;
      data.feature = feature;
    }
    if (qualified === 'torch.cuda.nvtx' && !called) rule = 'PT-CUDA-006';
    this.add(rule, node, data);
  }

  /** `torch.profiler.profile(use_cuda=True)` and friends. */
  private keywordName(id: Node, keyword: Node): void {
    if (id.text !== 'use_cuda' && id.text !== 'use_device') return;
    const call = keyword.parent?.parent;
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    const dotted = fn ? dottedName(fn) : undefined;
    const qualified = dotted ? this.bindings.qualify(dotted) : undefined;
    if (!qualified || !qualified.includes('profiler')) return;
    const value = keyword.childForFieldName('value')?.text ?? '';
    if (id.text === 'use_cuda' && value !== 'False') this.add('PT-PROF-001', keyword, { qualifiedName: qualified, value });
    if (id.text === 'use_device' && /^['"]cuda['"]$/.test(value)) this.add('PT-PROF-001', keyword, { qualifiedName: qualified, value });
  }

  // ---- strings --------------------------------------------------------------------------------

  private string(node: Node): void {
    const parent = node.parent;
    if (!parent || parent.type === 'expression_statement') return; // docstrings and bare strings do nothing
    if (parent.type === 'concatenated_string' && parent.parent?.type === 'expression_statement') return;
    const value = stringValue(node);
    const comparison = parent.type === 'comparison_operator';

    const env = envRule(value.value);
    if (env) return this.add(env, node, { variable: value.value });
    if (NVIDIA_SMI_COMMAND.test(value.value) && !comparison) return this.add('TOOL-001', node, { tool: 'nvidia-smi' });
    if (value.value === 'nvcc' && (isDictKey(node) || isSubscriptIndex(node))) return this.add('EXT-002', node, { tool: 'nvcc' });
    if (NVCC_FLAG.test(value.value) && !comparison && !insideNvccEntry(node)) return this.add('EXT-002', node, { flag: value.value });
    if (CUDA_LIBRARY_FILE.test(value.value) && CTYPES_LOADER.test(this.callQualified(node) ?? '')) return this.add('TOOL-003', enclosingCall(node)!.call, { library: value.value });
    // A command in a string (an image builder's run_commands, subprocess): the NVIDIA stack installed by apt/yum or its repository.
    if (!comparison && cudaSystemPackageHits(value.value).length) return this.add('SH-003', node, { command: value.value });
    if (NVCC_COMMAND.test(value.value) && !comparison) {
      const call = commandCall(node);
      if (call && COMMAND_RUNNER.test(this.qualifiedCallee(call) ?? '')) return this.add('SH-002', node, { command: 'nvcc' });
    }
    if (comparison || isDictKey(node) || isSubscriptIndex(node)) return;
    if (value.value === 'CUDAExecutionProvider' || value.value === 'TensorrtExecutionProvider') return this.add('ORT-001', node, { provider: value.value });
    if (value.value === 'nccl') {
      if (this.callQualified(node)?.endsWith('is_backend_available') || isCudaValueOfPerVendorTable(node)) return;
      return this.add('PT-DIST-001', node, { backend: 'nccl' });
    }
    const tensorType = /^torch\.cuda\.(\w+)$/.exec(value.value);
    if (tensorType && TENSOR_TYPES.has(tensorType[1])) {
      const call = enclosingCall(node);
      const qualified = call ? this.qualifiedCallee(call.call) : undefined;
      if (call && qualified === 'torch.set_default_tensor_type') return this.add('PT-TYPE-002', call.call, { qualifiedName: qualified, tensorType: tensorType[1] });
      return this.add('PT-TYPE-001', node, { qualifiedName: value.value, tensorType: tensorType[1] });
    }
    const callee = this.callQualified(node);
    if (callee?.startsWith('tensorflow.')) return this.tensorflowString(node, value.value, callee);
    const device = deviceString(value);
    if (!device) return;
    if (callee?.startsWith('jax.') || callee?.startsWith('jax')) return this.add('JAX-001', node, { platform: 'cuda' });
    if (device.formatted) {
      // "cuda:%d" % rank  /  "cuda:{}".format(rank): the whole expression is the device string.
      const parent = node.parent;
      if (parent?.type === 'binary_operator' && sameNode(parent.childForFieldName('left'), node)) {
        return this.deviceString(parent, parent.childForFieldName('right')?.text);
      }
      const call = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'format' ? parent.parent : null;
      if (call?.type === 'call') return this.deviceString(call, call.childForFieldName('arguments')?.namedChildren[0]?.text);
      return;
    }
    this.deviceString(node, device.index);
  }

  private tensorflowString(node: Node, value: string, callee: string): void {
    const call = enclosingCall(node)?.call;
    if (!call) return;
    if (callee === 'tensorflow.device' && /^\/?(?:device:)?GPU(?::\d+)?$|\/device:GPU|\/GPU:/i.test(value)) this.add('TF-002', call, { qualifiedName: callee, device: value });
    else if (/list_(?:physical|logical)_devices$/.test(callee) && value === 'GPU') this.add('TF-003', call, { qualifiedName: callee });
  }

  private deviceString(node: Node, index: string | undefined): void {
    // The idiom `"cuda" if torch.cuda.is_available() else "cpu"` is only a hint.
    const conditional = climb(node, ['parenthesized_expression']);
    if (conditional?.type === 'conditional_expression' && this.isIdiom(conditional)) {
      const data: Record<string, string> = {};
      const variable = assignedName(conditional);
      if (variable) data.deviceVariable = variable;
      const other = conditional.namedChildren.filter((c) => c && c.type === 'string' && !sameNode(c, node))[0];
      if (other) data.fallback = other.text;
      return this.add('PT-DEV-004', conditional, data);
    }
    const statementIdiom = this.statementIdiom(node);
    if (statementIdiom) return this.add('PT-DEV-004', statementIdiom.ifStatement, { deviceVariable: statementIdiom.variable, form: 'statement' });
    const data: Record<string, string> = {};
    if (index !== undefined) data.deviceIndex = index;
    const call = enclosingCall(node);
    if (call && LOG_CALL.test(dottedName(call.call.childForFieldName('function') ?? call.call) ?? '')) return;
    let target: Node = node;
    let context = 'other';
    if (call) {
      const callee = this.qualifiedCallee(call.call);
      // The member called, also on receivers that are no dotted name: `(a + b).to(...)`, `m.half().to(...)`.
      const fnText = calledName(call.call);
      if (callee === 'torch.device') {
        context = 'torch.device';
        const args = call.call.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
        if (args.length > 1 && args[1] && args[1].type !== 'keyword_argument') {
          target = call.call;
          data.deviceIndex = args[1].text;
        } else if (args[1]?.type === 'keyword_argument' && args[1].childForFieldName('name')?.text === 'index') {
          target = call.call;
          data.deviceIndex = args[1].childForFieldName('value')?.text ?? '';
        }
        const outer = enclosingCall(call.call);
        if (outer?.keyword === 'map_location') return this.mapLocation(outer.keywordNode!, data);
        const variable = assignedName(call.call);
        if (variable) data.deviceVariable = variable;
      } else if (call.keyword === 'map_location') {
        return this.mapLocation(call.keywordNode!, data);
      } else if (call.keyword === 'device' || call.keyword === 'device_type') {
        context = 'device-kwarg';
      } else if (call.keyword !== undefined) {
        // `default="cuda"` (argparse), `accelerator="cuda"`...; `choices=[...]`, `pattern="cuda"` are not placements.
        if (!DEVICE_KEYWORD.test(call.keyword)) return;
        context = 'device-kwarg';
      } else if (fnText.endsWith('.to') || fnText === 'to') {
        context = 'to';
      } else {
        // A positional "cuda" only counts for torch APIs and functions that are about devices.
        if (!callee?.startsWith('torch.') && !DEVICE_FUNCTION.test(fnText.split('.').pop() ?? '')) return;
        context = 'argument';
      }
    } else {
      const variable = assignedName(node);
      if (variable) {
        data.deviceVariable = variable;
        context = 'assignment';
      } else if (!DEVICE_PARENTS.has(climb(node, ['parenthesized_expression'])?.type ?? '')) {
        // `dev, n = "cuda:0", 2`, `devs = ["cuda:0"]`, `cfg = {"device": "cuda"}`, `for d in ["cuda:0"]`: a finding
        // only where the name then reaches a placement (`.to(dev)`, `device=devs[0]`), so string lists stay quiet.
        const holder = containerBinding(node);
        if (!holder) return;
        // Every string of one container shares the answer: ask once per binding, not once per string.
        const key = `${holder.name}@${holder.value.endIndex}`;
        let placed = this.placements.get(key);
        const scope = placementScope(holder.value);
        if (scope?.type === 'module') this.moduleFlows?.push(node.startIndex);
        if (placed === undefined) this.placements.set(key, (placed = !!scope && reachesPlacement(holder.name, holder.value, scope)));
        if (!placed) return;
        data.deviceVariable = holder.name;
        context = 'flow';
      }
    }
    data.context = context;
    this.add('PT-DEV-002', target, data);
  }

  private mapLocation(keyword: Node, data: Record<string, string>): void {
    this.add('PT-DEV-003', keyword, { ...data, value: keyword.childForFieldName('value')?.text ?? '' });
  }

  private isIdiom(conditional: Node): boolean {
    const [consequence, condition, alternative] = conditional.namedChildren;
    if (!consequence || !condition || !alternative) return false;
    const negated = condition.type === 'not_operator';
    const probe = negated ? condition.childForFieldName('argument') : condition;
    if (!probe || !this.probesCuda(probe)) return false;
    const cudaSide = negated ? alternative : consequence;
    return cudaSide.type === 'string' || cudaSide.type === 'call';
  }

  /** `torch.cuda.is_available()`, also inside `and`/`or` (e.g. `torch.cuda.is_available() and not args.no_cuda`). */
  private probesCuda(node: Node): boolean {
    if (node.type === 'parenthesized_expression') return node.namedChildren.some((c) => !!c && this.probesCuda(c));
    if (node.type === 'boolean_operator') return [node.childForFieldName('left'), node.childForFieldName('right')].some((c) => !!c && this.probesCuda(c));
    return node.type === 'call' && this.qualifiedCallee(node) === 'torch.cuda.is_available';
  }

  /**
   * The statement form of the idiom: `if torch.cuda.is_available(): device = "cuda"` (optionally `torch.device("cuda")`)
   * as the first statement of the if-branch. Returns the if statement and the variable.
   */
  private statementIdiom(value: Node): { ifStatement: Node; variable: string } | undefined {
    let expression = value;
    if (expression.parent?.type === 'argument_list' && expression.parent.parent?.type === 'call' && this.qualifiedCallee(expression.parent.parent) === 'torch.device') expression = expression.parent.parent;
    const assignment = expression.parent;
    if (assignment?.type !== 'assignment' || !sameNode(assignment.childForFieldName('right'), expression)) return undefined;
    const statement = assignment.parent;
    const block = statement?.parent;
    const ifStatement = block?.parent;
    if (statement?.type !== 'expression_statement' || block?.type !== 'block' || ifStatement?.type !== 'if_statement') return undefined;
    if (!sameNode(ifStatement.childForFieldName('consequence'), block) || !sameNode(block.namedChildren[0], statement)) return undefined;
    const condition = ifStatement.childForFieldName('condition');
    if (!condition || !this.probesCuda(condition)) return undefined;
    return { ifStatement, variable: assignment.childForFieldName('left')?.text ?? '' };
  }

  /** Whether an `is_available()` call is the condition of the device idiom (reported once, as a hint). */
  private isIdiomCondition(call: Node): boolean {
    let node = call;
    while (node.parent && (node.parent.type === 'boolean_operator' || node.parent.type === 'parenthesized_expression')) node = node.parent;
    if (node.parent?.type === 'if_statement' && sameNode(node.parent.childForFieldName('condition'), node)) {
      const first = node.parent.childForFieldName('consequence')?.namedChildren[0]?.namedChildren[0];
      const right = first?.type === 'assignment' ? first.childForFieldName('right') : null;
      const literal = right?.type === 'call' && this.qualifiedCallee(right) === 'torch.device' ? right.childForFieldName('arguments')?.namedChildren[0] : right;
      return !!literal && literal.type === 'string' && !!deviceString(stringValue(literal));
    }
    if (node.parent?.type === 'not_operator') node = node.parent;
    const conditional = node.parent;
    if (conditional?.type !== 'conditional_expression' || !sameNode(conditional.namedChildren[1], node)) return false;
    const [consequence, , alternative] = conditional.namedChildren;
    const cudaSide = node.type === 'not_operator' ? alternative : consequence;
    const value = cudaSide?.type === 'string' ? cudaSide : cudaSide?.type === 'call' ? cudaSide.childForFieldName('arguments')?.namedChildren[0] : null;
    return !!value && value.type === 'string' && !!deviceString(stringValue(value));
  }

  private qualifiedCallee(call: Node): string | undefined {
    const fn = call.childForFieldName('function');
    const dotted = fn ? dottedName(fn) : undefined;
    return dotted ? this.bindings.qualify(dotted) : undefined;
  }

  private callQualified(node: Node): string | undefined {
    const call = enclosingCall(node);
    return call ? this.qualifiedCallee(call.call) : undefined;
  }
}

// ---- tree helpers ---------------------------------------------------------------------------------

function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

const VALUE_CONTAINERS = new Set(['list', 'tuple', 'set', 'expression_list', 'dictionary', 'pair', 'parenthesized_expression']);

/** The name a string is bound to through a tuple, list or dict value (`a, b = "cuda", 1`; `for d in [...]`). */
function containerBinding(node: Node): { name: string; value: Node } | undefined {
  let value = node;
  let position = -1;
  while (value.parent && VALUE_CONTAINERS.has(value.parent.type)) {
    const parent = value.parent;
    if (parent.type === 'pair' && !sameNode(parent.childForFieldName('value'), value)) return undefined;
    if (parent.type === 'expression_list') position = parent.namedChildren.findIndex((c) => sameNode(c, value));
    value = parent;
  }
  if (sameNode(value, node)) return undefined;
  const statement = value.parent;
  if (!statement || !sameNode(statement.childForFieldName('right'), value)) return undefined;
  if (statement.type !== 'assignment' && statement.type !== 'for_statement') return undefined;
  let left = statement.childForFieldName('left');
  if ((left?.type === 'pattern_list' || left?.type === 'tuple_pattern') && value.type === 'expression_list' && statement.type === 'assignment') left = left.namedChildren[position] ?? null;
  return left && (left.type === 'identifier' || left.type === 'attribute') ? { name: left.text, value } : undefined;
}

/** The function (or the module) whose later code a name bound at `from` can reach. */
function placementScope(from: Node): Node | null {
  let scope: Node | null = from.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  return scope;
}

/** Whether `name` (or `name[...]`) is passed to `.to(...)` or as `device=` later in the same function or module. */
function reachesPlacement(name: string, from: Node, scope: Node): boolean {
  for (const call of scope.descendantsOfType('call')) {
    if (!call || call.startIndex < from.endIndex) continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const placed = calledName(call).split('.').pop() === 'to' ? args[0] : args.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'device')?.childForFieldName('value');
    let value = placed;
    while (value && (value.type === 'subscript' || value.type === 'parenthesized_expression')) value = value.type === 'subscript' ? value.childForFieldName('value') : value.namedChildren[0];
    if (value?.text === name) return true;
  }
  return false;
}

/** "a.b.c" for a dotted callee, else the member called (`to` in `(a + b).to(...)`); "" when neither. */
function calledName(call: Node): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  return dottedName(fn) ?? (fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '');
}

/** "a.b.c" for identifier/attribute chains; undefined when the chain contains calls, subscripts... (a loop: chains can be 100,000 deep) */
export function dottedName(node: Node): string | undefined {
  const parts: string[] = [];
  let current: Node | null = node;
  for (; current?.type === 'attribute'; current = current.childForFieldName('object')) {
    const attribute = current.childForFieldName('attribute');
    if (!attribute) return undefined;
    parts.push(attribute.text);
  }
  if (current?.type !== 'identifier') return undefined;
  parts.push(current.text);
  return parts.reverse().join('.');
}

/**
 * A name in an import sits at most three levels below the statement (import_statement > aliased_import >
 * dotted_name > identifier). Looking no higher keeps this constant: each `parent` descends from the root in
 * tree-sitter, so climbing to the enclosing block made a 1,000-deep `.cuda()` chain cost seconds.
 */
const IMPORT_DEPTH = 3;
/** What a name's parent can be inside an import; any other parent (an attribute, a call) settles it without climbing. */
const IMPORT_PARTS = new Set(['dotted_name', 'aliased_import', 'relative_import', 'import_prefix', 'import_statement', 'import_from_statement', 'future_import_statement', 'wildcard_import']);

function insideImport(node: Node): boolean {
  if (!IMPORT_PARTS.has(node.type)) return false;
  let n: Node | null = node;
  for (let level = 0; n && n.type !== 'module' && n.type !== 'block'; level++) {
    if (n.type === 'import_statement' || n.type === 'import_from_statement') return true;
    if (level + 1 >= IMPORT_DEPTH) break;
    n = n.parent;
  }
  return false;
}

function isDefinitionName(id: Node, parent: Node): boolean {
  if (parent.type === 'function_definition' || parent.type === 'class_definition') return sameNode(parent.childForFieldName('name'), id);
  return parent.type === 'parameters' || parent.type === 'default_parameter' || parent.type === 'typed_parameter' || parent.type === 'typed_default_parameter' || parent.type === 'lambda_parameters';
}

function climb(node: Node, through: string[]): Node | null {
  let parent = node.parent;
  while (parent && through.includes(parent.type)) parent = parent.parent;
  return parent;
}

/** A command line that starts nvidia-smi: also by path, after `sudo` or after `VAR=value` assignments. */
const NVIDIA_SMI_COMMAND = /^\s*(?:sudo\s+)?(?:[A-Za-z_]\w*=\S*\s+)*(?:\S*\/)?nvidia-smi(?:\s|$)/;

/** Flags only nvcc understands, and CUDA build macros (`-DWITH_CUDA`; CUDA header macros, fast math, architecture selection, ptxas options). */
const NVCC_FLAG = /^(?:-D__CUDA_NO_\w+__|-D(?:[A-Z][A-Z0-9]*_)?WITH_CUDA(?:=\S*)?|-DCUDA_HAS_FP16(?:=\S*)?|--use_fast_math|-gencode(?:[= ]\S+)?|--generate-code\S*|--expt-(?:relaxed-constexpr|extended-lambda)|-arch=(?:sm|compute)_\d+a?|arch=compute_\d+a?,code=\S+|-Xptxas\S*|--ptxas-options\S*)$/;

/** NVIDIA's shared libraries by file name (Linux sonames, Windows DLLs): loading one by hand binds to the NVIDIA driver stack. */
const CUDA_LIBRARY_FILE = /^(?:\S*[/\\])?(?:lib(?:cudart|cuda|nvidia-ml|cublas(?:Lt)?|cudnn\w*|nccl|nvrtc|nvToolsExt|cufft|curand|cusparse|cusolver|nvjpeg)\.so(?:\.\d+)*|(?:cudart|cublas|cudnn|nvrtc|cufft|curand|cusparse|cusolver)64_\d+\.dll|nvcuda\.dll|nvml\.dll)$/;
const CTYPES_LOADER = /^ctypes\.(?:CDLL|PyDLL|WinDLL|OleDLL|(?:cdll|pydll|windll|oledll)\.LoadLibrary)$/;

const CUDA_HOME = 'torch.utils.cpp_extension.CUDA_HOME';

/** `if CUDA_HOME:`, `CUDA_HOME is not None`, `not CUDA_HOME`: testing whether a toolkit is there is the portable check. */
function isPresenceTest(node: Node): boolean {
  let n = node;
  while (n.parent?.type === 'boolean_operator' || n.parent?.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (!parent) return false;
  if (parent.type === 'not_operator') return true;
  if (parent.type === 'comparison_operator') return parent.namedChildren.some((c) => c?.type === 'none');
  return ['if_statement', 'elif_clause', 'while_statement', 'conditional_expression'].includes(parent.type) && sameNode(parent.childForFieldName('condition'), n);
}

/** `nvcc`, `nvcc -V`, `/usr/local/cuda/bin/nvcc`: the CUDA compiler as a command. */
const NVCC_COMMAND = /^\s*(?:\S*\/)?nvcc(?:\.exe)?(?:\s|$)/;
const COMMAND_RUNNER = /^(?:subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\.(?:system|popen|exec\w*|spawn\w*))$/;

/** The call whose first argument is (or builds, as `home + "/bin/nvcc"` or a list's first element) this string. */
function commandCall(node: Node): Node | undefined {
  let n: Node = node;
  while (n.parent && (n.parent.type === 'binary_operator' || n.parent.type === 'parenthesized_expression' || n.parent.type === 'concatenated_string' || ((n.parent.type === 'list' || n.parent.type === 'tuple') && sameNode(n.parent.namedChildren[0], n)))) n = n.parent;
  const args = n.parent;
  if (args?.type !== 'argument_list' || !sameNode(args.namedChildren[0], n)) return undefined;
  return args.parent?.type === 'call' ? args.parent : undefined;
}

/** A flag inside the `nvcc` entry (`{"nvcc": [...]}`, `args["nvcc"] += [...]`): that entry is the finding already. */
function insideNvccEntry(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'pair') return isNvccString(n.childForFieldName('key'));
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = n.childForFieldName('left');
      return left?.type === 'subscript' && isNvccString(left.childForFieldName('subscript'));
    }
    if (!['list', 'tuple', 'binary_operator', 'parenthesized_expression', 'conditional_expression'].includes(n.type)) return false;
  }
  return false;
}

function isNvccString(node: Node | null | undefined): boolean {
  return node?.type === 'string' && /^['"]nvcc['"]$/.test(node.text);
}

function isDictKey(node: Node): boolean {
  const parent = node.parent;
  return parent?.type === 'pair' && sameNode(parent.childForFieldName('key'), node);
}

function isSubscriptIndex(node: Node): boolean {
  const parent = node.parent;
  return parent?.type === 'subscript' && !sameNode(parent.childForFieldName('value'), node);
}

interface EnclosingCall {
  call: Node;
  keyword?: string;
  keywordNode?: Node;
}

const ARGUMENT_WRAPPERS = new Set(['list', 'tuple', 'parenthesized_expression', 'conditional_expression', 'pair', 'dictionary']);

/** The call a value is an argument of (through lists, tuples, keyword arguments), if any. */
function enclosingCall(node: Node): EnclosingCall | undefined {
  let keyword: Node | undefined;
  let n = node.parent;
  while (n && ARGUMENT_WRAPPERS.has(n.type)) n = n.parent;
  if (n?.type === 'keyword_argument') {
    keyword = n;
    n = n.parent;
  }
  if (n?.type !== 'argument_list') return undefined;
  const call = n.parent;
  if (call?.type !== 'call') return undefined;
  return { call, keyword: keyword?.childForFieldName('name')?.text, keywordNode: keyword };
}

/** `dev = <node>` (or `self.dev = <node>`, `dev: str = <node>`) -> "dev". */
function assignedName(node: Node): string | undefined {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (parent?.type !== 'assignment' || !sameNode(parent.childForFieldName('right'), n)) return undefined;
  const left = parent.childForFieldName('left');
  return left && (left.type === 'identifier' || left.type === 'attribute') ? left.text : undefined;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The identifier-like word around an offset. */
function wordAt(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  return { start, end };
}

function afterSpaces(text: string, offset: number): number {
  let i = offset;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

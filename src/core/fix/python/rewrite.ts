import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import { versionAtLeast } from '../version';
import { isProtected, type FixContext } from './context';
import { qualifiedName } from './imports';
import { cudaRefusalGuard } from '../../python/guards';
import type { SupportId } from './support';
import { rewriteAmpCustomCall, rewriteAmpCustomDecorator, rewriteIsCuda, rewriteNvtxCall, rewriteRecordStream, rewriteStreamCall } from './rewriteRuntime';
import { insideCudaIdiom, rewriteDeviceIdiom, rewriteDeviceIfElse, isWholeDeviceCall, rewriteWholeDeviceCall, singleDevice } from './deviceIndex';
import { isAlreadyPortable } from '../../python/portable';
import { argumentParts, callName, deviceType, portable, positionalIndex, quoteOf, replaceCall, stringValue, torchNeeds } from './nodes';
import { VISIBLE_DEVICES } from '../environment';
import { enclosingDefinitions } from './scopes';
import { rewriteAutocastDtypeVariable, rewriteBf16Value, rewriteProbedDtype } from './probedDtype';
import { currentDeviceAsDevice, keepQueryMeaning } from './deviceQueries';
import { dropRedundantCudaSeed } from './redundantSeed';
import { insideCudaOnlyBranch, namesCudaOnlyLibrary } from './cudaOnly';
import { publicDefaultChanged } from './publicDefaults';

type Node = TreeSitter.Node;

/** Per fix run: what publicDefaultChanged found for each node it climbed (see there). */
const defaultsMemos = new WeakMap<FixContext, Map<number, string | undefined>>();
function defaultsMemo(ctx: FixContext): Map<number, string | undefined> {
  let memo = defaultsMemos.get(ctx);
  if (!memo) defaultsMemos.set(ctx, (memo = new Map()));
  return memo;
}

/** One rewrite at one site, before support code is added. */
export interface Rewrite {
  title: string;
  safe: boolean;
  edits: TextEdit[];
  needs: SupportId[];
  /** Still right in code that only runs with CUDA (dropping a redundant call): applied to guarded findings too. */
  keepsInGuard?: boolean;
}

const DEVICE_STRING = /^cuda(:\d+)?$/;
const DEVICE_NAME = /^(device|dev|[A-Za-z_]\w*_device|device_[A-Za-z_]\w*)$/i;
const LEGACY_TYPES: Record<string, string> = {
  FloatTensor: 'float32', DoubleTensor: 'float64', HalfTensor: 'float16', BFloat16Tensor: 'bfloat16',
  LongTensor: 'int64', IntTensor: 'int32', ShortTensor: 'int16', CharTensor: 'int8', ByteTensor: 'uint8', BoolTensor: 'bool',
};
const CUDNN_FLAGS = new Set([
  'torch.backends.cudnn.benchmark', 'torch.backends.cudnn.deterministic', 'torch.backends.cudnn.enabled',
  'torch.backends.cudnn.allow_tf32', 'torch.backends.cuda.matmul.allow_tf32',
  'torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction', 'torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction',
]);
const GPU_PROVIDERS = new Set(['CUDAExecutionProvider', 'TensorrtExecutionProvider']);
const TARGET_PROVIDERS: Record<string, string[]> = {
  auto: ['ROCMExecutionProvider', 'CPUExecutionProvider'],
  cuda: ['CPUExecutionProvider'],
  rocm: ['MIGraphXExecutionProvider', 'ROCMExecutionProvider', 'CPUExecutionProvider'],
  npu: ['CANNExecutionProvider', 'CPUExecutionProvider'],
  xpu: ['OpenVINOExecutionProvider', 'CPUExecutionProvider'],
  mps: ['CoreMLExecutionProvider', 'CPUExecutionProvider'],
  cpu: ['CPUExecutionProvider'],
};

const AUTOCAST_NAMES = new Set(['torch.autocast', 'torch.amp.autocast', 'torch.amp.autocast_mode.autocast']);

/** Name of the index-th positional parameter of a function defined at module level in this file. */
function localFunctionParameter(name: string, index: number, ctx: FixContext): string | undefined {
  for (const child of ctx.root.namedChildren) {
    const def = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (def?.type !== 'function_definition' || def.childForFieldName('name')?.text !== name) continue;
    const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p && p.type !== 'comment');
    const param = params[index];
    if (!param) return undefined;
    return param.type === 'identifier' ? param.text : param.childForFieldName('name')?.text ?? param.namedChild(0)?.text;
  }
  return undefined;
}

/** Is this string literal in a position where it names a device? */
function inDevicePosition(node: Node, ctx: FixContext): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'keyword_argument') {
    const name = parent.childForFieldName('name')?.text ?? '';
    return name === 'device' || name === 'map_location' || name === 'device_type';
  }
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    const index = positionalIndex(parent, node);
    const { qn, method } = callName(parent.parent, ctx);
    if (qn === 'torch.device' || (qn && AUTOCAST_NAMES.has(qn))) return index === 0;
    if (qn === 'torch.load') return index === 1;
    if (method === 'to' && !qn?.startsWith('torch.')) return index === 0;
    const fn = parent.parent.childForFieldName('function');
    return fn?.type === 'identifier' && index >= 0 && DEVICE_NAME.test(localFunctionParameter(fn.text, index, ctx) ?? '');
  }
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    const name = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : left?.text;
    return !!name && DEVICE_NAME.test(name);
  }
  if (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') {
    return DEVICE_NAME.test(parent.childForFieldName('name')?.text ?? '');
  }
  return false;
}

function isMapLocation(node: Node, ctx: FixContext): boolean {
  const parent = node.parent;
  if (parent?.type === 'keyword_argument') return parent.childForFieldName('name')?.text === 'map_location';
  return parent?.type === 'argument_list' && parent.parent?.type === 'call' && callName(parent.parent, ctx).qn === 'torch.load';
}

function rewriteDeviceString(node: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  const value = stringValue(node);
  let m = value !== undefined ? DEVICE_STRING.exec(value) : undefined;
  if (value !== undefined && !m) return undefined;
  if (!inDevicePosition(node, ctx) || insideCudaIdiom(node)) return undefined;
  const holder = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  if (holder?.type === 'call' && isWholeDeviceCall(holder, ctx)) return undefined; // the whole call becomes the device
  const dt = deviceType(ctx);
  if (m && m[1] === ':0' && singleDevice(ctx)) m = DEVICE_STRING.exec('cuda'); // single-device code: "cuda:0" is the device
  if (m) {
    const q = quoteOf(node);
    let text = m[1] ? `f${q}{${dt.text}}${m[1]}${q}` : dt.text;
    const parent = node.parent;
    if (m[1] && parent?.type === 'argument_list' && parent.parent?.type === 'call' && callName(parent.parent, ctx).qn === 'torch.device' &&
      argumentParts(parent.parent).positional.length === 1 && argumentParts(parent.parent).keywords.size === 0) {
      text = `${dt.text}, ${m[1].slice(1)}`; // torch.device("cuda:1") -> torch.device(DEVICE.type, 1)
    }
    if (!m[1] && portable(ctx) && isMapLocation(node, ctx)) text = ctx.device; // map_location takes the device itself
    if (m[1] && isMapLocation(node, ctx)) {
      // torch.load cannot restore to "cpu:0": keep the index for accelerators only.
      text = m[1] === ':0' ? ctx.device : `(${text} if ${ctx.device}.type != "cpu" else "cpu")`;
    }
    return { title: `Use the chosen device instead of "${value}"`, safe: true, edits: [{ start: node.startIndex, end: node.endIndex, text }], needs: dt.needs };
  }
  // f-string such as f"cuda:{rank}": replace the leading "cuda" and keep the index expression.
  const first = node.namedChildren.find((c) => c && c.type !== 'string_start');
  if (!first || first.type !== 'string_content' || !/^cuda(:|$)/.test(first.text)) return undefined;
  const rest = first.text.slice(4);
  if (rest === '' && first.nextNamedSibling?.type === 'interpolation') return undefined; // f"cuda{x}" is unusual; leave it
  if (isMapLocation(node, ctx)) {
    const fixed = ctx.text.slice(node.startIndex, first.startIndex) + `{${dt.text}}` + ctx.text.slice(first.startIndex + 4, node.endIndex);
    return {
      title: `Load onto the chosen device instead of ${node.text}`,
      safe: true,
      edits: [{ start: node.startIndex, end: node.endIndex, text: `(${fixed} if ${ctx.device}.type != "cpu" else "cpu")` }],
      needs: dt.needs,
    };
  }
  return {
    title: `Use the chosen device type instead of "cuda" in ${node.text}`,
    safe: true,
    edits: [{ start: first.startIndex, end: first.startIndex + 4, text: `{${dt.text}}` }],
    needs: dt.needs,
  };
}

/**
 * `torch.amp.autocast(DEVICE.type, dtype=torch.float16)`: CPU autocast supports only bfloat16 (PyTorch 1.13 raises even
 * when disabled; later releases warn and turn it off), so the CPU gets bfloat16, the port a person would write.
 */
function rewriteCpuHalfAutocast(call: Node, ctx: FixContext): Rewrite | undefined {
  if (ctx.options.target !== 'auto' && ctx.options.target !== 'cpu') return undefined;
  const { qn } = callName(call, ctx);
  if (!qn || !AUTOCAST_NAMES.has(qn)) return undefined;
  const { positional, keywords } = argumentParts(call);
  const device = positional[0] ?? keywords.get('device_type');
  const dtype = keywords.get('dtype');
  if (!device || device.text !== `${ctx.device}.type` || positional.length > 1) return undefined;
  if (!dtype || !new RegExp(`^${ctx.torch}\\.(?:float16|half)$`).test(dtype.text)) return undefined;
  return {
    title: 'Autocast to bfloat16 on the CPU (CPU autocast has no float16)',
    safe: true,
    edits: [{ start: dtype.startIndex, end: dtype.endIndex, text: `${dtype.text} if ${ctx.device}.type != "cpu" else ${ctx.torch}.bfloat16` }],
    needs: ['device'],
  };
}

const CAPABILITY_PROBES = new Set(['torch.cuda.get_device_capability', 'torch.cuda.is_bf16_supported']);

/**
 * `if torch.cuda.get_device_capability() >= (8, 0):` raises off CUDA: ask it only on a CUDA-typed device
 * (`if DEVICE.type == "cuda" and ...:`). Identical on NVIDIA and ROCm; elsewhere the branch is skipped.
 */
function rewriteCapabilityProbe(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  const { qn } = callName(call, ctx);
  if (!qn || !CAPABILITY_PROBES.has(qn)) return undefined;
  const condition = call.parent?.type === 'comparison_operator' ? call.parent : call;
  const owner = condition.parent;
  if (!owner || !['if_statement', 'elif_clause', 'conditional_expression'].includes(owner.type)) return undefined;
  const field = owner.type === 'conditional_expression' ? owner.namedChildren[1] : owner.childForFieldName('condition');
  if (!field || field.startIndex !== condition.startIndex || field.endIndex !== condition.endIndex) return undefined;
  return {
    title: 'Probe the CUDA capability only on a CUDA device',
    safe: true,
    edits: [{ start: condition.startIndex, end: condition.startIndex, text: `${ctx.device}.type == "cuda" and ` }],
    needs: ['device'],
  };
}

/**
 * `major, minor = torch.cuda.get_device_capability()` (or `...()[0] >= 8`) outside an if/conditional test: answer for
 * the chosen device, as porta_shim does ((0, 0) where there is no CUDA architecture, so every ">= (8, 0)" is false).
 * Runs after rewriteCapabilityProbe, which keeps an if-test's probe for CUDA-typed devices.
 */
function rewriteCapabilityQuery(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || callName(call, ctx).qn !== 'torch.cuda.get_device_capability') return undefined;
  if (isAlreadyPortable('PT-PROBE-001', call, false)) return undefined; // asked only on a CUDA-typed device already
  const argText = call.childForFieldName('arguments')!.text.slice(1, -1);
  return {
    title: "Ask the chosen device for its compute capability ((0, 0) where it has no CUDA architecture)",
    safe: true,
    edits: [replaceCall(call, `${ctx.helpers['device-info']}("get_device_capability"${argText.trim() ? `, ${argText}` : ''})`)],
    needs: ['device-info'],
  };
}

/** `"cuda:%d" % rank` and `"cuda:{}".format(rank)` in a device position -> `f"{DEVICE.type}:{rank}"`. */
function rewriteFormattedDevice(node: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  let literal: Node | null;
  let index: Node | null | undefined;
  if (node.type === 'binary_operator') {
    if (node.childForFieldName('operator')?.text !== '%') return undefined;
    literal = node.childForFieldName('left');
    index = node.childForFieldName('right');
    if (literal && stringValue(literal) !== undefined && !/^cuda:%[ds]$/.test(stringValue(literal)!)) return undefined;
  } else {
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return undefined;
    literal = fn.childForFieldName('object');
    const args = argumentParts(node);
    if (args.positional.length !== 1 || args.keywords.size > 0) return undefined;
    index = args.positional[0];
    if (literal && stringValue(literal) !== undefined && !/^cuda:\{0?\}$/.test(stringValue(literal)!)) return undefined;
  }
  if (literal?.type !== 'string' || stringValue(literal) === undefined || !index || index.type === 'tuple' || /["'{}\n]/.test(index.text)) return undefined;
  if (!inDevicePosition(node, ctx) || isMapLocation(node, ctx)) return undefined;
  const dt = deviceType(ctx);
  const q = quoteOf(literal);
  return {
    title: `Use the chosen device type instead of "cuda" in ${node.text}`,
    safe: true,
    edits: [{ start: node.startIndex, end: node.endIndex, text: `f${q}{${dt.text}}:{${index.text}}${q}` }],
    needs: dt.needs,
  };
}

function rewriteBackendString(node: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || stringValue(node) !== 'nccl') return undefined;
  const parent = node.parent;
  let ok = false;
  if (parent?.type === 'keyword_argument') ok = parent.childForFieldName('name')?.text === 'backend';
  else if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
    const { method } = callName(parent.parent, ctx);
    ok = (method === 'init_process_group' || method === 'new_group') && positionalIndex(parent, node) === 0;
  } else if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    ok = /backend/i.test(parent.childForFieldName('left')?.text ?? '');
  }
  if (!ok) return undefined;
  const q = quoteOf(node);
  const target = ctx.options.target;
  const fixed = target === 'npu' ? 'hccl' : target === 'xpu' ? 'xccl' : target === 'auto' ? undefined : 'gloo';
  if (fixed) return { title: `Use the ${fixed} backend`, safe: true, edits: [{ start: node.startIndex, end: node.endIndex, text: `${q}${fixed}${q}` }], needs: [] };
  return { title: 'Choose the distributed backend from the device', safe: true, edits: [{ start: node.startIndex, end: node.endIndex, text: `${ctx.helpers['dist-backend']}()` }], needs: ['dist-backend'] };
}

function rewriteProviderString(node: Node, ctx: FixContext): Rewrite | undefined {
  const value = stringValue(node);
  if (!value || !GPU_PROVIDERS.has(value)) return undefined;
  const list = node.parent;
  if (!list || list.type !== 'list') return undefined;
  const holder = list.parent;
  const isProviders = (holder?.type === 'keyword_argument' && holder.childForFieldName('name')?.text === 'providers') ||
    (holder?.type === 'assignment' && /providers/i.test(holder.childForFieldName('left')?.text ?? '')) ||
    (holder?.type === 'argument_list' && /InferenceSession$/.test(holder.parent?.childForFieldName('function')?.text ?? ''));
  if (!isProviders) return undefined;
  const elements = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const existing = new Set(elements.map((e) => stringValue(e)).filter(Boolean));
  const additions = (TARGET_PROVIDERS[ctx.options.target] ?? []).filter((p) => !existing.has(p));
  if (additions.length === 0) return undefined;
  const last = elements[elements.length - 1]!;
  const q = quoteOf(node);
  return {
    title: `Fall back to ${additions.join(', ')} when ${value} is unavailable`,
    safe: true,
    edits: [{ start: last.endIndex, end: last.endIndex, text: additions.map((p) => `, ${q}${p}${q}`).join('') }],
    needs: [],
  };
}

/**
 * A superset of the places a device variable can be assigned (`device = ...`, `dev: torch.device = ...`, after `;` or
 * a one-line `if ...:`), so that most function bodies skip the node walk. Keyword arguments (`f(device=...)`) follow
 * `(` or `,` and do not match.
 */
const ASSIGNED_DEVICE_NAME = /(?:^|[;:])[ \t]*(?:dev|device|\w+_device|device_\w+)[ \t]*(?::[^=\n]*)?=(?!=)/im;

const moduleVariables = new WeakMap<FixContext, Array<{ name: string; start: number }>>();
const functionVariables = new WeakMap<FixContext, Map<number, Array<{ name: string; start: number }>>>();

/** Device variables assigned in a function body, in order (computed once per function per context). */
function functionDeviceVariables(fn: Node, ctx: FixContext, scan: (body: Node) => Array<{ name: string; start: number }>): Array<{ name: string; start: number }> {
  let byFunction = functionVariables.get(ctx);
  if (!byFunction) functionVariables.set(ctx, (byFunction = new Map()));
  let list = byFunction.get(fn.id);
  if (!list) {
    const body = fn.childForFieldName('body');
    list = body && ASSIGNED_DEVICE_NAME.test(body.text) ? scan(body) : [];
    byFunction.set(fn.id, list);
  }
  return list;
}

/** Module-level `device = ...` assignments, in order (computed once per context: many sites ask). */
function moduleDeviceVariables(ctx: FixContext, isDeviceValue: (value: Node | null) => boolean): Array<{ name: string; start: number }> {
  let list = moduleVariables.get(ctx);
  if (list) return list;
  list = [];
  for (const child of ctx.root.namedChildren) {
    if (!child || child.type !== 'expression_statement' || !/^\s*\w+\s*=/.test(child.text)) continue;
    const assignment = child.namedChild(0);
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    if (left?.type === 'identifier' && DEVICE_NAME.test(left.text) && isDeviceValue(assignment.childForFieldName('right'))) {
      list.push({ name: left.text, start: child.startIndex });
    }
  }
  moduleVariables.set(ctx, list);
  return list;
}

/** Names of device variables visible at `node`: parameters and earlier assignments of enclosing functions, then module ones. */
export function deviceVariableInScope(node: Node, ctx: FixContext): string | undefined {
  const isDeviceValue = (value: Node | null): boolean =>
    !!value && /torch\.device\(|["']cuda|\.device\b|current_accelerator|_porta_pick_device|\bDEVICE\b/.test(value.text);
  const assignedIn = (body: Node): Array<{ name: string; start: number }> => {
    const found: Array<{ name: string; start: number }> = [];
    const visit = (n: Node): void => {
      for (const child of n.namedChildren) {
        if (!child || child.type === 'function_definition' || child.type === 'class_definition') continue;
        if (child.type === 'assignment') {
          const left = child.childForFieldName('left');
          if (left?.type === 'identifier' && DEVICE_NAME.test(left.text) && isDeviceValue(child.childForFieldName('right'))) {
            found.push({ name: left.text, start: child.startIndex });
          }
        }
        if (/device|dev\b/i.test(child.text)) visit(child); // only subtrees that can hold such an assignment
      }
    };
    visit(body);
    return found;
  };
  let insideFunction = false;
  for (const current of enclosingDefinitions(node, ctx)) {
    if (current.type === 'function_definition') {
      insideFunction = true;
      for (const param of current.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!param) continue;
        const name = param.type === 'identifier' ? param.text : param.childForFieldName('name')?.text ?? param.namedChild(0)?.text;
        if (name && /^(device|dev)$/.test(name)) return name;
      }
      const local = functionDeviceVariables(current, ctx, assignedIn).filter((v) => v.start < node.startIndex).pop();
      if (local) return local.name;
    }
    if (current.type === 'class_definition') break; // class bodies do not enclose method scopes
  }
  if (ctx.present.has('device')) return ctx.device;
  let found: string | undefined;
  for (const candidate of moduleDeviceVariables(ctx, isDeviceValue)) {
    if (!insideFunction && candidate.start >= node.startIndex) break;
    found = candidate.name;
  }
  return found;
}

/** Names that hold a device index (`rank`, `local_rank`, `args.gpu`, `gpu_id`, `device_id`). */
const INDEX_NAME = /^(?:\w*_)?(?:rank|gpu|gpu_?id|gpu_?index|device_?id|device_?index|device_?idx)$/i;

/**
 * What the argument of `x.cuda(arg)` is: a device already (a string, `torch.device(...)`, a device variable assigned in
 * scope), a device index (an int literal, an index-named variable), or unknown (a parameter, an attribute, a call).
 */
function cudaArgumentKind(arg: Node, call: Node, ctx: FixContext): 'device' | 'index' | 'current' | 'unknown' {
  if (arg.type === 'string') return 'device';
  if (arg.type === 'integer') return 'index';
  if (arg.type === 'call') {
    const { qn } = callName(arg, ctx);
    return qn === 'torch.device' ? 'device' : qn === 'torch.cuda.current_device' ? 'current' : 'unknown';
  }
  if (arg.type !== 'identifier' && arg.type !== 'attribute') return 'unknown';
  const name = arg.type === 'identifier' ? arg.text : arg.childForFieldName('attribute')?.text ?? '';
  if (INDEX_NAME.test(name)) return 'index';
  if (arg.type === 'identifier' && (arg.text === ctx.device || (deviceVariableInScope(call, ctx) === arg.text && !isParameterInScope(arg.text, call, ctx)))) return 'device';
  return 'unknown';
}

/** Whether `name` is a parameter of a function enclosing `node` (its value comes from the caller: any kind). */
function isParameterInScope(name: string, node: Node, ctx: FixContext): boolean {
  return enclosingDefinitions(node, ctx).some((d) => d.type === 'function_definition' &&
    (d.childForFieldName('parameters')?.namedChildren ?? []).some((p) => p && (p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? p.namedChild(0)?.text) === name));
}

function rewriteCudaMethod(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'cuda') return undefined;
  const receiver = fn.childForFieldName('object')!;
  if (qualifiedName(receiver, ctx.imports)?.startsWith('torch')) return undefined; // torch.cuda is a module, not a method
  const { positional, keywords } = argumentParts(call);
  if (positional.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  // map_location=lambda storage, loc: storage.cuda() means "everything onto the device" (storages lack .to on 1.13).
  // Only a file that says map_location pays for the two `parent` calls (each a descent from the root in tree-sitter).
  const lambda = ctx.text.includes('map_location') ? call.parent : null;
  const holder = lambda?.parent;
  if (lambda?.type === 'lambda' && lambda.childForFieldName('body')?.id === call.id && holder?.type === 'keyword_argument' &&
    holder.childForFieldName('name')?.text === 'map_location' && positional.length === 0 && keywords.size === 0) {
    const variable = deviceVariableInScope(call, ctx) ?? ctx.device;
    return { title: `Load onto ${variable} instead of CUDA`, safe: true, edits: [{ start: lambda.startIndex, end: lambda.endIndex, text: variable }], needs: variable === ctx.device ? ['device'] : [] };
  }
  const index = positional[0] ?? keywords.get('device');
  const nonBlocking = positional[1] ?? keywords.get('non_blocking');
  const needs: SupportId[] = [];
  let target: string;
  const kind = index && index.text !== 'None' ? cudaArgumentKind(index, call, ctx) : 'none';
  if (kind === 'device') {
    target = index!.text; // .cuda("cuda:1") / .cuda(torch.device(...)) / .cuda(device): a device already; strings are ported next pass
  } else if (kind === 'index' && !(index!.text === '0' && singleDevice(ctx))) {
    target = `${ctx.torch}.device(${ctx.device}.type, ${index!.text})`;
    needs.push('device', ...torchNeeds(ctx));
  } else if (kind === 'unknown') {
    target = `${ctx.helpers['device-for']}(${index!.text})`; // an index, a string or a device: decided at run time
    needs.push('device-for');
  } else {
    const variable = deviceVariableInScope(call, ctx);
    target = variable ?? ctx.device;
    if (!variable || variable === ctx.device) needs.push('device');
  }
  const args = [target];
  if (nonBlocking) args.push(`non_blocking=${nonBlocking.text}`);
  const memoryFormat = keywords.get('memory_format');
  if (memoryFormat) args.push(`memory_format=${memoryFormat.text}`);
  const attribute = fn.childForFieldName('attribute')!;
  return {
    title: `Replace .cuda() with .to(${target})`,
    safe: true,
    edits: [{ start: attribute.startIndex, end: call.endIndex, text: `to(${args.join(', ')})` }],
    needs,
  };
}

/** Turns positional arguments into keywords (torch.cuda.amp signatures differ from torch.amp ones). */
function keywordArgs(call: Node, names: string[]): string[] | undefined {
  const { keywords } = argumentParts(call);
  const positional = argumentParts(call).positional.filter((a) => a.type !== 'dictionary_splat'); // **kwargs: kept as is below
  if (positional.length > names.length || positional.some((a) => a.type === 'list_splat')) return undefined;
  // A positional walrus (`f(a := x)`) needs its parentheses as a keyword value: `enabled=a := x` does not parse.
  const out = positional.map((arg, i) => `${names[i]}=${arg.type === 'named_expression' ? `(${arg.text})` : arg.text}`);
  for (const [name, value] of keywords) out.push(`${name}=${value.text}`);
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) if (arg?.type === 'dictionary_splat') out.push(arg.text);
  return out;
}

/** torch.cuda queries about the hardware that `_porta_device_info` answers for the chosen device (as porta_shim does). */
const DEVICE_INFO_QUERIES = new Set(['get_device_properties', 'get_device_name', 'mem_get_info']);

function rewriteTorchCudaCall(call: Node, ctx: FixContext): Rewrite | undefined {
  const { qn } = callName(call, ctx);
  if (!qn?.startsWith('torch.cuda.')) return undefined;
  // torch.cuda.memory.memory_allocated is torch.cuda.memory_allocated (the submodule is where torch.cuda's come from).
  const member = qn.slice('torch.cuda.'.length).replace(/^memory\.(?=\w+$)/, '');
  const t = ctx.torch;
  const v = ctx.options.torchVersion;
  const args = call.childForFieldName('arguments')!;
  const argText = args.text.slice(1, -1);
  const target = ctx.options.target;
  const direct = target === 'xpu' || target === 'npu' ? target : undefined;
  const tn = torchNeeds(ctx);

  if (member === 'manual_seed' || member === 'manual_seed_all' || member === 'seed' || member === 'seed_all') {
    const redundant = dropRedundantCudaSeed(call, ctx);
    if (redundant) return redundant;
    const fn = member.startsWith('manual') ? 'manual_seed' : 'seed';
    return { title: `Use ${t}.${fn}, which seeds every device`, safe: false, edits: [replaceCall(call, `${t}.${fn}(${argText})`)], needs: tn };
  }
  if (member === 'amp.autocast') {
    const kw = keywordArgs(call, ['enabled', 'dtype', 'cache_enabled']);
    if (!kw) return undefined;
    const dt = deviceType(ctx);
    return { title: 'Use torch.amp.autocast with the chosen device type', safe: true, edits: [replaceCall(call, `${t}.amp.autocast(${[dt.text, ...kw].join(', ')})`)], needs: [...dt.needs, ...tn] };
  }
  if (member === 'amp.GradScaler') {
    const kw = keywordArgs(call, ['init_scale', 'growth_factor', 'backoff_factor', 'growth_interval', 'enabled']);
    if (!kw) return undefined;
    if (versionAtLeast(v, '2.3')) {
      const dt = deviceType(ctx);
      return { title: 'Use torch.amp.GradScaler for the chosen device', safe: true, edits: [replaceCall(call, `${t}.amp.GradScaler(${[dt.text, ...kw].join(', ')})`)], needs: [...dt.needs, ...tn] };
    }
    if (!portable(ctx)) return undefined; // torch.cuda.amp.GradScaler is right on CUDA/ROCm with PyTorch < 2.3
    return { title: 'Create the gradient scaler for the chosen device', safe: true, edits: [replaceCall(call, `${ctx.helpers['grad-scaler']}(${kw.join(', ')})`)], needs: ['grad-scaler', ...tn] };
  }
  const custom = rewriteAmpCustomCall(call, member, ctx);
  if (custom) return custom;
  if (member.startsWith('amp.')) return undefined;
  if (!portable(ctx)) return undefined;
  const runtime = rewriteStreamCall(call, member, argText, ctx) ?? rewriteNvtxCall(call, member, argText, ctx);
  if (runtime) return runtime;

  const LEGACY = /^(\w+)Tensor$/.exec(member);
  if (LEGACY && LEGACY_TYPES[member]) {
    const dtype = `${t}.${LEGACY_TYPES[member]}`;
    const { positional, keywords } = argumentParts(call);
    if (keywords.size > 0) return undefined;
    let text: string | undefined;
    if (positional.length === 1 && ['list', 'tuple', 'list_comprehension'].includes(positional[0]!.type)) {
      text = `${t}.tensor(${positional[0]!.text}, dtype=${dtype}, device=${ctx.device})`;
    } else if (positional.length > 0 && positional.every((a) => a.type === 'integer')) {
      text = `${t}.empty(${positional.map((a) => a.text).join(', ')}, dtype=${dtype}, device=${ctx.device})`;
    }
    if (!text) return undefined;
    return { title: `Replace the legacy torch.cuda.${member} with a factory function on the chosen device`, safe: false, edits: [replaceCall(call, text)], needs: ['device', ...tn] };
  }

  const acceleratorSince: Record<string, [string, string]> = {
    synchronize: ['2.6', 'synchronize'],
    device_count: ['2.6', 'device_count'],
    current_device: ['2.7', 'current_device_index'],
    set_device: ['2.7', 'set_device_index'],
    empty_cache: ['2.9', 'empty_cache'],
    memory_allocated: ['2.9', 'memory_allocated'],
    max_memory_allocated: ['2.9', 'max_memory_allocated'],
    memory_reserved: ['2.9', 'memory_reserved'],
    max_memory_reserved: ['2.9', 'max_memory_reserved'],
    reset_peak_memory_stats: ['2.9', 'reset_peak_memory_stats'],
    memory_stats: ['2.9', 'memory_stats'],
  };
  const defaults: Record<string, string> = {
    synchronize: '', empty_cache: '', set_device: '', reset_peak_memory_stats: '',
    device_count: '0', current_device: '0', memory_allocated: '0', max_memory_allocated: '0',
    memory_reserved: '0', max_memory_reserved: '0', memory_stats: '{}',
  };
  if (member === 'Event' && ctx.options.target !== 'cuda' && ctx.options.target !== 'rocm') {
    // Timing events: the chosen device's own Event class, or a wall-clock stand-in on the CPU.
    const text = direct ? `${t}.${direct}.Event(${argText})` : `${ctx.helpers.event}(${argText})`;
    return { title: "Time with the chosen device's events (wall clock on the CPU)", safe: true, edits: [replaceCall(call, text)], needs: direct ? tn : ['event'] };
  }
  if (DEVICE_INFO_QUERIES.has(member)) {
    // Scripts read these to print the hardware or size batches (total_memory): answer for the chosen device.
    const text = direct ? `${t}.${direct}.${member}(${argText})` : `${ctx.helpers['device-info']}("${member}"${argText.trim() ? `, ${argText}` : ''})`;
    return { title: `Ask the chosen device for ${member} (the host's CPU and memory where it has no such query)`, safe: true, edits: [replaceCall(call, text)], needs: direct ? ['device', ...tn] : ['device-info'] };
  }
  const since = acceleratorSince[member];
  if (!since) return undefined;
  if (member === 'current_device' && !argText.trim()) {
    const asDevice = currentDeviceAsDevice(call, ctx);
    if (asDevice) return asDevice;
  }
  // Statistics read as zero off-device: that can change what a program prints, so opt-in only.
  const safe = defaults[member] === '' || member === 'device_count' || member === 'current_device';
  if (target === 'auto' && versionAtLeast(v, since[0])) {
    // torch.accelerator calls fail on a machine without an accelerator (except device_count): guard them.
    const api = `${t}.accelerator.${since[0] === '2.9' ? 'memory.' : ''}${since[1]}(${argText})`;
    const text = member === 'device_count' ? api : `${api} if ${t}.accelerator.is_available() else ${defaults[member] || 'None'}`;
    return keepQueryMeaning(call, member, { title: `Use ${t}.accelerator`, safe, edits: [replaceCall(call, text)], needs: tn }, ctx);
  }
  if (direct) {
    return keepQueryMeaning(call, member, { title: `Use ${t}.${direct}.${member}`, safe: true, edits: [replaceCall(call, `${t}.${direct}.${member}(${argText})`)], needs: ['device', ...tn] }, ctx);
  }
  const dflt = defaults[member] ? `, default=${defaults[member]}` : '';
  const prefix = `${ctx.helpers['device-call']}("${member}"`;
  const text = argText.trim() ? `${prefix}, ${argText}${dflt})` : `${prefix}${dflt})`;
  return keepQueryMeaning(call, member, { title: `Call ${member} on the chosen device's module (no-op where it has none)`, safe, edits: [replaceCall(call, text)], needs: ['device-call'] }, ctx);
}

function rewriteDefaultTensorType(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  const { qn } = callName(call, ctx);
  if (qn !== 'torch.set_default_tensor_type') return undefined;
  const { positional } = argumentParts(call);
  const arg = positional[0];
  if (!arg) return undefined;
  const m = /cuda\.(\w+Tensor)\b/.exec(arg.text);
  if (!m || !LEGACY_TYPES[m[1]!]) return undefined;
  return {
    title: 'Set the default dtype and device instead of a CUDA tensor type',
    safe: false,
    edits: [replaceCall(call, `${ctx.helpers['default-tensor-type']}(${ctx.torch}.${LEGACY_TYPES[m[1]!]})`)],
    needs: ['default-tensor-type', ...torchNeeds(ctx)],
  };
}

function rewriteProfilerActivity(node: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || !node.text.endsWith('.CUDA')) return undefined;
  const qn = qualifiedName(node, ctx.imports);
  if (!qn?.endsWith('ProfilerActivity.CUDA') || !qn.startsWith('torch.')) return undefined;
  const parent = node.parent;
  if (!parent || !['list', 'tuple', 'set'].includes(parent.type)) return undefined;
  if (parent.type === 'tuple' && parent.namedChildren.filter((c) => c && c.type !== 'comment').length === 1 && !parent.text.includes(',')) return undefined;
  return {
    title: 'Profile the chosen device instead of CUDA',
    safe: true,
    edits: [{ start: node.startIndex, end: node.endIndex, text: `*${ctx.helpers['profiler-activities']}()` }],
    needs: ['profiler-activities', ...torchNeeds(ctx)],
  };
}

function isGuardedByDeviceCheck(stmt: Node): boolean {
  for (let p = stmt.parent; p; p = p.parent) {
    if (p.type === 'if_statement' && /\.type\s*==\s*["']cuda["']|\bcuda\.\w+/.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

function flagStatementName(stmt: Node | null, ctx: FixContext): string | undefined {
  if (!stmt || stmt.type !== 'expression_statement') return undefined;
  const assignment = stmt.namedChild(0);
  if (assignment?.type !== 'assignment' || stmt.namedChildCount !== 1) return undefined;
  const left = assignment.childForFieldName('left');
  const qn = left ? qualifiedName(left, ctx.imports) : undefined;
  return qn && CUDNN_FLAGS.has(qn) ? qn : undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function aloneOnItsLines(stmt: Node, text: string): boolean {
  const before = text.slice(lineStart(text, stmt.startIndex), stmt.startIndex);
  const lineEnd = text.indexOf('\n', stmt.endIndex);
  const after = text.slice(stmt.endIndex, lineEnd === -1 ? text.length : lineEnd);
  return before.trim() === '' && /^\s*(#.*)?$/.test(after);
}

/** cudnn / TF32 flags: wrap a run of consecutive flag assignments in one `if DEVICE.type == "cuda":`. */
function rewriteBackendFlags(stmt: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || !/cudnn|tf32|reduced_precision|\b(benchmark|deterministic|enabled)\s*=/.test(stmt.text)) return undefined;
  if (!flagStatementName(stmt, ctx) || isGuardedByDeviceCheck(stmt)) return undefined;
  if (!aloneOnItsLines(stmt, ctx.text)) return undefined;
  const previous = stmt.previousNamedSibling;
  if (previous && flagStatementName(previous, ctx) && aloneOnItsLines(previous, ctx.text) &&
    previous.endPosition.row + 1 === stmt.startPosition.row) return undefined; // the first of the run wraps it
  const run: Node[] = [stmt];
  for (let next = stmt.nextNamedSibling; next; next = next.nextNamedSibling) {
    const last = run[run.length - 1]!;
    if (!flagStatementName(next, ctx) || !aloneOnItsLines(next, ctx.text) || next.startPosition.row !== last.endPosition.row + 1) break;
    run.push(next);
  }
  const start = lineStart(ctx.text, stmt.startIndex);
  const indent = ctx.text.slice(start, stmt.startIndex);
  const end = run[run.length - 1]!.endIndex;
  const body = ctx.text.slice(start, end).split('\n').map((line) => (line.trim() ? `    ${line}` : line)).join('\n');
  return {
    title: 'Set cuDNN/TF32 flags only when running on CUDA',
    safe: true,
    edits: [{ start, end, text: `${indent}if ${ctx.device}.type == "cuda":\n${body}` }],
    needs: ['device'],
  };
}

/** DDP(..., device_ids=[rank]) only accepts device ids for accelerator modules: pass None on the CPU. */
function rewriteDdpDeviceIds(node: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  const name = node.childForFieldName('name')?.text;
  const value = node.childForFieldName('value');
  if ((name !== 'device_ids' && name !== 'output_device') || !value || value.type === 'conditional_expression' || value.text === 'None') return undefined;
  const call = node.parent?.parent;
  if (call?.type !== 'call') return undefined;
  const { qn } = callName(call, ctx);
  if (!qn?.endsWith('DistributedDataParallel')) return undefined;
  return {
    title: `Pass ${name} only when the model is on an accelerator`,
    safe: true,
    edits: [{ start: value.startIndex, end: value.endIndex, text: `${value.text} if ${ctx.device}.type != "cpu" else None` }],
    needs: ['device'],
  };
}

/** os.environ["CUDA_VISIBLE_DEVICES"]: the variable the explicit target's runtime reads instead. */
function rewriteVisibleDevices(node: Node, ctx: FixContext): Rewrite | undefined {
  const variable = VISIBLE_DEVICES[ctx.options.target];
  if (!variable || stringValue(node) !== 'CUDA_VISIBLE_DEVICES') return undefined;
  const q = quoteOf(node);
  return { title: `Select devices with ${variable}`, safe: true, edits: [{ start: node.startIndex, end: node.endIndex, text: `${q}${variable}${q}` }], needs: [] };
}

/** Each explicit accelerator target's own availability check. */
const AVAILABILITY_CHECK: Partial<Record<string, { text: (t: string) => string; needs: SupportId[] }>> = {
  npu: { text: (t) => `${t}.npu.is_available()`, needs: ['import-torch-npu'] },
  xpu: { text: (t) => `${t}.xpu.is_available()`, needs: [] },
  mps: { text: (t) => `${t}.backends.mps.is_available()`, needs: [] },
};

/**
 * `assert torch.cuda.is_available()` / `if not torch.cuda.is_available(): sys.exit(...)` make the program CUDA-only by decree.
 * For an explicit accelerator target the guard checks that accelerator instead (safe: it still refuses where the device is
 * missing). For `auto` and `cpu` the program runs on whatever device it finds, the CPU included: the guard goes (unsafe,
 * since the program now runs where it used to stop); comment lines inside it stay.
 */
function rewriteCudaGuard(stmt: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx)) return undefined;
  const probe = cudaGuardProbe(stmt, ctx);
  if (!probe) return undefined;
  const check = AVAILABILITY_CHECK[ctx.options.target];
  if (check) {
    return { title: `Require the ${ctx.options.target.toUpperCase()} device instead of CUDA`, safe: true, edits: [replaceCall(probe, check.text(ctx.torch))], needs: [...check.needs, ...torchNeeds(ctx)] };
  }
  if (!aloneOnItsLines(stmt, ctx.text) || emptiesItsBlock(stmt, ctx)) return undefined;
  const start = lineStart(ctx.text, stmt.startIndex);
  const newline = ctx.text.indexOf('\n', stmt.endIndex);
  const end = newline === -1 ? ctx.text.length : newline + 1;
  const indent = ctx.text.slice(start, stmt.startIndex);
  const comments = ctx.text.slice(start, end).split('\n').slice(1).filter((line) => line.trim().startsWith('#')).map((line) => `${indent}${line.trim()}\n`);
  const what = stmt.type === 'assert_statement' ? 'assertion' : 'check';
  return { title: `Remove the ${what} that CUDA is available (the program also runs on other devices and the CPU)`, safe: false, edits: [{ start, end, text: comments.join('') }], needs: [] };
}

/** The `torch.cuda.is_available()` call of a statement that is exactly a CUDA refusal guard, if it is one. */
function cudaGuardProbe(stmt: Node, ctx: FixContext): Node | undefined {
  const probe = stmt.type === 'assert_statement' ? stmt.namedChild(0) : stmt.childForFieldName('condition')?.childForFieldName('argument');
  if (!probe || probe.type !== 'call') return undefined;
  const guard = cudaRefusalGuard(probe, (n) => {
    const fn = n.type === 'call' ? n.childForFieldName('function') : null;
    return !!fn && qualifiedName(fn, ctx.imports) === 'torch.cuda.is_available';
  });
  return guard && guard.startIndex === stmt.startIndex && guard.endIndex === stmt.endIndex ? probe : undefined;
}

/**
 * Whether removing this guard would leave its block without a statement. Guards side by side are removed in one
 * pass, so of a block made only of removable guards the last one stays (an empty block is a syntax error).
 */
function emptiesItsBlock(stmt: Node, ctx: FixContext): boolean {
  const block = stmt.parent;
  if (block?.type !== 'block') return false;
  const statements = block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (statements[statements.length - 1]?.id !== stmt.id) return false;
  return statements.every((s) => s.id === stmt.id || (aloneOnItsLines(s, ctx.text) && cudaGuardProbe(s, ctx) !== undefined));
}

const interpolationRanges = new WeakMap<FixContext, Array<[number, number]>>();
/** Whether any interpolation range starts inside the previous one (f-strings nested in f-strings). */
const nested = new WeakMap<Array<[number, number]>, boolean>();
/** Where an f-string starts: its prefix (f, rf, fr in any case) right before the quote. */
const F_STRING_PREFIX = /(?<![\w.])(?:[fF][rR]?|[rR][fF])(?=["'])/g;

/** Inside the `{...}` of an f"..." string (single double quote)? Ranges computed once per context. */
function insideDoubleQuotedInterpolation(node: Node, ctx: FixContext): boolean {
  let ranges = interpolationRanges.get(ctx);
  if (!ranges) {
    ranges = [];
    if (ctx.text.includes('{')) {
      // Only f-strings hold interpolations: find their prefixes in the text rather than walking the whole tree.
      for (const m of ctx.text.matchAll(F_STRING_PREFIX)) {
        const string = ctx.root.descendantForIndex(m.index)?.parent;
        if (string?.type !== 'string' || string.startIndex !== m.index) continue;
        const start = string.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '';
        if (!/"$/.test(start) || start.endsWith('"""')) continue;
        for (const p of string.namedChildren) if (p?.type === 'interpolation') ranges.push([p.startIndex, p.endIndex]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    interpolationRanges.set(ctx, ranges);
    nested.set(ranges, ranges.some((r, i) => i > 0 && r[0] < ranges![i - 1]![1]));
  }
  if (ranges.length === 0) return false;
  // Binary-search the last interpolation starting before the node.
  const start = node.startIndex;
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]![0] < start) lo = mid + 1;
    else hi = mid;
  }
  // Nested f-strings make ranges nest, so look back while an earlier range could still reach past the node.
  for (let i = lo - 1; i >= 0; i--) {
    if (ranges[i]![1] > start) return true;
    if (!nested.get(ranges)) break;
  }
  return false;
}

/** The rewrite for one node, if this node is a site Porta knows how to port. */
export function rewriteNode(node: Node, ctx: FixContext): Rewrite | undefined {
  let rewrite: Rewrite | undefined;
  switch (node.type) {
    case 'call':
      rewrite = rewriteWholeDeviceCall(node, ctx) ?? rewriteCudaMethod(node, ctx) ?? rewriteTorchCudaCall(node, ctx) ?? rewriteDefaultTensorType(node, ctx) ?? rewriteFormattedDevice(node, ctx) ?? rewriteProbedDtype(node, ctx) ?? rewriteCapabilityProbe(node, ctx) ?? rewriteCapabilityQuery(node, ctx) ?? rewriteBf16Value(node, ctx) ?? rewriteCpuHalfAutocast(node, ctx) ?? rewriteAutocastDtypeVariable(node, ctx) ?? rewriteRecordStream(node, ctx);
      break;
    case 'binary_operator':
      rewrite = rewriteFormattedDevice(node, ctx);
      break;
    case 'string':
      if (node.parent?.type === 'conditional_expression') return undefined; // "cuda" if ... else "cpu" is already portable
      rewrite = rewriteDeviceString(node, ctx) ?? rewriteBackendString(node, ctx) ?? rewriteProviderString(node, ctx) ?? rewriteVisibleDevices(node, ctx);
      break;
    case 'attribute':
      rewrite = rewriteProfilerActivity(node, ctx) ?? rewriteIsCuda(node, ctx);
      break;
    case 'conditional_expression':
      rewrite = rewriteDeviceIdiom(node, ctx);
      break;
    case 'decorator':
      rewrite = rewriteAmpCustomDecorator(node, ctx);
      break;
    case 'expression_statement':
      rewrite = rewriteBackendFlags(node, ctx);
      break;
    case 'keyword_argument':
      rewrite = rewriteDdpDeviceIds(node, ctx);
      break;
    case 'assert_statement':
      rewrite = namesCudaOnlyLibrary(node.text) ? undefined : rewriteCudaGuard(node, ctx); // "apex needs CUDA": that stays
      break;
    case 'if_statement':
      rewrite = (namesCudaOnlyLibrary(node.text) ? undefined : rewriteCudaGuard(node, ctx)) ?? rewriteDeviceIfElse(node, ctx);
      break;
    default:
      return undefined;
  }
  if (!rewrite) return undefined;
  // Before Python 3.12 an f-string's {expression} cannot reuse the string's own quote: switch ours.
  if (insideDoubleQuotedInterpolation(node, ctx)) {
    rewrite = { ...rewrite, edits: rewrite.edits.map((e) => ({ ...e, text: e.text.replace(/"/g, "'") })) };
  }
  if (insideCudaOnlyBranch(node, ctx)) return undefined; // TensorRT, CUDA graphs, NVML, apex...: runs with CUDA only
  const api = rewrite.safe ? publicDefaultChanged(node, defaultsMemo(ctx)) : undefined;
  if (api) rewrite = { ...rewrite, safe: false, title: `${rewrite.title} (unsafe: changes ${api}, which callers rely on)` };
  // Syntax-error regions are protected whole statements, so checking the edits' own spans suffices.
  if (ctx.protectedRanges.length > 0 && rewrite.edits.some((e) => isProtected(ctx, e.start, e.end))) return undefined;
  return rewrite;
}

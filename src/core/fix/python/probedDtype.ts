import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { isAlreadyPortable } from '../../python/portable';
import { qualifiedName } from './imports';
import { argumentParts, callName, portable, stringValue } from './nodes';
import type { Rewrite } from './rewrite';

type Node = TreeSitter.Node;

/**
 * `amp_dtype = torch.float16 if not torch.cuda.is_bf16_supported() else torch.bfloat16` picks the autocast dtype from
 * a CUDA capability. Guarding the probe (`DEVICE.type == "cuda" and ...`) would pick float16 everywhere else, and
 * PyTorch 1.13's CPU autocast takes only bfloat16: the fixed program would crash at its first autocast. So where the
 * probe decides between dtypes it answers for the chosen device instead: CUDA asks CUDA; the CPU, XPU and Ascend
 * autocasts take bfloat16; MPS autocast takes float16.
 */

const DTYPE_NAMES = new Set(['bfloat16', 'float16', 'half', 'bf16', 'fp16']);
const WRAPPERS = new Set(['not_operator', 'boolean_operator', 'parenthesized_expression']);

/** The conditional or if-statement whose condition holds the probe (through not / and / or / parentheses). */
function deciding(call: Node): { owner: Node; condition: Node } | undefined {
  let condition = call;
  while (condition.parent && WRAPPERS.has(condition.parent.type)) condition = condition.parent;
  const owner = condition.parent;
  if (!owner) return undefined;
  const field = owner.type === 'conditional_expression' ? owner.namedChildren[1]
    : owner.type === 'if_statement' || owner.type === 'elif_clause' ? owner.childForFieldName('condition') : null;
  return field?.id === condition.id ? { owner, condition } : undefined;
}

/** Whether a branch names a dtype: `torch.bfloat16`, `torch.half`, `"float16"`, `"bf16"`... */
function namesDtype(node: Node, skip: Node): boolean {
  if (node.id === skip.id) return false;
  if (node.type === 'attribute' && DTYPE_NAMES.has(node.childForFieldName('attribute')?.text ?? '')) return true;
  const value = stringValue(node);
  if (value !== undefined && DTYPE_NAMES.has(value)) return true;
  return node.namedChildren.some((child) => !!child && namesDtype(child, skip));
}

/** `torch.cuda.is_bf16_supported()` deciding a dtype -> `(torch.cuda.is_bf16_supported() if DEVICE.type == "cuda" else DEVICE.type != "mps")`. */
export function rewriteProbedDtype(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || callName(call, ctx).qn !== 'torch.cuda.is_bf16_supported') return undefined;
  const site = deciding(call);
  if (!site || !namesDtype(site.owner, site.condition)) return undefined;
  return answerForDevice(call, ctx);
}

/**
 * `use_bf16 = torch.cuda.is_bf16_supported()` (a value kept for later, not an if-test): the same answer for the chosen
 * device, as porta_shim gives. An if-test that picks no dtype is rewriteCapabilityProbe's (asked only on CUDA).
 */
export function rewriteBf16Value(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || callName(call, ctx).qn !== 'torch.cuda.is_bf16_supported' || deciding(call)) return undefined;
  if (isAlreadyPortable('PT-PROBE-001', call, false)) return undefined; // already asked only on a CUDA-typed device
  return answerForDevice(call, ctx);
}

function answerForDevice(call: Node, ctx: FixContext): Rewrite {
  const device = ctx.device;
  return {
    title: 'Ask the chosen device whether it takes bfloat16 (CPU, XPU and Ascend autocast do; MPS takes float16)',
    safe: true,
    edits: [{ start: call.startIndex, end: call.endIndex, text: `(${call.text} if ${device}.type == "cuda" else ${device}.type != "mps")` }],
    needs: ['device'],
  };
}

const AUTOCASTS = new Set(['torch.autocast', 'torch.amp.autocast', 'torch.amp.autocast_mode.autocast']);

/**
 * `torch.autocast(device_type=device, dtype=amp_dtype)` (or `partial(torch.autocast, ...)`) with the dtype in a
 * variable, such as one parsed from `--amp-dtype float16`: PyTorch 1.13's CPU autocast raises for anything but
 * bfloat16, so on the CPU the dtype becomes bfloat16 (`(amp_dtype if DEVICE.type != "cpu" else torch.bfloat16)`), as
 * the literal `dtype=torch.float16` already does. Every other device keeps the program's choice.
 */
export function rewriteAutocastDtypeVariable(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || (ctx.options.target !== 'auto' && ctx.options.target !== 'cpu')) return undefined;
  const { qn } = callName(call, ctx);
  const { positional, keywords } = argumentParts(call);
  let device = positional[0] ?? keywords.get('device_type');
  if (qn === 'functools.partial') {
    const wrapped = positional[0];
    if (!wrapped || !AUTOCASTS.has(qualifiedName(wrapped, ctx.imports) ?? '')) return undefined;
    device = positional[1] ?? keywords.get('device_type');
  } else if (!qn || !AUTOCASTS.has(qn)) return undefined;
  const dtype = keywords.get('dtype');
  if (!dtype || (dtype.type !== 'identifier' && dtype.type !== 'attribute')) return undefined;
  if (qualifiedName(dtype, ctx.imports)?.startsWith(`torch.`)) return undefined; // a literal dtype: see rewriteCpuHalfAutocast
  if (device && stringValue(device) === 'cpu') return undefined; // a CPU autocast on purpose: not a port's business
  return {
    title: 'Autocast to bfloat16 on the CPU whatever dtype the program picked (CPU autocast in PyTorch 1.13 takes no other)',
    safe: true,
    edits: [{ start: dtype.startIndex, end: dtype.endIndex, text: `(${dtype.text} if ${ctx.device}.type != "cpu" else ${ctx.torch}.bfloat16)` }],
    needs: ['device'],
  };
}

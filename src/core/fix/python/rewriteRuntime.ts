import type { TreeSitter } from '../../parse/loader';
import { versionAtLeast } from '../version';
import type { FixContext } from './context';
import { qualifiedName } from './imports';
import { argumentParts, deviceType, portable, replaceCall, torchNeeds } from './nodes';
import type { Rewrite } from './rewrite';
import { SHARED_DEVICE } from './sharedSupport';

type Node = TreeSitter.Node;

/**
 * Rewrites for the CUDA runtime beyond device placement: streams, NVTX ranges, `tensor.is_cuda` and the
 * `torch.cuda.amp.custom_fwd/custom_bwd` decorators.
 */

const STREAM_MEMBERS = new Set(['Stream', 'stream', 'current_stream', 'default_stream']);
const NVTX_MEMBERS = new Set(['range_push', 'range_pop', 'mark', 'range']);
const AMP_CUSTOM = new Set(['custom_fwd', 'custom_bwd']);

/** `torch.cuda.Stream/stream/current_stream/default_stream(...)` -> the device's own, or an in-order stand-in. */
export function rewriteStreamCall(call: Node, member: string, argText: string, ctx: FixContext): Rewrite | undefined {
  if (!STREAM_MEMBERS.has(member) || !portable(ctx)) return undefined;
  const target = ctx.options.target;
  if (target === 'xpu' || target === 'npu') {
    // Both device modules have the same stream API as torch.cuda.
    return { title: `Use torch.${target}.${member}`, safe: true, edits: [replaceCall(call, `${ctx.torch}.${target}.${member}(${argText})`)], needs: torchNeeds(ctx) };
  }
  const text = `${ctx.helpers.stream}("${member}"${argText.trim() ? `, ${argText}` : ''})`;
  const what = member === 'stream' ? 'Enter the chosen device\'s stream (no-op where work runs in order)' : `Use the chosen device's ${member} (an in-order stand-in on the CPU)`;
  return { title: what, safe: true, edits: [replaceCall(call, text)], needs: ['stream'] };
}

/**
 * `x.record_stream(s)` -> `_porta_record_stream(x, s)`: records on device streams as before, skips Porta's in-order
 * stand-in (what `_porta_stream` gives on the CPU), which `Tensor.record_stream` rejects. XPU and NPU record on their
 * own streams (the xpu/npu targets call torch.xpu/npu directly); CUDA and ROCm keep the call.
 */
export function rewriteRecordStream(call: Node, ctx: FixContext): Rewrite | undefined {
  const target = ctx.options.target;
  if (!portable(ctx) || target === 'xpu' || target === 'npu') return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'record_stream') return undefined;
  const receiver = fn.childForFieldName('object')!;
  if (qualifiedName(receiver, ctx.imports)?.startsWith('torch')) return undefined; // torch.Tensor.record_stream(x, s): unbound form, left alone
  const { positional, keywords } = argumentParts(call);
  const stream = positional[0] ?? keywords.get('stream');
  if (!stream || positional.length + keywords.size !== 1 || stream.type === 'list_splat' || stream.type === 'dictionary_splat') return undefined;
  return {
    title: 'Record the stream only where the device has streams (in-order stand-in on the CPU)',
    safe: true,
    // Only up to the stream argument: rewrites inside it (torch.cuda.current_stream()) apply in the same pass.
    edits: [{ start: call.startIndex, end: stream.startIndex, text: `${ctx.helpers['record-stream']}(${receiver.text}, ` }],
    needs: ['record-stream'],
  };
}

/** `torch.cuda.nvtx.range_push/range_pop/mark/range(...)` -> NVTX on CUDA, a profiler range or nothing elsewhere. */
export function rewriteNvtxCall(call: Node, member: string, argText: string, ctx: FixContext): Rewrite | undefined {
  if (!member.startsWith('nvtx.') || !portable(ctx)) return undefined;
  const name = member.slice('nvtx.'.length);
  if (!NVTX_MEMBERS.has(name)) return undefined;
  const title = name === 'range' ? 'NVTX range on CUDA, a profiler range (record_function) elsewhere' : `NVTX ${name} only on CUDA`;
  return { title, safe: true, edits: [replaceCall(call, `${ctx.helpers.nvtx}("${name}"${argText.trim() ? `, ${argText}` : ''})`)], needs: ['nvtx'] };
}

/**
 * `torch.cuda.amp.custom_fwd/custom_bwd`, bare or called: `torch.amp.custom_fwd(device_type=...)` where the declared
 * PyTorch has it (2.4+), else `_porta_amp_custom(...)`, which feature-detects. CUDA/ROCm: only the version upgrade.
 */
function ampCustom(node: Node, name: string, fn: string | undefined, options: string[], ctx: FixContext): Rewrite | undefined {
  const first = fn === undefined ? [] : [fn];
  const t = ctx.torch;
  const dt = deviceType(ctx);
  // In a package, `device_type=porta_device().type` in a decorator would choose the device at import: the shared
  // module's _porta_amp_custom reads it when the decorated function is first called.
  const atImport = ctx.shared !== undefined && dt.text.includes(SHARED_DEVICE);
  if (versionAtLeast(ctx.options.torchVersion, '2.4') && !atImport) {
    return {
      title: `Use ${t}.amp.${name} with the chosen device type`,
      safe: true,
      edits: [replaceCall(node, `${t}.amp.${name}(${[...first, `device_type=${dt.text}`, ...options].join(', ')})`)],
      needs: [...dt.needs, ...torchNeeds(ctx)],
    };
  }
  if (!portable(ctx)) return undefined;
  return {
    title: `Use ${t}.amp.${name} for the chosen device where this PyTorch has it`,
    safe: true,
    edits: [replaceCall(node, `${ctx.helpers['amp-custom']}(${[`"${name}"`, ...first, ...options].join(', ')})`)],
    needs: ['amp-custom'],
  };
}

/** `torch.cuda.amp.custom_fwd(...)` called (a decorator with arguments, or applied to a function). */
export function rewriteAmpCustomCall(call: Node, member: string, ctx: FixContext): Rewrite | undefined {
  const name = member.startsWith('amp.') ? member.slice(4) : '';
  if (!AMP_CUSTOM.has(name)) return undefined;
  const { positional, keywords } = argumentParts(call);
  if (positional.length > 1 || positional.some((a) => a.type === 'list_splat') || [...call.childForFieldName('arguments')!.namedChildren].some((a) => a?.type === 'dictionary_splat')) return undefined;
  // The decorated function (when applied directly) stays the first argument; options stay keywords.
  return ampCustom(call, name, positional[0]?.text, [...keywords].map(([k, v]) => `${k}=${v.text}`), ctx);
}

/** `@torch.cuda.amp.custom_fwd` (bare decorator). */
export function rewriteAmpCustomDecorator(decorator: Node, ctx: FixContext): Rewrite | undefined {
  const expression = decorator.namedChildren.find((c) => c && c.type !== 'comment');
  if (!expression || (expression.type !== 'attribute' && expression.type !== 'identifier')) return undefined;
  const qn = qualifiedName(expression, ctx.imports);
  if (!qn?.startsWith('torch.cuda.amp.')) return undefined;
  const name = qn.slice('torch.cuda.amp.'.length);
  if (!AMP_CUSTOM.has(name)) return undefined;
  return ampCustom(expression, name, undefined, [], ctx);
}

/** Where a bare comparison can stand without parentheses. */
const LOOSE_CONTEXTS = new Set([
  'if_statement', 'elif_clause', 'while_statement', 'boolean_operator', 'assignment', 'return_statement', 'parenthesized_expression',
  'argument_list', 'keyword_argument', 'assert_statement', 'expression_statement', 'list', 'tuple', 'conditional_expression',
]);

/**
 * `x.is_cuda` -> `x.device.type != "cpu"`: true on any accelerator, not CUDA only. Unsafe: branches taken on CUDA
 * now also run for tensors on XPU, NPU and MPS (on CUDA and on the CPU the answer is the same). Explicit CPU and
 * CUDA/ROCm targets keep `is_cuda`, which already answers correctly there.
 */
export function rewriteIsCuda(attribute: Node, ctx: FixContext): Rewrite | undefined {
  if (!ctx.text.endsWith('.is_cuda', attribute.endIndex) || !portable(ctx) || ctx.options.target === 'cpu') return undefined;
  if (attribute.childForFieldName('attribute')?.text !== 'is_cuda') return undefined;
  const receiver = attribute.childForFieldName('object');
  if (!receiver || qualifiedName(receiver, ctx.imports)?.startsWith('torch')) return undefined;
  const parent = attribute.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === attribute.id) return undefined; // x.is_cuda = ...
  if (parent?.type === 'call' && parent.childForFieldName('function')?.id === attribute.id) return undefined; // not the property
  const title = 'Test for any accelerator instead of CUDA only';
  if (parent?.type === 'not_operator') {
    return { title, safe: false, edits: [replaceCall(parent, `${receiver.text}.device.type == "cpu"`)], needs: [] };
  }
  const check = `${receiver.text}.device.type != "cpu"`;
  const text = parent && LOOSE_CONTEXTS.has(parent.type) ? check : `(${check})`;
  return { title, safe: false, edits: [replaceCall(attribute, text)], needs: [] };
}

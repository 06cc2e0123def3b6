import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { enclosingDefinitions } from './scopes';

type Node = TreeSitter.Node;

/**
 * Code that only ever runs with CUDA is left alone: a branch taken for TensorRT, CUDA graphs, NVML or a library that
 * requires CUDA (apex, bitsandbytes, flash-attn, CuPy, ...), and an assertion that says such a library needs CUDA.
 * Porting it changes nothing where it runs, and on other devices it cannot run at all; removing the assertion would
 * trade its clear message for a failure deep inside the library.
 */
/** Names of CUDA-only libraries and features, also inside identifiers (`use_tensorrt`, `cuda_graphs`). */
const CUDA_ONLY = /(?<![A-Za-z0-9])(?:tensorrt|trt|apex|bitsandbytes|bnb|flash_attn|flash_attention|flashattention|cupy|pycuda|transformer_engine|xformers|nccl|pynvml|megatron)(?![A-Za-z0-9])|nvml|cuda_?graphs?(?![A-Za-z0-9])|CUDAGraph|cuda\.graph\b|make_graphed_callables/i;
/** A function whose body captures or replays a CUDA graph is CUDA-only as a whole. */
const CUDA_GRAPH_USE = /\bCUDAGraph\b|\bcuda\.graph\(|\bmake_graphed_callables\(/;

const files = new WeakMap<FixContext, boolean>();

/** Whether the message or body of a CUDA refusal names a CUDA-only library ("CUDA required for APEX optimizers"). */
export function namesCudaOnlyLibrary(text: string): boolean {
  return CUDA_ONLY.test(text);
}

/** Whether `node` sits in a branch (if/elif condition, with items) or function that exists only for CUDA-only code. */
export function insideCudaOnlyBranch(node: Node, ctx: FixContext): boolean {
  let mentions = files.get(ctx);
  if (mentions === undefined) files.set(ctx, (mentions = CUDA_ONLY.test(ctx.text)));
  if (!mentions) return false; // most files: one regex test, no tree walk
  for (const definition of enclosingDefinitions(node, ctx)) {
    if (definition.type !== 'function_definition') continue;
    if (CUDA_ONLY.test(definition.childForFieldName('name')?.text ?? '') || CUDA_GRAPH_USE.test(definition.childForFieldName('body')?.text ?? '')) return true;
  }
  for (let current: Node | null = node, depth = 0; current && depth < 64; current = current.parent, depth++) {
    const parent: Node | null = current.parent;
    if (!parent || parent.type === 'module') break;
    if (current.type !== 'block') continue;
    // The block's header: if/elif condition, with items (`with torch.cuda.graph(g):`), a loop or try is not a branch by library.
    const header = parent.type === 'if_statement' || parent.type === 'elif_clause' ? parent.childForFieldName('condition')
      : parent.type === 'with_statement' ? parent.namedChildren.find((c) => c?.type === 'with_clause') ?? null : null;
    if (header && CUDA_ONLY.test(header.text)) return true;
  }
  return false;
}

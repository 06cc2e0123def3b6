import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

/** `torch.compile` backends that only run on NVIDIA: Torch-TensorRT, and CUDA graph capture. */
const CUDA_ONLY_BACKENDS = new Set(['tensorrt', 'torch_tensorrt', 'cudagraphs']);
/** Inductor options that capture CUDA graphs (`options={"triton.cudagraphs": True}`). */
const CUDA_ONLY_OPTIONS = new Set(['triton.cudagraphs', 'triton.cudagraph_trees']);

/**
 * Whether a `torch.compile(...)` call names a CUDA-only backend or option. Plain `torch.compile(model)` and the modes
 * ("reduce-overhead", "max-autotune") are portable: Inductor compiles for every device and skips CUDA graphs off CUDA.
 */
export function namesCudaOnlyCompile(call: Node): boolean {
  const args = call.childForFieldName('arguments');
  for (const argument of args?.namedChildren ?? []) {
    if (argument?.type !== 'keyword_argument') continue;
    const name = argument.childForFieldName('name')?.text;
    const value = argument.childForFieldName('value');
    if (!value) continue;
    if (name === 'backend' && CUDA_ONLY_BACKENDS.has(stringContent(value) ?? '')) return true;
    if (name === 'options' && value.type === 'dictionary') {
      for (const pair of value.namedChildren) {
        if (pair?.type !== 'pair') continue;
        const key = pair.childForFieldName('key');
        if (key && CUDA_ONLY_OPTIONS.has(stringContent(key) ?? '') && pair.childForFieldName('value')?.type !== 'false') return true;
      }
    }
  }
  return false;
}

function stringContent(node: Node): string | undefined {
  if (node.type !== 'string' || node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return node.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}
